"""load_track and export_track together: admin edits are reported and kept, written back to the files, and a
load of the exported files changes nothing."""

import shutil
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command

from courses.models import Lesson, Topic
from courses.services import lesson_move
from quizzes.models import Quiz


@pytest.fixture
def track_copy(tmp_path, db):
    """A temporary copy of the real track (and the frameworks beside it): what the test database was loaded from."""
    root = tmp_path / "track"
    shutil.copytree(settings.TRACK_PATH, root)
    shutil.copytree(settings.TRACK_PATH.parent / "frameworks", tmp_path / "frameworks")
    return root


def snapshot(root: Path) -> dict[str, bytes]:
    return {str(path.relative_to(root)): path.read_bytes() for path in root.rglob("*") if path.is_file()}


def changed_files(before: dict[str, bytes], after: dict[str, bytes]) -> set[str]:
    return {name for name in before.keys() | after.keys() if before.get(name) != after.get(name)}


def run(*args, capsys) -> str:
    capsys.readouterr()
    call_command(*args)
    return capsys.readouterr().out


def test_every_row_matches_its_file_after_a_load(db):
    assert not [lesson for lesson in Lesson.objects.all() if lesson.changed_since_loaded]
    assert not [topic for topic in Topic.objects.all() if topic.changed_since_loaded]


def test_admin_edits_round_trip_export_then_load_changes_nothing(track_copy, capsys):
    topic = Topic.objects.filter(lessons__isnull=False, quiz__isnull=False).order_by("pk").first()
    first, second = list(topic.lessons.order_by("position"))[:2]
    edited = Lesson.objects.get(pk=second.pk)
    edited.title = "A clearer title: with a colon"
    edited.body_markdown += "\nOne more paragraph, written in the admin.\n"
    edited.objectives = [*edited.objectives, "Say it again in your own words"]
    edited.save()
    assert lesson_move(lesson_id=first.pk, offset=1)  # first and second swap places
    topic.title = "A topic retitled in the admin"
    topic.save()
    made_here = Lesson.objects.create(
        topic=topic, slug="made-in-the-admin", title="Made here", minutes=4, objectives=["Do it"], position=7,
        body_markdown="## A lesson\n\nWritten in the admin.\n",
    )  # fmt: skip
    assert made_here.changed_since_loaded and edited.changed_since_loaded

    out = run("load_track", str(track_copy), capsys=capsys)
    assert "0 created, 0 updated, 0 unpublished; 4 edited in the admin kept" in out
    assert f"differs from its file (edited in the admin), kept: lesson {topic.slug}/{second.slug}" in out
    assert "export_track" in out

    before = snapshot(track_copy)
    out = run("export_track", str(track_copy), capsys=capsys)
    assert "written:" in out and "renamed:" in out
    folder = next(track_copy.glob(f"*/*-{topic.slug}"))
    prefix = str(folder.relative_to(track_copy))
    assert changed_files(before, snapshot(track_copy)) == {
        f"{prefix}/topic.md",
        f"{prefix}/01-{first.slug}.md",  # the swap: both lessons' files renamed
        f"{prefix}/02-{first.slug}.md",
        f"{prefix}/01-{second.slug}.md",
        f"{prefix}/02-{second.slug}.md",
        f"{prefix}/07-made-in-the-admin.md",
        f"{prefix}/quiz.yaml",  # its questions follow the renamed lessons
    }
    assert (folder / f"02-{first.slug}.md").read_bytes() == before[f"{prefix}/01-{first.slug}.md"]  # renamed only
    text = (folder / f"01-{second.slug}.md").read_text()
    assert text.startswith("---\ntitle: 'A clearer title: with a colon'\nminutes: ")
    assert "\n  - Say it again in your own words\n---\n" in text and "written in the admin." in text

    quiz_hash = Quiz.objects.get(topic=topic).source_hash
    out = run("load_track", str(track_copy), capsys=capsys)
    assert "0 created, 0 updated, 0 unpublished." in out and "kept" not in out
    assert Quiz.objects.get(topic=topic).source_hash == quiz_hash
    assert not [lesson for lesson in Lesson.objects.filter(topic=topic) if lesson.changed_since_loaded]
    assert "0 created, 0 updated, 0 unpublished." in run("load_track", str(track_copy), capsys=capsys)
    assert "0 file(s) written, 0 renamed" in run("export_track", str(track_copy), capsys=capsys)
