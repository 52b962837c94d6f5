"""Turning a submitted quiz form into answers, with clear errors for anything malformed."""

from __future__ import annotations


def answers_from_post(post, question_ids: list[int]) -> tuple[dict[int, list[int]], list[str]]:
    """Read `q<question id>` fields (one value for radios, several for checkboxes)."""
    answers: dict[int, list[int]] = {}
    errors: list[str] = []
    for question_id in question_ids:
        values = post.getlist(f"q{question_id}")
        try:
            answers[question_id] = [int(v) for v in values]
        except ValueError:
            errors.append("A submitted answer was not one of the choices.")
    return answers, errors
