"""Reads and validates the track's content files (fixtures/track/, format in docs/content-format.md).

Parsing is pure: it touches no database. `read_track` returns the whole track as plain specs, or
raises `TrackError` listing every fault with the file it is in, so nothing is written from a bad tree.
"""

from __future__ import annotations

from pathlib import Path

import yaml

from courses.frameworks import check_references, read_frameworks, read_references
from courses.track_specs import (
    MAX_VALIDITY_MONTHS,
    NAME,
    QUESTION_KEYS,
    QUESTION_KINDS,
    QUIZ_KEYS,
    CategorySpec,
    ChoiceSpec,
    LessonSpec,
    QuestionSpec,
    QuizSpec,
    TopicSpec,
    TrackError,
    TrackSpec,
    load_yaml,
    split_front_matter,
)


class _Reader:
    def __init__(self, root: Path):
        self.root = root
        self.faults: list[str] = []

    def rel(self, path: Path) -> str:
        try:
            return str(path.relative_to(self.root.parent))
        except ValueError:
            return str(path)

    def fault(self, path: Path, message: str) -> None:
        self.faults.append(f"{self.rel(path)}: {message}")

    def front_matter(self, path: Path, required: tuple[str, ...]) -> tuple[dict, str] | None:
        try:
            meta, body = split_front_matter(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            self.fault(path, "missing")
            return None
        except (OSError, UnicodeDecodeError, ValueError) as exc:
            self.fault(path, str(exc))
            return None
        for key in required:
            if not isinstance(meta.get(key), str) or not meta[key].strip():
                self.fault(path, f"front matter needs a non-empty '{key}'")
                return None
        return meta, body

    def named_children(self, folder: Path, *, dirs: bool):
        """(position, slug, path) for each NN-slug child, faults for misnamed ones."""
        found = []
        for path in sorted(folder.iterdir()):
            if path.name.startswith("."):
                continue
            if dirs and path.is_dir():
                name = path.name
            elif not dirs and path.is_file() and path.suffix == ".md" and path.name != "topic.md":
                name = path.stem
            else:
                continue
            match = NAME.match(name)
            if not match:
                self.fault(path, "name is not NN-slug (two digits, a hyphen, lowercase letters, digits, hyphens)")
                continue
            found.append((int(match.group(1)), match.group(2), path))
        return found

    def read(self) -> TrackSpec:
        if not self.root.is_dir():
            raise TrackError([f"{self.root}: no such folder"])
        track_meta = self.front_matter(self.root / "track.md", ("title",))
        track = TrackSpec(
            title=track_meta[0]["title"] if track_meta else "",
            summary=str(track_meta[0].get("summary", "")) if track_meta else "",
            body=track_meta[1] if track_meta else "",
        )
        topic_paths: dict[str, Path] = {}
        for position, slug, cat_dir in self.named_children(self.root, dirs=True):
            parsed = self.front_matter(cat_dir / "category.md", ("title",))
            if not parsed:
                continue
            category = CategorySpec(
                path=self.rel(cat_dir),
                slug=slug,
                position=position,
                title=parsed[0]["title"].strip(),
                summary=str(parsed[0].get("summary", "")).strip(),
            )
            track.categories.append(category)
            for t_position, t_slug, topic_dir in self.named_children(cat_dir, dirs=True):
                if t_slug in topic_paths:
                    self.fault(topic_dir, f"duplicate topic slug '{t_slug}' (also {self.rel(topic_paths[t_slug])})")
                    continue
                topic_paths[t_slug] = topic_dir
                topic = self.read_topic(topic_dir, t_slug, t_position)
                if topic:
                    category.topics.append(topic)
        # Beside the track, like the reference registry, so the track folder holds only categories.
        track.frameworks, faults = read_frameworks(self.root.parent / "frameworks", self.rel)
        self.faults += faults + check_references(track.frameworks, track.topics())
        if self.faults:
            raise TrackError(self.faults)
        return track

    def read_topic(self, topic_dir: Path, slug: str, position: int) -> TopicSpec | None:
        parsed = self.front_matter(topic_dir / "topic.md", ("title", "summary"))
        if not parsed:
            return None
        meta, body = parsed
        topic = TopicSpec(
            path=self.rel(topic_dir),
            slug=slug,
            position=position,
            title=meta["title"].strip(),
            summary=meta["summary"].strip(),
            body=body,
            frameworks=read_references(self.rel(topic_dir / "topic.md"), meta, self.faults),
            validity_months=self.validity_months(topic_dir / "topic.md", meta),
        )
        seen: dict[str, Path] = {}
        for l_position, l_slug, path in self.named_children(topic_dir, dirs=False):
            if l_slug in seen:
                self.fault(path, f"duplicate lesson slug '{l_slug}' (also {self.rel(seen[l_slug])})")
                continue
            seen[l_slug] = path
            lesson = self.read_lesson(path, l_slug, l_position)
            if lesson:
                topic.lessons.append(lesson)
        quiz_path = topic_dir / "quiz.yaml"
        if quiz_path.exists():
            topic.quiz = self.read_quiz(quiz_path, {lesson.stem for lesson in topic.lessons})
        return topic

    def validity_months(self, path: Path, meta: dict) -> int | None:
        """A topic's `validity_months`: absent for the site's default, 0 for never expires, else 1-600."""
        value = meta.get("validity_months")
        if value is None:
            return None
        if not isinstance(value, int) or isinstance(value, bool) or not 0 <= value <= MAX_VALIDITY_MONTHS:
            self.fault(
                path,
                f"front matter 'validity_months' must be a whole number of months (1-{MAX_VALIDITY_MONTHS}), "
                "or 0 for a certificate that never expires",
            )
            return None
        return value

    def read_lesson(self, path: Path, slug: str, position: int) -> LessonSpec | None:
        parsed = self.front_matter(path, ("title",))
        if not parsed:
            return None
        meta, body = parsed
        minutes = meta.get("minutes")
        if not isinstance(minutes, int) or isinstance(minutes, bool) or not 1 <= minutes <= 600:
            self.fault(path, "front matter 'minutes' must be a whole number of minutes (1-600)")
            return None
        objectives = meta.get("objectives")
        if not isinstance(objectives, list) or not objectives or not all(isinstance(o, str) for o in objectives):
            self.fault(path, "front matter 'objectives' must be a non-empty list of sentences")
            return None
        if not body.strip():
            self.fault(path, "the lesson has no body")
            return None
        return LessonSpec(
            path=self.rel(path),
            stem=path.stem,
            slug=slug,
            position=position,
            title=meta["title"].strip(),
            minutes=minutes,
            objectives=[o.strip() for o in objectives],
            body=body,
            frameworks=read_references(self.rel(path), meta, self.faults),
        )

    def read_quiz(self, path: Path, lesson_stems: set[str]) -> QuizSpec | None:
        try:
            data = load_yaml(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
            self.fault(path, f"not valid YAML ({exc.__class__.__name__})")
            return None
        if not isinstance(data, dict):
            self.fault(path, "must be a mapping with a 'questions' list")
            return None
        before = len(self.faults)
        unknown = set(data) - QUIZ_KEYS
        if unknown:
            self.fault(path, f"unknown keys {sorted(unknown)}")
        pass_percent = data.get("pass_percent", 70)
        if not isinstance(pass_percent, int) or isinstance(pass_percent, bool) or not 1 <= pass_percent <= 100:
            self.fault(path, "'pass_percent' must be a whole number from 1 to 100")
        counts = {}
        for key in ("max_attempts", "draw_size", "cooldown_failures", "cooldown_hours"):
            counts[key] = data.get(key)
            if counts[key] is not None and (
                not isinstance(counts[key], int) or isinstance(counts[key], bool) or counts[key] < 1
            ):
                self.fault(path, f"'{key}' must be a positive whole number")
        shuffle = data.get("shuffle", True)
        if not isinstance(shuffle, bool):
            self.fault(path, "'shuffle' must be true or false")
        raw_questions = data.get("questions")
        if not isinstance(raw_questions, list) or not raw_questions:
            self.fault(path, "needs a non-empty 'questions' list")
            return None
        questions = [
            q for i, raw in enumerate(raw_questions, 1) if (q := self.read_question(path, i, raw, lesson_stems))
        ]
        if len(self.faults) > before:
            return None
        return QuizSpec(
            path=self.rel(path),
            pass_percent=pass_percent,
            max_attempts=counts["max_attempts"],
            shuffle=shuffle,
            questions=questions,
            draw_size=counts["draw_size"],
            cooldown_failures=counts["cooldown_failures"],
            cooldown_hours=counts["cooldown_hours"],
        )

    def read_question(self, path: Path, number: int, raw, lesson_stems: set[str]) -> QuestionSpec | None:
        def fault(message: str) -> None:
            self.fault(path, f"question {number}: {message}")

        if not isinstance(raw, dict):
            fault("must be a mapping")
            return None
        ok = True
        unknown = set(raw) - QUESTION_KEYS
        if unknown:
            fault(f"unknown keys {sorted(unknown)}")
            ok = False
        kind = raw.get("kind")
        if kind not in QUESTION_KINDS:
            fault(f"unknown kind {kind!r} (single, multiple or true_false)")
            return None
        lesson = raw.get("lesson")
        if lesson not in lesson_stems:
            fault(f"'lesson' {lesson!r} names no lesson of this topic")
            ok = False
        for key in ("prompt", "explanation"):
            if not isinstance(raw.get(key), str) or not raw[key].strip():
                fault(f"missing {key}")
                ok = False
        choices = []
        for c_number, choice in enumerate(raw.get("choices") or [], 1):
            if not isinstance(choice, dict) or not isinstance(choice.get("text"), str | int | float | bool):
                fault(f"choice {c_number} needs a 'text'")
                ok = False
                continue
            correct = choice.get("correct", False)
            if not isinstance(correct, bool):
                fault(f"choice {c_number}: 'correct' must be true or false")
                ok = False
            choices.append(ChoiceSpec(text=str(choice["text"]).strip(), correct=correct is True))
        right = sum(c.correct for c in choices)
        if kind == "single" and not (3 <= len(choices) <= 6 and right == 1):
            fault(
                "a single-choice question needs 3 to 6 choices with exactly one correct "
                f"(has {len(choices)}, {right} correct)"
            )
            ok = False
        elif kind == "multiple" and not (4 <= len(choices) <= 6 and 2 <= right < len(choices)):
            fault("a multiple-choice question needs 4 to 6 choices, at least two correct and one wrong")
            ok = False
        elif kind == "true_false" and not (sorted(c.text for c in choices) == ["False", "True"] and right == 1):
            fault("a true/false question needs exactly the choices 'True' and 'False', one correct")
            ok = False
        if len({c.text for c in choices}) != len(choices):
            fault("two choices have the same text")
            ok = False
        if not ok:
            return None
        return QuestionSpec(
            kind=kind,
            lesson_stem=lesson,
            prompt=raw["prompt"].strip(),
            explanation=raw["explanation"].strip(),
            choices=choices,
        )


def read_track(root: Path) -> TrackSpec:
    """The whole track under `root`, validated; raises TrackError naming every malformed file."""
    return _Reader(Path(root).resolve()).read()
