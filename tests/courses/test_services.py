"""Loading the track: validation first, idempotent upserts by slug, retired lessons, admin edits kept."""

import shutil
from pathlib import Path

import pytest
import yaml
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command

from courses.models import Category, Framework, FrameworkItem, FrameworkMapping, Lesson, Topic
from courses.services import lesson_move
from courses.track_export import track_export
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


# --- Frameworks: their files, the references in front matter, and the mappings they load ---------------

TEST_FRAMEWORK = {
    "key": "TEST-FW",
    "title": "A test framework",
    "short_title": "Test FW 1.0",
    "edition": "1.0",
    "publisher": "Tests",
    "url": "https://example.com/fw",
    "summary": "For the loader's tests.",
    "items": [
        {"code": "GROUP", "label": "GROUP", "title": "A group", "kind": "function", "description": "Groups."},
        {"code": "GROUP-1.1", "label": "GROUP 1.1", "kind": "item", "parent": "GROUP", "description": "One."},
        {"code": "GROUP-1.2", "label": "GROUP 1.2", "kind": "item", "parent": "GROUP", "description": "Two."},
        {"code": "Art-9", "label": "Article 9", "title": "Risk", "kind": "article", "description": "Nine."},
    ],
}


def add_front_matter_line(path: Path, line: str) -> None:
    text = path.read_text()
    end = text.index("\n---", 4)
    path.write_text(text[:end] + "\n" + line + text[end:])


@pytest.fixture
def mapped_track(small_track):
    """The small track with one framework file, a topic-level and a lesson-level mapping."""
    (small_track.parent / "frameworks").mkdir()
    (small_track.parent / "frameworks" / "test-fw.yaml").write_text(yaml.safe_dump(TEST_FRAMEWORK, sort_keys=False))
    topic_dir = small_track / "01-cat/01-loader-topic"
    add_front_matter_line(topic_dir / "topic.md", "frameworks: [TEST-FW:GROUP-1.1]")
    add_front_matter_line(topic_dir / "02-lesson-2.md", "frameworks: [TEST-FW:Art-9, TEST-FW:GROUP-1.2]")
    return small_track


def _mappings():
    return sorted(
        FrameworkMapping.objects.values_list("item__framework__key", "item__code", "topic__slug", "lesson__slug")
    )


def test_frameworks_load_with_their_items_and_mappings(mapped_track, db):
    report = track_load(root=mapped_track)
    framework = Framework.objects.get(key="TEST-FW")
    assert (framework.slug, framework.short_title) == ("test-fw", "Test FW 1.0")
    items = {item.code: item for item in framework.items.all()}
    assert list(items) == ["GROUP", "GROUP-1.1", "GROUP-1.2", "Art-9"]
    assert items["GROUP-1.1"].parent == items["GROUP"] and items["GROUP-1.1"].label == "GROUP 1.1"
    assert [code for code, item in items.items() if not item.is_mappable] == ["GROUP"]
    assert _mappings() == [
        ("TEST-FW", "Art-9", "loader-topic", "lesson-2"),
        ("TEST-FW", "GROUP-1.1", "loader-topic", None),
        ("TEST-FW", "GROUP-1.2", "loader-topic", "lesson-2"),
    ]
    assert "framework TEST-FW" in report.created and "mapping loader-topic/lesson-2 TEST-FW:Art-9" in report.created


def test_a_second_load_of_frameworks_changes_nothing(mapped_track, db):
    track_load(root=mapped_track)
    before = (_mappings(), list(FrameworkItem.objects.values_list("pk", "source_hash").order_by("pk")))
    assert track_load(root=mapped_track).summary() == "0 created, 0 updated, 0 unpublished"
    assert (_mappings(), list(FrameworkItem.objects.values_list("pk", "source_hash").order_by("pk"))) == before


def test_changed_mappings_and_items_are_applied_without_touching_lessons(mapped_track, db):
    track_load(root=mapped_track)
    lesson = mapped_track / "01-cat/01-loader-topic/02-lesson-2.md"
    lesson.write_text(lesson.read_text().replace("frameworks: [TEST-FW:Art-9, TEST-FW:GROUP-1.2]", "frameworks: []"))
    data = dict(TEST_FRAMEWORK, items=[*TEST_FRAMEWORK["items"][:3]])  # Art-9 withdrawn from the file
    data["items"][1] = dict(data["items"][1], description="One, reworded.")
    (mapped_track.parent / "frameworks/test-fw.yaml").write_text(yaml.safe_dump(data, sort_keys=False))
    report = track_load(root=mapped_track)
    assert report.updated == ["framework item TEST-FW:GROUP-1.1"]  # the lesson's own row is left alone
    assert report.removed == ["framework item TEST-FW:Art-9", "1 mapping(s)"]
    assert report.summary() == "0 created, 1 updated, 0 unpublished, 2 removed"
    assert _mappings() == [("TEST-FW", "GROUP-1.1", "loader-topic", None)]
    assert FrameworkItem.objects.get(code="GROUP-1.1").description == "One, reworded."


REFERENCE_BREAKAGES = {
    "unknown framework": ("topic.md", "frameworks: [NOPE:GROUP-1.1]", "unknown framework in 'NOPE:GROUP-1.1'"),
    "unknown item": ("topic.md", "frameworks: [TEST-FW:GROUP-9.9]", "unknown framework item 'TEST-FW:GROUP-9.9'"),
    "a grouping item": ("01-lesson-1.md", "frameworks: [TEST-FW:GROUP]", "groups other items"),
    "not KEY:CODE": ("topic.md", "frameworks: [GROUP-1.1]", "is not FRAMEWORK:ITEM"),
    "not a list": ("01-lesson-1.md", "frameworks: TEST-FW:GROUP-1.1", "must be a list"),
    "listed twice": ("01-lesson-1.md", "frameworks: [TEST-FW:Art-9, TEST-FW:Art-9]", "listed twice"),
    "lesson repeats its topic": ("01-lesson-1.md", "frameworks: [TEST-FW:GROUP-1.1]", "already mapped by its topic"),
}


@pytest.mark.parametrize("name", sorted(REFERENCE_BREAKAGES))
def test_unknown_or_malformed_framework_references_are_refused(mapped_track, db, name):
    track_load(root=mapped_track)
    before = (_snapshot(), _mappings())
    filename, line, expected = REFERENCE_BREAKAGES[name]
    target = mapped_track / "01-cat/01-loader-topic" / filename
    text = target.read_text()
    if "frameworks:" in text:
        text = "\n".join(x for x in text.splitlines() if not x.startswith("frameworks:")) + "\n"
        target.write_text(text)
    if name == "lesson repeats its topic":
        target = mapped_track / "01-cat/01-loader-topic/01-lesson-1.md"
    add_front_matter_line(target, line)
    with pytest.raises(CommandError) as excinfo:
        call_command("load_track", str(mapped_track))
    message = str(excinfo.value)
    assert f"{target.name}: " in message and expected in message
    assert (_snapshot(), _mappings()) == before


FRAMEWORK_FILE_BREAKAGES = {
    "no title": (lambda d: d.pop("title"), "needs a non-empty 'title'"),
    "a bad key": (lambda d: d.update(key="test fw"), "'key' must be capitals"),
    "an unknown key": (lambda d: d.update(colour="blue"), "unknown keys ['colour']"),
    "a code used twice": (lambda d: d["items"].append(dict(d["items"][1])), "the code is used twice"),
    "a parent listed later": (lambda d: d["items"][1].update(parent="Art-9"), "is not an item listed before it"),
    "an item without a description": (lambda d: d["items"][3].pop("description"), "needs a non-empty 'description'"),
    "a code with a space": (lambda d: d["items"][3].update(code="Art 9"), "'code' must be letters and digits"),
}


@pytest.mark.parametrize("name", sorted(FRAMEWORK_FILE_BREAKAGES))
def test_malformed_framework_files_are_refused_naming_the_file(mapped_track, db, name):
    track_load(root=mapped_track)
    before = (_mappings(), list(FrameworkItem.objects.values_list("code", "source_hash").order_by("pk")))
    data = yaml.safe_load(yaml.safe_dump(TEST_FRAMEWORK))
    breaker, expected = FRAMEWORK_FILE_BREAKAGES[name]
    breaker(data)
    (mapped_track.parent / "frameworks/test-fw.yaml").write_text(yaml.safe_dump(data, sort_keys=False))
    with pytest.raises(CommandError) as excinfo:
        call_command("load_track", str(mapped_track))
    assert "frameworks/test-fw.yaml: " in str(excinfo.value) and expected in str(excinfo.value)
    assert (_mappings(), list(FrameworkItem.objects.values_list("code", "source_hash").order_by("pk"))) == before


def test_two_files_may_not_share_a_framework_key(mapped_track, db):
    frameworks = mapped_track.parent / "frameworks"
    shutil.copy(frameworks / "test-fw.yaml", frameworks / "copy.yaml")
    with pytest.raises(CommandError, match="framework key 'TEST-FW' is also used by"):
        call_command("load_track", str(mapped_track))


def test_every_topic_of_the_real_track_is_mapped(db):
    unmapped = Topic.objects.filter(is_published=True).exclude(framework_mappings__isnull=False)
    assert list(unmapped.values_list("slug", flat=True)) == []
    assert set(Framework.objects.values_list("key", flat=True)) == {"NIST-AI-RMF", "ISO-42001", "EU-AI-ACT"}
    nist = Framework.objects.get(key="NIST-AI-RMF")
    assert nist.items.filter(is_mappable=True).count() == 72  # the Core's subcategories
    assert nist.items.get(code="MEASURE-2.7").label == "MEASURE 2.7"
    iso = Framework.objects.get(key="ISO-42001")
    assert iso.items.filter(kind="control").count() == 38  # Annex A
    assert iso.items.get(code="A.6.2.4").title == "AI system verification and validation"
    assert Framework.objects.get(key="EU-AI-ACT").items.get(code="Art-15").title == (
        "Accuracy, robustness and cybersecurity"
    )


# --- Admin edits against the files: kept and reported, overwritten on request, exported ------------------


def edit_lesson(slug="lesson-1", **changes) -> Lesson:
    lesson = Lesson.objects.get(topic__slug="loader-topic", slug=slug)
    for name, value in changes.items():
        setattr(lesson, name, value)
    lesson.save()
    return lesson


def test_an_admin_edit_is_kept_and_reported_until_overwritten(small_track, db, capsys):
    track_load(root=small_track)
    lesson = edit_lesson(body_markdown="Edited in the admin.\n")
    assert lesson.changed_since_loaded
    report = track_load(root=small_track)
    assert report.kept == ["lesson loader-topic/lesson-1"] and not report.updated
    assert "1 edited in the admin kept" in report.summary()
    # The file changes too: the admin's edit still wins until someone says otherwise.
    path = small_track / "01-cat/01-loader-topic/01-lesson-1.md"
    path.write_text(path.read_text().replace("Text 1.", "Text one, revised."))
    assert track_load(root=small_track).kept == ["lesson loader-topic/lesson-1"]
    assert Lesson.objects.get(pk=lesson.pk).body_markdown == "Edited in the admin.\n"
    call_command("load_track", str(small_track), "--overwrite-admin-edits")
    assert "admin edit overwritten by its file: lesson loader-topic/lesson-1" in capsys.readouterr().out
    lesson.refresh_from_db()
    assert "revised" in lesson.body_html and not lesson.changed_since_loaded
    assert track_load(root=small_track).summary() == "0 created, 0 updated, 0 unpublished"


def test_unchanged_rows_follow_their_files_as_before(small_track, db):
    track_load(root=small_track)
    edit_lesson(body_markdown="Edited in the admin.\n")
    path = small_track / "01-cat/01-loader-topic/02-lesson-2.md"
    path.write_text(path.read_text().replace("Text 2.", "Text two, revised."))
    report = track_load(root=small_track)
    assert report.updated == ["lesson loader-topic/lesson-2"] and report.kept == ["lesson loader-topic/lesson-1"]


def test_a_lesson_made_in_the_admin_is_not_retired_by_a_load(small_track, db):
    track_load(root=small_track)
    topic = Topic.objects.get(slug="loader-topic")
    Lesson.objects.create(topic=topic, slug="new-one", title="New", position=3, body_markdown="Body\n")
    report = track_load(root=small_track)
    assert report.kept == ["lesson loader-topic/new-one"] and not report.unpublished
    assert Lesson.objects.get(slug="new-one").is_published


def test_export_writes_only_edited_rows_and_leaves_conflicts(small_track, db):
    track_load(root=small_track)
    untouched = (small_track / "01-cat/01-loader-topic/02-lesson-2.md").read_bytes()
    edit_lesson(title="Retitled", body_markdown="Edited in the admin.\n")
    report = track_export(root=small_track)
    assert report.written == ["01-cat/01-loader-topic/01-lesson-1.md"]
    assert (small_track / "01-cat/01-loader-topic/02-lesson-2.md").read_bytes() == untouched
    assert track_load(root=small_track).reconciled == ["lesson loader-topic/lesson-1"]
    # Edited here and in the file since the load: a conflict, written only when asked.
    edit_lesson(body_markdown="Edited again.\n")
    path = small_track / "01-cat/01-loader-topic/01-lesson-1.md"
    path.write_text(path.read_text().replace("Edited in the admin.", "Edited in the file."))
    report = track_export(root=small_track)
    assert report.conflicts == ["lesson loader-topic/lesson-1"] and not report.written
    assert "Edited in the file." in path.read_text()
    assert track_export(root=small_track, include_conflicts=True).written == ["01-cat/01-loader-topic/01-lesson-1.md"]
    assert path.read_text().endswith("---\nEdited again.\n")


def test_moving_lessons_numbers_them_in_order(small_track, db):
    track_load(root=small_track)
    first = Lesson.objects.get(slug="lesson-1", topic__slug="loader-topic")
    assert lesson_move(lesson_id=first.pk, offset=-1) is False  # already first
    assert lesson_move(lesson_id=first.pk, offset=1) is True
    order = list(Lesson.objects.filter(topic__slug="loader-topic").order_by("position").values_list("slug", "position"))
    assert order == [("lesson-2", 1), ("lesson-1", 2)]
    with pytest.raises(ValidationError):
        lesson_move(lesson_id=first.pk, offset=3)
    report = track_export(root=small_track)
    assert sorted(report.renamed) == [
        ("01-cat/01-loader-topic/01-lesson-1.md", "01-cat/01-loader-topic/02-lesson-1.md"),
        ("01-cat/01-loader-topic/02-lesson-2.md", "01-cat/01-loader-topic/01-lesson-2.md"),
    ]
    quiz = (small_track / "01-cat/01-loader-topic/quiz.yaml").read_text()
    assert "lesson: 02-lesson-1" in quiz and "lesson: 01-lesson-2" in quiz
    assert track_load(root=small_track).summary() == "0 created, 0 updated, 0 unpublished"


def test_export_skips_what_the_files_cannot_hold(small_track, db):
    track_load(root=small_track)
    before = (small_track / "01-cat/01-loader-topic/01-lesson-1.md").read_text()
    edit_lesson(body_markdown="   \n")
    report = track_export(root=small_track)
    assert report.skipped == ["lesson loader-topic/lesson-1: it has no body"] and not report.written
    assert (small_track / "01-cat/01-loader-topic/01-lesson-1.md").read_text() == before
