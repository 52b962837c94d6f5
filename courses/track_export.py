"""Writing admin edits back to the track's files (fixtures/track format), so they can be reviewed as a diff and
committed: the inverse of the loader, for the topics and lessons whose rows no longer match their files.

Only rows edited since they were loaded (or made in the admin) are written; every other file is left byte for
byte. A row whose file also changed since it was loaded is a conflict and is not written unless asked.
Reordering renames files (`NN-slug`), and the topic's quiz.yaml follows the renamed lessons.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from courses.models import Lesson, Topic
from courses.track import read_track
from courses.track_specs import LessonSpec, TopicSpec, TrackError, load_yaml, split_front_matter


@dataclass
class ExportReport:
    written: list[str] = field(default_factory=list)  # files written, relative to the track's folder
    renamed: list[tuple[str, str]] = field(default_factory=list)  # (from, to)
    conflicts: list[str] = field(default_factory=list)  # edited here and in the file since the load: not written
    skipped: list[str] = field(default_factory=list)  # the files could not hold them (no folder, no body…)

    def summary(self) -> str:
        text = f"{len(self.written)} file(s) written, {len(self.renamed)} renamed"
        if self.conflicts:
            text += f", {len(self.conflicts)} conflict(s) not written"
        return text


class _IndentedDumper(yaml.SafeDumper):
    """Lists indented under their key, as the track's files write them."""

    def increase_indent(self, flow=False, indentless=False):
        return super().increase_indent(flow, False)


def _front_matter_file(meta: dict, body: str) -> str:
    front = yaml.dump(meta, Dumper=_IndentedDumper, sort_keys=False, allow_unicode=True, width=10_000)
    return f"---\n{front}---\n{body}"


def _rewrite(path: Path, values: dict, body: str) -> None:
    """Write a Markdown file with these front-matter values and body, keeping any other keys it had; a None
    value removes its key (an optional setting left to its default)."""
    meta = {}
    if path.exists():
        meta, _ = split_front_matter(path.read_text(encoding="utf-8"))
    merged = {**meta, **values}
    for key in [key for key, value in values.items() if value is None]:
        del merged[key]
    path.write_text(_front_matter_file(merged, body), encoding="utf-8")


_QUIZ_LESSON = re.compile(r"^(\s*(?:-\s+)?lesson:\s*)(['\"]?)(\d\d-[a-z0-9-]+)\2[ \t]*$", re.MULTILINE)


def _follow_renamed_lessons(quiz: Path, stems: dict[str, str]) -> bool:
    """Point quiz.yaml's `lesson:` lines at the lessons' new file names; True if it changed."""
    if not stems or not quiz.exists():
        return False
    text = quiz.read_text(encoding="utf-8")
    new = _QUIZ_LESSON.sub(lambda m: f"{m.group(1)}{m.group(2)}{stems.get(m.group(3), m.group(3))}{m.group(2)}", text)
    if new == text:
        return False
    load_yaml(new)  # still valid YAML, or raise before writing
    quiz.write_text(new, encoding="utf-8")
    return True


def _lesson_problem(lesson: Lesson) -> str:
    """Why the track's files cannot hold this lesson as it is (the reader's rules), or ''."""
    if not lesson.title.strip():
        return "it has no title"
    if not 1 <= lesson.minutes <= 600:
        return "its minutes must be from 1 to 600"
    if not lesson.objectives:
        return "it has no objectives"
    if not lesson.body_markdown.strip():
        return "it has no body"
    return ""


def _topic_problem(topic: Topic) -> str:
    return "" if topic.title.strip() and topic.summary.strip() else "it needs a title and a summary"


class _Exporter:
    def __init__(self, root: Path, include_conflicts: bool):
        self.root = Path(root).resolve()
        self.include_conflicts = include_conflicts
        self.report = ExportReport()
        spec = read_track(self.root)
        self.category_dirs = {c.slug: self._abs(c.path) for c in spec.categories}
        self.topic_specs: dict[str, TopicSpec] = {t.slug: t for c in spec.categories for t in c.topics}

    def _abs(self, relative: str) -> Path:
        return self.root.parent / relative

    def rel(self, path: Path) -> str:
        return str(path.relative_to(self.root))

    def _writable(self, row, file_fingerprint: str | None, label: str) -> bool:
        """Edited since loaded, and (unless conflicts are wanted) its file unchanged since then."""
        if not row.changed_since_loaded:
            return False
        conflict = row.from_file and file_fingerprint is not None and file_fingerprint != row.source_hash
        if conflict and not self.include_conflicts:
            self.report.conflicts.append(label)
            return False
        return True

    def run(self) -> ExportReport:
        lessons_by_topic: dict[int, list[Lesson]] = {}
        for lesson in Lesson.objects.filter(retired_at__isnull=True).order_by("position", "pk"):
            lessons_by_topic.setdefault(lesson.topic_id, []).append(lesson)
        for topic in Topic.objects.select_related("category").order_by("category__position", "position"):
            folder = self.export_topic(topic)
            if folder is not None:
                self.export_lessons(topic, folder, lessons_by_topic.get(topic.pk, []))
        return self.report

    def export_topic(self, topic: Topic) -> Path | None:
        spec = self.topic_specs.get(topic.slug)
        folder = self._abs(spec.path) if spec else None
        label = f"topic {topic.slug}"
        if not self._writable(topic, spec.fingerprint() if spec else None, label):
            return folder
        if problem := _topic_problem(topic):
            self.report.skipped.append(f"{label}: {problem}")
            return folder
        if folder is None:
            category_dir = self.category_dirs.get(topic.category.slug)
            if category_dir is None:
                self.report.skipped.append(f"topic {topic.slug}: category {topic.category.slug} has no folder")
                return None
            folder = category_dir / f"{topic.position:02d}-{topic.slug}"
            folder.mkdir()
        target = folder.with_name(f"{topic.position:02d}-{topic.slug}")
        if target != folder:
            folder.rename(target)
            self.report.renamed.append((self.rel(folder), self.rel(target)))
            folder = target
        values = {"title": topic.title, "summary": topic.summary, "validity_months": topic.validity_months}
        _rewrite(folder / "topic.md", values, topic.body_markdown)
        self.report.written.append(self.rel(folder / "topic.md"))
        return folder

    def export_lessons(self, topic: Topic, folder: Path, lessons: list[Lesson]) -> None:
        spec = self.topic_specs.get(topic.slug)
        files: dict[str, LessonSpec] = {lesson.slug: lesson for lesson in spec.lessons} if spec else {}
        renamed_stems: dict[str, str] = {}
        for lesson in lessons:
            file_spec = files.get(lesson.slug)
            label = f"lesson {topic.slug}/{lesson.slug}"
            if not self._writable(lesson, file_spec.fingerprint() if file_spec else None, label):
                continue
            if problem := _lesson_problem(lesson):
                self.report.skipped.append(f"{label}: {problem}")
                continue
            stem = f"{lesson.position:02d}-{lesson.slug}"
            target = folder / f"{stem}.md"
            old = folder / f"{file_spec.stem}.md" if file_spec else None
            if old is not None and old != target:
                old.rename(target)
                renamed_stems[file_spec.stem] = stem
                self.report.renamed.append((self.rel(old), self.rel(target)))
            values = {"title": lesson.title, "minutes": lesson.minutes, "objectives": list(lesson.objectives)}
            _rewrite(target, values, lesson.body_markdown)
            self.report.written.append(self.rel(target))
        if _follow_renamed_lessons(folder / "quiz.yaml", renamed_stems):
            self.report.written.append(self.rel(folder / "quiz.yaml"))


def track_export(*, root: Path, include_conflicts: bool = False) -> ExportReport:
    """Write the topics and lessons edited in the admin into the track's files under `root`; the files must
    read cleanly before (TrackError otherwise, nothing written) and are checked again after."""
    report = _Exporter(root, include_conflicts).run()
    try:
        read_track(Path(root))
    except TrackError as exc:  # an admin edit the files cannot hold (an empty body, say): say which
        raise TrackError([f"after export: {fault}" for fault in exc.faults]) from exc
    return report
