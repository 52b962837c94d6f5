"""Helpers shared by this folder's tests."""

from quizzes.models import Question


def secrets_of(quiz):
    explanations = list(Question.objects.filter(quiz=quiz).values_list("explanation_html", flat=True))
    return explanations
