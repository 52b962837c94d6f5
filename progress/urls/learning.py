from django.urls import path

from progress.views import learning

urlpatterns = [
    path("me/", learning.me, name="me"),
    path("me/profile/", learning.profile, name="profile"),
    path("me/token/", learning.api_token_create, name="token_create"),
    path("me/token/revoke/", learning.api_token_revoke, name="token_revoke"),
    path("topics/<slug:topic_slug>/enroll/", learning.enroll, name="enroll"),
    path("topics/<slug:topic_slug>/leave/", learning.leave, name="leave"),
    path(
        "topics/<slug:topic_slug>/<slug:lesson_slug>/complete/",
        learning.lesson_completion,
        {"done": True},
        name="lesson_complete",
    ),
    path(
        "topics/<slug:topic_slug>/<slug:lesson_slug>/undo/",
        learning.lesson_completion,
        {"done": False},
        name="lesson_uncomplete",
    ),
]
