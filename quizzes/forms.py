"""Turning a submitted quiz form into answers, with clear errors for anything malformed."""

from __future__ import annotations

from quizzes.selectors import TOKEN_MAX_LENGTH


def answers_from_post(post, question_ids: list[int]) -> tuple[dict[int, list[str]], list[str]]:
    """Read `q<question id>` fields (one value for radios, several for checkboxes): the attempt's choice
    tokens, checked against the attempt afterwards (quizzes.selectors.attempt_answers_errors)."""
    answers: dict[int, list[str]] = {}
    errors: list[str] = []
    for question_id in question_ids:
        values = post.getlist(f"q{question_id}")
        if any(not value or len(value) > TOKEN_MAX_LENGTH for value in values):
            errors.append("A submitted answer was not one of the choices.")
            continue
        answers[question_id] = values
    return answers, errors
