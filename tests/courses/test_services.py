"""Loading the track: validation first, idempotent upserts by slug, retired lessons, admin edits kept."""

import shutil
from pathlib import Path

import pytest
import yaml
from django.conf import settings
from django.core.management import CommandError, call_command

from courses.models import Category, Lesson, Topic
from progress.services.content import track_load
from quizzes.models import Question, Quiz


@pytest.fixture
def small_track(tmp_path):
    """A copy of the real track's frame with one topic's files, to break in each test."""
    src = settings.TRACK_PATH
    root = tmp_path / "track"
    root.mkdir()
    shutil.copy(src / "track.md", root / "track.md")
    cat = root / "01-cat"
    cat.mkdir()
    (cat / "category.md").write_text("---\ntitle: A category\nsummary: For tests.\n---\n")
    topic = cat / "01-loader-topic"
    topic.mkdir()
    (topic / "topic.md").write_text("---\ntitle: Loader topic\nsummary: A topic.\n---\nOverview.\n")
    for i in (1, 2):
        (topic / f"0{i}-lesson-{i}.md").write_text(
            f"---\ntitle: Lesson {i}\nminutes: 5\nobjectives:\n  - Do {i}\n---\n## Body\n\nText {i}.\n"
        )
    (topic / "quiz.yaml").write_text(
        yaml.safe_dump(
            {
                "questions": [
                    {
                        "kind": "single",
                        "lesson": "01-lesson-1",
                        "prompt": "Which?",
                        "choices": [{"text": "A", "correct": True}, {"text": "B"}, {"text": "C"}],
                        "explanation": "Because A.",
                    },
                    {
                        "kind": "true_false",
                        "lesson": "02-lesson-2",
                        "prompt": "Is it?",
                        "choices": [{"text": "True"}, {"text": "False", "correct": True}],
                        "explanation": "It is not.",
                    },
                ]
            }
        )
    )
    return root


# The seed's catalogue: the shared copy beside the repository when there is one, else the copy kept here.
SHARED_SEED = Path(settings.BASE_DIR).parent / "shared" / "seeds" / "catalogue.yaml"


def seed_catalogue():
    return yaml.safe_load((SHARED_SEED if SHARED_SEED.exists() else KEPT_SEED).read_text())


BREAKAGES = {
    "bad front matter": (
        "01-cat/01-loader-topic/01-lesson-1.md",
        lambda p: p.write_text("no front matter here\n"),
        "front matter",
    ),
    "unclosed front matter": (
        "01-cat/01-loader-topic/01-lesson-1.md",
        lambda p: p.write_text("---\ntitle: x\n"),
        "not closed",
    ),
    "wrong name": (
        "01-cat/01-loader-topic/Lesson_Three.md",
        lambda p: p.write_text("---\ntitle: x\nminutes: 3\nobjectives: [a]\n---\nBody\n"),
        "NN-slug",
    ),
    "unknown question kind": (
        "01-cat/01-loader-topic/quiz.yaml",
        lambda p: p.write_text(p.read_text().replace("kind: single", "kind: essay")),
        "unknown kind",
    ),
    "quiz names no lesson": (
        "01-cat/01-loader-topic/quiz.yaml",
        lambda p: p.write_text(p.read_text().replace("lesson: 01-lesson-1", "lesson: 09-nowhere")),
        "names no lesson",
    ),
    "duplicate lesson slug": (
        "01-cat/01-loader-topic/03-lesson-1.md",
        lambda p: p.write_text("---\ntitle: Dup\nminutes: 3\nobjectives: [a]\n---\nBody\n"),
        "duplicate lesson slug",
    ),
    "two correct in single": (
        "01-cat/01-loader-topic/quiz.yaml",
        lambda p: p.write_text(p.read_text().replace("- text: B", "- correct: true\n    text: B")),
        "exactly one correct",
    ),
    "true_false with other choices": (
        "01-cat/01-loader-topic/quiz.yaml",
        lambda p: p.write_text(p.read_text().replace("text: 'False'", "text: Maybe")),
        "'True' and 'False'",
    ),
    "missing explanation": (
        "01-cat/01-loader-topic/quiz.yaml",
        lambda p: p.write_text(p.read_text().replace("explanation: Because A.", "")),
        "missing explanation",
    ),
    "draw size not a whole number": (
        "01-cat/01-loader-topic/quiz.yaml",
        lambda p: p.write_text("draw_size: 0\n" + p.read_text()),
        "'draw_size' must be a positive whole number",
    ),
    "cooldown hours not a number": (
        "01-cat/01-loader-topic/quiz.yaml",
        lambda p: p.write_text("cooldown_hours: a day\n" + p.read_text()),
        "'cooldown_hours' must be a positive whole number",
    ),
    "minutes not a number": (
        "01-cat/01-loader-topic/02-lesson-2.md",
        lambda p: p.write_text(p.read_text().replace("minutes: 5", "minutes: soon")),
        "minutes",
    ),
}


def _snapshot():
    return (
        list(Topic.objects.values_list("slug", "title", "source_hash").order_by("slug")),
        list(Lesson.objects.values_list("slug", "title", "is_published").order_by("topic_id", "slug")),
        Quiz.objects.count(),
        Question.objects.count(),
    )


KEPT_SEED = Path(settings.BASE_DIR) / "fixtures" / "seed-catalogue.yaml"


def test_kept_seed_matches_the_shared_one():
    if not SHARED_SEED.exists():
        pytest.skip("no shared seed beside this checkout")
    assert yaml.safe_load(KEPT_SEED.read_text()) == yaml.safe_load(SHARED_SEED.read_text())


def test_real_track_loads_with_seed_titles_in_seed_order(db):
    seed = seed_catalogue()
    assert [c.title for c in Category.objects.order_by("position")] == [c["title"] for c in seed["categories"]]
    expected_topics = [t["title"] for c in seed["categories"] for t in c["topics"]]
    loaded = list(Topic.objects.order_by("category__position", "position").values_list("title", flat=True))
    assert loaded == expected_topics
    assert len(loaded) == 50


def test_second_run_changes_nothing(db, capsys):
    call_command("load_track")
    capsys.readouterr()
    call_command("load_track")
    out = capsys.readouterr().out
    assert "0 created, 0 updated, 0 unpublished" in out


def test_small_track_loads_with_quiz(small_track, db):
    report = track_load(root=small_track)
    topic = Topic.objects.get(slug="loader-topic")
    assert [lesson.slug for lesson in topic.lessons.order_by("position")] == ["lesson-1", "lesson-2"]
    assert topic.quiz.questions.count() == 2
    assert "topic loader-topic" in report.created
    assert track_load(root=small_track).summary() == "0 created, 0 updated, 0 unpublished"


def test_the_draw_and_the_cooldown_are_set_in_quiz_yaml_and_kept_when_left_out(small_track, db):
    quiz_file = small_track / "01-cat/01-loader-topic/quiz.yaml"
    original = quiz_file.read_text()
    quiz_file.write_text("draw_size: 1\ncooldown_failures: 2\ncooldown_hours: 6\n" + original)
    track_load(root=small_track)
    quiz = Quiz.objects.get(topic__slug="loader-topic")
    assert (quiz.draw_size, quiz.cooldown_failures, quiz.cooldown_hours, quiz.max_attempts) == (1, 2, 6, None)
    quiz_file.write_text(original + "\n")  # the keys left out: an admin's or the last file's values stay
    track_load(root=small_track)
    quiz.refresh_from_db()
    assert (quiz.draw_size, quiz.cooldown_failures, quiz.cooldown_hours) == (1, 2, 6)


@pytest.mark.parametrize("name", sorted(BREAKAGES))
def test_malformed_input_is_refused_naming_the_file_and_nothing_changes(small_track, db, name):
    track_load(root=small_track)  # a good state first
    before = _snapshot()
    relative, breaker, expected = BREAKAGES[name]
    target = small_track / relative
    breaker(target)
    # and a valid change elsewhere that must NOT be written either
    lesson2 = small_track / "01-cat/01-loader-topic/02-lesson-2.md"
    if relative != "01-cat/01-loader-topic/02-lesson-2.md":
        lesson2.write_text(lesson2.read_text().replace("title: Lesson 2", "title: Renamed"))
    with pytest.raises(CommandError) as excinfo:
        call_command("load_track", str(small_track))
    message = str(excinfo.value)
    assert target.name in message
    assert expected in message
    assert _snapshot() == before


def test_duplicate_topic_slug_is_refused(small_track, db):
    shutil.copytree(small_track / "01-cat/01-loader-topic", small_track / "01-cat/02-loader-topic")
    with pytest.raises(CommandError, match="duplicate topic slug 'loader-topic'"):
        call_command("load_track", str(small_track))


def test_removed_lesson_is_unpublished_not_deleted_and_comes_back(small_track, db, capsys):
    track_load(root=small_track)
    lesson_file = small_track / "01-cat/01-loader-topic/02-lesson-2.md"
    text = lesson_file.read_text()
    lesson_file.unlink()
    quiz = small_track / "01-cat/01-loader-topic/quiz.yaml"
    quiz.write_text(quiz.read_text().replace("lesson: 02-lesson-2", "lesson: 01-lesson-1"))
    call_command("load_track", str(small_track))
    assert "unpublished (its file is gone): lesson loader-topic/lesson-2" in capsys.readouterr().out
    lesson = Lesson.objects.get(topic__slug="loader-topic", slug="lesson-2")
    assert lesson.is_published is False
    lesson_file.write_text(text)
    track_load(root=small_track)
    lesson.refresh_from_db()
    assert lesson.is_published is True


def test_admin_unpublish_survives_a_reload(small_track, db):
    track_load(root=small_track)
    Lesson.objects.filter(slug="lesson-1", topic__slug="loader-topic").update(is_published=False)
    track_load(root=small_track)
    assert not Lesson.objects.get(slug="lesson-1", topic__slug="loader-topic").is_published


def test_changed_file_updates_its_row(small_track, db):
    track_load(root=small_track)
    path = small_track / "01-cat/01-loader-topic/01-lesson-1.md"
    path.write_text(path.read_text().replace("Text 1.", "Text one, revised."))
    report = track_load(root=small_track)
    assert report.updated == ["lesson loader-topic/lesson-1"]
    assert "revised" in Lesson.objects.get(slug="lesson-1", topic__slug="loader-topic").body_html
