from django.urls import path

import safety_academy.converters  # noqa: F401 - registers <id:…>
from quizzes import views

app_name = "quizzes"

urlpatterns = [
    path("topics/<slug:topic_slug>/quiz/", views.quiz_page, name="quiz"),
    path("topics/<slug:topic_slug>/quiz/start/", views.quiz_start, name="start"),
    path("topics/<slug:topic_slug>/quiz/attempts/<id:attempt_id>/submit/", views.quiz_submit, name="submit"),
    path("topics/<slug:topic_slug>/quiz/attempts/<id:attempt_id>/", views.quiz_result, name="result"),
]
