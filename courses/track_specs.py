"""The track as plain data: the specs `courses.track.read_track` returns, their fingerprints (how a database
row tells whether it still matches its file), front matter and YAML parsing. Pure: no database, no files."""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import asdict, dataclass, field

import yaml

from courses.frameworks import FrameworkSpec

# libyaml's safe parser where it is installed (it is, with PyYAML's wheels): several times faster.
YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def load_yaml(text: str):
    return yaml.load(text, Loader=YAML_LOADER)  # noqa: S506 - a safe loader (CSafeLoader or SafeLoader)


MAX_VALIDITY_MONTHS = 600  # fifty years: anything longer is a typo
NAME = re.compile(r"^(\d\d)-([a-z0-9]+(?:-[a-z0-9]+)*)$")
QUESTION_KINDS = ("single", "multiple", "true_false")
QUESTION_KEYS = {"kind", "lesson", "prompt", "choices", "explanation"}
QUIZ_KEYS = {"pass_percent", "max_attempts", "draw_size", "cooldown_failures", "cooldown_hours", "shuffle", "questions"}


class TrackError(Exception):
    """The track files are malformed; `faults` lists each as 'path: what is wrong'."""

    def __init__(self, faults: list[str]):
        self.faults = faults
        super().__init__("\n".join(faults))


@dataclass
class ChoiceSpec:
    text: str
    correct: bool


@dataclass
class QuestionSpec:
    kind: str
    lesson_stem: str
    prompt: str
    explanation: str
    choices: list[ChoiceSpec]


@dataclass
class QuizSpec:
    path: str
    pass_percent: int
    max_attempts: int | None
    shuffle: bool
    questions: list[QuestionSpec]
    # Left out of the file: the quiz keeps its current value (the model's default for a new quiz).
    draw_size: int | None = None
    cooldown_failures: int | None = None
    cooldown_hours: int | None = None

    def fingerprint(self) -> str:
        """Blind to the lessons' position prefixes: reordering lessons renames their files (and the quiz's
        references to them) without changing the quiz."""
        data = asdict(self) | {"path": None}
        for question in data["questions"]:
            question["lesson_stem"] = NAME.sub(r"\2", question["lesson_stem"])
        return _fingerprint(data)


@dataclass
class LessonSpec:
    path: str
    stem: str
    slug: str
    position: int
    title: str
    minutes: int
    objectives: list[str]
    body: str
    frameworks: list[str] = field(default_factory=list)

    def fingerprint(self) -> str:
        data = asdict(self)
        del data["frameworks"]  # mappings are not lesson content: changing them leaves the lesson's row alone
        return _fingerprint(data | {"path": None})


def lesson_fingerprint(*, slug: str, position: int, title: str, minutes: int, objectives: list, body: str) -> str:
    """The fingerprint LessonSpec.fingerprint gives a file with this content, computed from a database row's
    fields: equal to the row's `source_hash` unless the row was edited since it was loaded."""
    fields = {"slug": slug, "position": position, "title": title, "minutes": minutes, "objectives": list(objectives)}
    return _fingerprint({"path": None, "stem": f"{position:02d}-{slug}", **fields, "body": body})


def topic_fingerprint(*, title: str, summary: str, body: str, position: int, validity_months: int | None = None) -> str:
    data = {"title": title, "summary": summary, "body": body, "pos": position}
    if validity_months is not None:  # absent from the fingerprint when unset, so older fingerprints still match
        data["validity_months"] = validity_months
    return _fingerprint(data)


@dataclass
class TopicSpec:
    path: str
    slug: str
    position: int
    title: str
    summary: str
    body: str
    lessons: list[LessonSpec] = field(default_factory=list)
    quiz: QuizSpec | None = None
    frameworks: list[str] = field(default_factory=list)
    validity_months: int | None = None  # None: the site's default; 0: never expires

    def fingerprint(self) -> str:
        return topic_fingerprint(
            title=self.title,
            summary=self.summary,
            body=self.body,
            position=self.position,
            validity_months=self.validity_months,
        )


@dataclass
class CategorySpec:
    path: str
    slug: str
    position: int
    title: str
    summary: str
    topics: list[TopicSpec] = field(default_factory=list)


@dataclass
class TrackSpec:
    title: str
    summary: str
    body: str
    categories: list[CategorySpec] = field(default_factory=list)
    frameworks: list[FrameworkSpec] = field(default_factory=list)

    def topics(self) -> list[TopicSpec]:
        return [topic for category in self.categories for topic in category.topics]


def _fingerprint(data: dict) -> str:
    return hashlib.sha256(json.dumps(data, sort_keys=True, default=str).encode()).hexdigest()


def split_front_matter(text: str) -> tuple[dict, str]:
    """YAML front matter between '---' lines at the top, and the Markdown body after it."""
    if not text.startswith("---\n"):
        raise ValueError("no front matter: the file must start with a '---' line")
    end = text.find("\n---", 4)
    if end < 0:
        raise ValueError("front matter is not closed by a '---' line")
    try:
        meta = load_yaml(text[4:end]) or {}
    except yaml.YAMLError as exc:
        raise ValueError(f"front matter is not valid YAML ({exc.__class__.__name__})") from exc
    if not isinstance(meta, dict):
        raise ValueError("front matter is not a mapping")
    return meta, text[end + 4 :].lstrip("\n")
