"""Drawing an attempt from a quiz's bank, pure (no database): which questions, in what order, and the
opaque per-attempt tokens that stand for the choices.

The draw covers every lesson the bank checks (when the draw size allows), prefers the questions the
learner has seen least recently (so consecutive attempts differ where the bank allows), and
balances the rest across lessons. Tokens are random, so sorting them reveals nothing about the key.
"""

from __future__ import annotations

import base64
import random
from dataclasses import dataclass, field

NEVER_SEEN = 10**6


@dataclass(frozen=True)
class BankChoice:
    id: int
    is_correct: bool


@dataclass(frozen=True)
class BankQuestion:
    id: int
    lesson_id: int | None
    position: int
    keep_choice_order: bool = False  # true/false keeps True before False; shuffling it helps nobody
    choices: tuple[BankChoice, ...] = field(default_factory=tuple)


@dataclass(frozen=True)
class Layout:
    """What an attempt records: see quizzes.models.Attempt."""

    question_order: list[int]
    choice_order: dict[str, list[str]]
    choice_tokens: dict[str, int]
    answer_key: dict[str, list[str]]


def new_token(rng: random.Random) -> str:
    """72 random bits, URL-safe (12 characters)."""
    return base64.urlsafe_b64encode(rng.getrandbits(72).to_bytes(9, "big")).decode()


def draw_questions(
    bank: list[BankQuestion], *, size: int, seen_ago: dict[int, int], rng: random.Random
) -> list[BankQuestion]:
    """`size` questions from the bank: one per lesson first, then the least recently seen, balanced.

    `seen_ago` maps a question id to how many attempts ago the learner last saw it (1 = the previous
    attempt); questions never seen come first.
    """
    if size >= len(bank):
        return list(bank)
    by_lesson: dict[int | None, list[BankQuestion]] = {}
    for question in bank:
        by_lesson.setdefault(question.lesson_id, []).append(question)
    ranked: list[tuple[int, int, float, BankQuestion]] = []
    for questions in by_lesson.values():
        # Within a lesson, the least recently seen first; ties broken at random.
        questions.sort(key=lambda q: (-seen_ago.get(q.id, NEVER_SEEN), rng.random()))
        for rank, question in enumerate(questions):
            ranked.append((rank, -seen_ago.get(question.id, NEVER_SEEN), rng.random(), question))
    # Coverage: each lesson's freshest question, lessons in a random order if they cannot all fit.
    firsts = sorted((r for r in ranked if r[0] == 0), key=lambda r: (r[1], r[2]))
    picked = [r[3] for r in firsts[:size]]
    # The rest: freshest first, then lessons' second questions before anyone's third, then at random.
    rest = sorted((r for r in ranked if r[0] > 0), key=lambda r: (r[1], r[0], r[2]))
    picked += [r[3] for r in rest[: size - len(picked)]]
    return picked


def lay_out(questions: list[BankQuestion], *, shuffle: bool, rng: random.Random) -> Layout:
    """The order shown (shuffled, or the bank's order), a fresh token per choice, and the key."""
    questions = list(questions)
    if shuffle:
        rng.shuffle(questions)
    else:
        questions.sort(key=lambda q: (q.position, q.id))
    choice_order: dict[str, list[str]] = {}
    choice_tokens: dict[str, int] = {}
    answer_key: dict[str, list[str]] = {}
    for question in questions:
        choices = list(question.choices)
        if shuffle and not question.keep_choice_order:
            rng.shuffle(choices)
        tokens = []
        for choice in choices:
            token = new_token(rng)
            while token in choice_tokens:
                token = new_token(rng)
            choice_tokens[token] = choice.id
            tokens.append(token)
        choice_order[str(question.id)] = tokens
        answer_key[str(question.id)] = sorted(t for t, c in zip(tokens, choices, strict=True) if c.is_correct)
    return Layout(
        question_order=[q.id for q in questions],
        choice_order=choice_order,
        choice_tokens=choice_tokens,
        answer_key=answer_key,
    )
