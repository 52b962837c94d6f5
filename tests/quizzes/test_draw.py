"""The draw, pure: every lesson covered, consecutive draws apart where the bank allows, and choice tokens
whose order says nothing about the key."""

import random
from collections import Counter

from quizzes.draw import BankChoice, BankQuestion, draw_questions, lay_out


def bank(lessons: int = 6, per_lesson: int = 4, choices: int = 4) -> list[BankQuestion]:
    """A bank whose correct choice is always written second: what the id-order attack exploited."""
    questions = []
    for lesson in range(lessons):
        for i in range(per_lesson):
            qid = 1000 + lesson * 100 + i
            questions.append(
                BankQuestion(
                    id=qid,
                    lesson_id=lesson,
                    position=lesson * per_lesson + i,
                    choices=tuple(BankChoice(id=qid * 10 + c, is_correct=c == 1) for c in range(choices)),
                )
            )
    return questions


def seen(*draws) -> dict[int, int]:
    """seen_ago from draws given oldest first."""
    ago: dict[int, int] = {}
    for n, drawn in enumerate(reversed(draws), 1):
        for q in drawn:
            ago.setdefault(q.id, n)
    return ago


def test_a_draw_covers_every_lesson_and_balances_the_rest():
    rng = random.Random(1)
    for _ in range(200):
        drawn = draw_questions(bank(), size=10, seen_ago={}, rng=rng)
        per_lesson = Counter(q.lesson_id for q in drawn)
        assert len(drawn) == len({q.id for q in drawn}) == 10
        assert set(per_lesson) == set(range(6))
        assert max(per_lesson.values()) - min(per_lesson.values()) <= 1


def test_consecutive_draws_share_nothing_when_the_bank_allows():
    rng = random.Random(2)
    for per_lesson in (4, 5):  # banks of 24 and 30, draws of 10
        history = []
        for _ in range(30):
            drawn = draw_questions(bank(per_lesson=per_lesson), size=10, seen_ago=seen(*history), rng=rng)
            assert {q.lesson_id for q in drawn} == set(range(6))
            if history:
                assert not {q.id for q in drawn} & {q.id for q in history[-1]}
            history.append(drawn)


def test_a_bank_of_twenty_over_six_lessons_still_gives_disjoint_consecutive_draws():
    questions = [q for q in bank(per_lesson=4) if q.id % 100 != 3 or q.lesson_id < 2]  # 2 lessons of 4, 4 of 3
    assert len(questions) == 20
    rng = random.Random(3)
    previous = draw_questions(questions, size=10, seen_ago={}, rng=rng)
    for _ in range(50):
        drawn = draw_questions(questions, size=10, seen_ago=seen(previous), rng=rng)
        assert not {q.id for q in drawn} & {q.id for q in previous}
        assert {q.lesson_id for q in drawn} == set(range(6))
        previous = drawn


def test_a_small_bank_is_drawn_whole_and_a_small_draw_takes_distinct_lessons():
    rng = random.Random(4)
    assert {q.id for q in draw_questions(bank(per_lesson=1), size=10, seen_ago={}, rng=rng)} == {
        q.id for q in bank(per_lesson=1)
    }
    drawn = draw_questions(bank(), size=4, seen_ago={}, rng=rng)
    assert len({q.lesson_id for q in drawn}) == 4


def test_tokens_are_random_unique_and_map_to_the_questions_choices():
    questions = bank()[:10]
    layout = lay_out(questions, shuffle=True, rng=random.Random(5))
    tokens = [t for ts in layout.choice_order.values() for t in ts]
    assert len(tokens) == len(set(tokens)) == 40
    assert all(len(t) == 12 and not t.isdigit() for t in tokens)
    for question in questions:
        shown = layout.choice_order[str(question.id)]
        assert sorted(layout.choice_tokens[t] for t in shown) == sorted(c.id for c in question.choices)
        assert [layout.choice_tokens[t] for t in layout.answer_key[str(question.id)]] == [question.choices[1].id]
    again = lay_out(questions, shuffle=True, rng=random.Random(6))
    assert not set(again.choice_tokens) & set(layout.choice_tokens)


def chi_square(counts: Counter, categories: int) -> float:
    total = sum(counts.values())
    expected = total / categories
    return sum((counts.get(k, 0) - expected) ** 2 / expected for k in range(categories))


def test_sorting_the_tokens_gives_no_signal():
    """Over many attempts, the correct choice's rank among its question's sorted tokens is uniform, and so
    is its place in the order shown: neither the ids nor the order point at the key."""
    rng = random.Random(7)
    questions = bank(lessons=1, per_lesson=1)
    by_token_rank, by_shown_place = Counter(), Counter()
    for _ in range(4000):
        layout = lay_out(questions, shuffle=True, rng=rng)
        shown = layout.choice_order[str(questions[0].id)]
        right = layout.answer_key[str(questions[0].id)][0]
        by_token_rank[sorted(shown).index(right)] += 1
        by_shown_place[shown.index(right)] += 1
    # Chi-square with 3 degrees of freedom: 16.27 is the 0.1% critical value. The seed makes it repeatable;
    # a token that followed the choices' ids or positions would put every count in one rank.
    assert chi_square(by_token_rank, 4) < 16.27, by_token_rank
    assert chi_square(by_shown_place, 4) < 16.27, by_shown_place


def test_without_shuffle_the_bank_order_is_kept_but_tokens_are_still_random():
    questions = bank()[:5]
    layout = lay_out(list(reversed(questions)), shuffle=False, rng=random.Random(8))
    assert layout.question_order == [q.id for q in questions]
    ranks = Counter(
        sorted(layout.choice_order[str(q.id)]).index(layout.answer_key[str(q.id)][0])
        for q in bank(lessons=50, per_lesson=1)
        for layout in [lay_out([q], shuffle=False, rng=random.Random(q.id))]
    )
    assert len(ranks) > 1  # not always the same rank, though choices keep their written order
