"""The one API router (`/api/v1/`), and the schema and docs views."""

from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.routers import DefaultRouter

import safety_academy.converters  # noqa: F401 - registers <id:…>
from courses.api import CategoryViewSet, FrameworkMappingViewSet, FrameworkViewSet, LessonViewSet, TopicViewSet
from progress.api.certificates import CertificateVerifyView, CertificateViewSet
from progress.api.coverage import TeamCoverageView
from progress.api.learning import EnrollmentViewSet, LessonCompletionView, MeView, TopicProgressViewSet
from progress.api.teams import MyAssignmentsView, TeamViewSet
from quizzes.api import AttemptStartView, AttemptViewSet, QuizStatusView

router = DefaultRouter()
router.register("categories", CategoryViewSet, basename="category")
router.register("topics", TopicViewSet, basename="topic")
router.register("lessons", LessonViewSet, basename="lesson")
router.register("frameworks", FrameworkViewSet, basename="framework")
router.register("framework-mappings", FrameworkMappingViewSet, basename="framework-mapping")
router.register("enrollments", EnrollmentViewSet, basename="enrollment")
router.register("progress", TopicProgressViewSet, basename="topic-progress")
router.register("attempts", AttemptViewSet, basename="attempt")
router.register("certificates", CertificateViewSet, basename="certificate")
router.register("teams", TeamViewSet, basename="team")

api_v1 = [
    path("me/", MeView.as_view(), name="me"),
    path("me/assignments/", MyAssignmentsView.as_view(), name="my-assignments"),
    path("lessons/<id:lesson_id>/completion/", LessonCompletionView.as_view(), name="lesson-completion"),
    path("topics/<slug:topic>/quiz/", QuizStatusView.as_view(), name="quiz-status"),
    path("topics/<slug:topic>/quiz/attempts/", AttemptStartView.as_view(), name="attempt-start"),
    path("verify/<str:code>/", CertificateVerifyView.as_view(), name="certificate-verify"),
    path("teams/<slug:team_slug>/coverage/", TeamCoverageView.as_view(), name="team-coverage"),
    path("", include(router.urls)),
]

urlpatterns = [
    path("api/v1/", include((api_v1, "api"), namespace="api")),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    path("api/docs/", SpectacularSwaggerSplitView.as_view(url_name="schema"), name="api-docs"),
]
