"""The writing standard the project holds the track to, beyond its file format (courses.track).

Quiz banks must not leak cues (balanced true/false keys, varied multiple-choice shapes, no throwaway
"none of these" options, no absolute words that mark the wrong choices, the right answer in varied
places); lessons must vary their shape; every reading-list entry must be a verified reference from
the registry in `fixtures/references/` (beside the track, so the track folder holds only categories).
Pure (PyYAML only), so it runs without Django:

    python3 -m courses.content_standard fixtures/track [--quizzes] [--category 03-alignment-specification]
"""

from __future__ import annotations

import re
import sys
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from courses.track import read_track
from courses.track_specs import LessonSpec, QuizSpec, TopicSpec, TrackError, TrackSpec

# --- Quiz banks ------------------------------------------------------------------------------
MIN_BANK = 20
MIN_PER_LESSON = 3
TRUE_SHARE = (0.4, 0.6)  # share of true/false questions keyed True, per quiz (with 4 or more) and overall
MAX_ONE_WRONG_SHARE = 0.5  # multiple-choice questions with exactly one wrong choice, at most this share
MAX_SAME_POSITION_SHARE = 0.5  # single-choice questions whose right answer sits at the same place in the file
MAX_LONGEST_RIGHT_SHARE = 0.5  # single-choice questions whose right answer is the longest choice
THROWAWAY = re.compile(r"^\W*(none|nothing|neither|all of the above|both of the above)\b", re.I)
ABSOLUTE = re.compile(r"\b(always|never|only|guarantee[sd]?|impossible|eliminates?|completely|entirely)\b", re.I)

# --- Lessons -----------------------------------------------------------------------------------
OBJECTIVES = (3, 5)
TAKEAWAYS = (3, 6)
MAX_SAME_SHAPE_SHARE = 0.6  # in a category: lessons with the same objective count, takeaway count, or closing order
MAX_ARTICLE_OPENINGS_SHARE = 0.25  # lessons opening "A/An <something> ..."
STOCK_WORDS = {"quietly": 8, "honest": 12}  # at most this many lessons across the track use the word
MAX_DEEP_DIVE_OVERVIEWS = 5  # topic overviews that call themselves a "deep dive"
MIN_READING = 2
FAILURE_HEADING = re.compile(r"fail|pitfall|wrong|anti-pattern|mistake|trap", re.I)


@dataclass
class QuizReport:
    path: str
    bank: int = 0
    per_lesson: dict[str, int] = field(default_factory=dict)
    true_false: tuple[int, int] = (0, 0)  # (keyed True, all)
    multiple_shapes: Counter = field(default_factory=Counter)  # (choices, correct) -> questions
    single_positions: Counter = field(default_factory=Counter)
    longest_right: tuple[int, int] = (0, 0)  # (right answer is the longest, single-choice questions)
    absolute: tuple[int, int, int, int] = (0, 0, 0, 0)  # (wrong with, wrong, right with, right)
    faults: list[str] = field(default_factory=list)

    def line(self) -> str:
        t, n = self.true_false
        shapes = " ".join(f"{k}/{c}:{v}" for (k, c), v in sorted(self.multiple_shapes.items()))
        low = min(self.per_lesson.values()) if self.per_lesson else 0
        lr, ls = self.longest_right
        return (
            f"{self.path}: bank {self.bank}, min/lesson {low}, T/F True {t}/{n}, "
            f"multiple right/choices [{shapes}], right-is-longest {lr}/{ls}"
        )


def quiz_report(quiz: QuizSpec, lesson_stems: list[str]) -> QuizReport:
    """Measure a quiz bank and list every rule it breaks."""
    report = QuizReport(path=quiz.path, bank=len(quiz.questions))
    fault = report.faults.append
    per_lesson = Counter(q.lesson_stem for q in quiz.questions)
    report.per_lesson = {stem: per_lesson.get(stem, 0) for stem in lesson_stems}
    if report.bank < MIN_BANK:
        fault(f"{quiz.path}: a bank of {report.bank} questions; at least {MIN_BANK}")
    thin = [stem for stem, n in report.per_lesson.items() if n < MIN_PER_LESSON]
    if thin:
        fault(f"{quiz.path}: fewer than {MIN_PER_LESSON} questions check {', '.join(thin)}")
    kinds = {q.kind for q in quiz.questions}
    if len(kinds) < 2:
        fault(f"{quiz.path}: uses fewer than two kinds of question")

    tf = [q for q in quiz.questions if q.kind == "true_false"]
    keyed_true = sum(1 for q in tf for c in q.choices if c.correct and c.text == "True")
    report.true_false = (keyed_true, len(tf))
    if len(tf) >= 4 and not TRUE_SHARE[0] <= keyed_true / len(tf) <= TRUE_SHARE[1]:
        fault(f"{quiz.path}: true/false keyed True {keyed_true} of {len(tf)}; want 40-60 %")

    multiple = [q for q in quiz.questions if q.kind == "multiple"]
    for q in multiple:
        report.multiple_shapes[(sum(c.correct for c in q.choices), len(q.choices))] += 1
    if len(multiple) >= 3:
        right_counts = {right for right, _ in report.multiple_shapes}
        one_wrong = sum(n for (right, total), n in report.multiple_shapes.items() if total - right == 1)
        if len(right_counts) < 2:
            fault(f"{quiz.path}: every multiple-choice question has {right_counts.pop()} right choices; vary it")
        if one_wrong / len(multiple) > MAX_ONE_WRONG_SHARE:
            fault(
                f"{quiz.path}: {one_wrong} of {len(multiple)} multiple-choice questions have exactly one wrong choice"
            )

    single = [q for q in quiz.questions if q.kind == "single"]
    longest = 0
    for q in single:
        index = next(i for i, c in enumerate(q.choices) if c.correct)
        report.single_positions[index + 1] += 1
        lengths = [len(c.text) for c in q.choices]
        if lengths[index] == max(lengths) and lengths.count(max(lengths)) == 1:
            longest += 1
    report.longest_right = (longest, len(single))
    if len(single) >= 4:
        position, n = report.single_positions.most_common(1)[0]
        if n / len(single) > MAX_SAME_POSITION_SHARE:
            fault(f"{quiz.path}: the right answer is choice {position} in {n} of {len(single)} single-choice questions")
        if longest / len(single) > MAX_LONGEST_RIGHT_SHARE:
            fault(f"{quiz.path}: the right answer is the longest choice in {longest} of {len(single)} questions")

    wrong_abs = wrong = right_abs = right = 0
    for q in quiz.questions:
        if q.kind == "true_false":
            continue
        for c in q.choices:
            if THROWAWAY.search(c.text):
                fault(f"{quiz.path}: a throwaway choice {c.text[:60]!r} in {q.prompt[:60]!r}")
            has = bool(ABSOLUTE.search(c.text))
            if c.correct:
                right, right_abs = right + 1, right_abs + has
            else:
                wrong, wrong_abs = wrong + 1, wrong_abs + has
    report.absolute = (wrong_abs, wrong, right_abs, right)
    if wrong_abs > 2 and wrong_abs / max(wrong, 1) > 1.5 * right_abs / max(right, 1):
        fault(
            f"{quiz.path}: absolute words (always, never, only …) mark wrong choices: "
            f"{wrong_abs} of {wrong} wrong against {right_abs} of {right} right"
        )
    return report


# --- References -------------------------------------------------------------------------------
LINK = re.compile(r"\[([^\]]+)\]\((https?://[^)\s]+)\)")


@dataclass(frozen=True)
class Reference:
    key: str
    citation: str  # the entry as a reading list shows it, in Markdown, its title linked to `url`
    url: str
    checked: str  # when it was checked against a source (YYYY-MM-DD)
    evidence: str  # where the title, authors, year and link were confirmed
    file: str


def load_references(root: Path) -> tuple[dict[str, Reference], list[str]]:
    """The registry: every `references/*.yaml` beside the track folder, keyed by reference key."""
    references: dict[str, Reference] = {}
    faults: list[str] = []
    folder = root.parent / "references"
    for path in sorted(folder.glob("*.yaml")) if folder.is_dir() else []:
        rel = f"references/{path.name}"
        try:
            data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        except yaml.YAMLError as exc:
            faults.append(f"{rel}: not valid YAML ({exc.__class__.__name__})")
            continue
        if not isinstance(data, dict):
            faults.append(f"{rel}: must map reference keys to entries")
            continue
        for key, entry in data.items():
            where = f"{rel}: {key}"
            if not isinstance(entry, dict):
                faults.append(f"{where}: needs citation, url, checked and evidence")
                continue
            entry = {k: str(v).strip() for k, v in entry.items() if v is not None}  # YAML reads a bare date as a date
            if not all(entry.get(k) for k in ("citation", "url", "checked", "evidence")):
                faults.append(f"{where}: needs citation, url, checked and evidence")
                continue
            if key in references:
                faults.append(f"{where}: key also defined in {references[key].file}")
                continue
            links = LINK.findall(entry["citation"])
            if [url for _, url in links] != [entry["url"]]:
                faults.append(f"{where}: the citation must link its title to the url, once")
            if not re.fullmatch(r"\d{4}-\d\d-\d\d", str(entry["checked"])):
                faults.append(f"{where}: 'checked' must be a date, YYYY-MM-DD")
            references[key] = Reference(
                key=key,
                file=rel,
                **{k: str(entry[k]).strip() for k in Reference.__annotations__ if k not in ("key", "file")},
            )
    return references, faults


def section(body: str, title: str) -> str | None:
    match = re.search(rf"^##\s+{re.escape(title)}\s*$(.*?)(?=^##\s|\Z)", body, flags=re.S | re.M | re.I)
    return match.group(1) if match else None


def bullets(text: str) -> list[str]:
    """Top-level list items of a section, each joined onto one line."""
    items: list[str] = []
    for line in text.splitlines():
        if re.match(r"^[-*]\s+", line):
            items.append(re.sub(r"^[-*]\s+", "", line).strip())
        elif items and line.startswith("  ") and line.strip():
            items[-1] += " " + line.strip()
    return items


def reading_faults(
    lesson: LessonSpec, references: dict[str, Reference], by_citation: dict[str, str]
) -> tuple[list[str], set[str]]:
    """Each reading-list entry must be a registry citation, optionally followed by ' — why to read it'."""
    faults: list[str] = []
    cited: set[str] = set()
    text = section(lesson.body, "Further reading")
    entries = bullets(text or "")
    if len(entries) < MIN_READING:
        faults.append(f"{lesson.path}: {len(entries)} reading-list entries; at least {MIN_READING}")
    for entry in entries:
        # The citation itself may contain " — " (standards' titles do): match whole registry citations.
        key = by_citation.get(entry) or next(
            (k for citation, k in by_citation.items() if entry.startswith(citation + " — ")), None
        )
        if key is None:
            faults.append(f"{lesson.path}: reading entry not in the registry: {entry[:100]!r}")
        else:
            cited.add(key)
    return faults, cited


def lesson_shape(lesson: LessonSpec) -> tuple[int, int, bool, bool, list[str]]:
    """(objectives, takeaways, failure section right before the takeaways, opens with an article, faults)."""
    faults: list[str] = []
    prose = re.sub(r"```.*?```", " ", lesson.body, flags=re.S)
    headings = re.findall(r"^##\s+(.+)$", prose, flags=re.M)
    takeaways = bullets(section(lesson.body, "Key takeaways") or "")
    if not OBJECTIVES[0] <= len(lesson.objectives) <= OBJECTIVES[1]:
        faults.append(f"{lesson.path}: {len(lesson.objectives)} objectives; 3 to 5")
    if not TAKEAWAYS[0] <= len(takeaways) <= TAKEAWAYS[1]:
        faults.append(f"{lesson.path}: {len(takeaways)} key takeaways; 3 to 6")
    lowered = [h.strip().lower() for h in headings]
    before = lowered[lowered.index("key takeaways") - 1] if "key takeaways" in lowered[1:] else ""
    opening = prose.lstrip().split("\n", 1)[0]
    return (
        len(lesson.objectives),
        len(takeaways),
        bool(FAILURE_HEADING.search(before)),
        bool(re.match(r"^(A|An)\s", opening)),
        faults,
    )


def topics_of(track: TrackSpec, category: str | None = None) -> list[tuple[str, TopicSpec]]:
    return [(c.path, t) for c in track.categories if not category or c.path.endswith(category) for t in c.topics]


def audit(root: Path, *, category: str | None = None, quizzes_only: bool = False) -> tuple[list[QuizReport], list[str]]:
    """Quiz reports and every fault in the track (or one category of it)."""
    track = read_track(root)
    reports: list[QuizReport] = []
    faults: list[str] = []
    all_tf = [0, 0]
    for _, topic in topics_of(track, category):
        if topic.quiz is None:
            faults.append(f"{topic.path}: no quiz")
            continue
        report = quiz_report(topic.quiz, [lesson.stem for lesson in topic.lessons])
        reports.append(report)
        faults += report.faults
        all_tf[0] += report.true_false[0]
        all_tf[1] += report.true_false[1]
    if all_tf[1] and not TRUE_SHARE[0] <= all_tf[0] / all_tf[1] <= TRUE_SHARE[1]:
        faults.append(f"true/false keyed True {all_tf[0]} of {all_tf[1]} overall; want 40-60 %")
    if quizzes_only:
        return reports, faults

    references, registry_faults = load_references(Path(root))
    faults += registry_faults
    by_citation = {ref.citation: ref.key for ref in references.values()}
    cited: set[str] = set()
    word_use: dict[str, list[str]] = defaultdict(list)
    by_category: dict[str, list[tuple]] = defaultdict(list)
    deep_dives = 0
    for cat_path, topic in topics_of(track):
        if re.search(r"deep dive", topic.body, re.I):
            deep_dives += 1
        for lesson in topic.lessons:
            reading, keys = reading_faults(lesson, references, by_citation)
            cited |= keys
            shape = lesson_shape(lesson)
            if not category or cat_path.endswith(category):
                faults += reading + shape[4]
                by_category[cat_path].append(shape[:4])
            for word in STOCK_WORDS:
                if re.search(rf"\b{word}\b", lesson.body, re.I):
                    word_use[word].append(lesson.path)
    for cat_path, shapes in by_category.items():
        n = len(shapes)
        for label, values in (
            ("objective count", [s[0] for s in shapes]),
            ("takeaway count", [s[1] for s in shapes]),
        ):
            value, count = Counter(values).most_common(1)[0]
            if count / n > MAX_SAME_SHAPE_SHARE:
                faults.append(f"{cat_path}: {count} of {n} lessons have the same {label} ({value}); vary it")
        failure_last = sum(s[2] for s in shapes)
        if failure_last / n > MAX_SAME_SHAPE_SHARE:
            faults.append(
                f"{cat_path}: {failure_last} of {n} lessons put a failure-modes section right before the takeaways"
            )
        articles = sum(s[3] for s in shapes)
        if articles / n > MAX_ARTICLE_OPENINGS_SHARE:
            faults.append(f"{cat_path}: {articles} of {n} lessons open with 'A/An …'; vary the openings")
    if not category:
        for word, limit in STOCK_WORDS.items():
            if len(word_use[word]) > limit:
                faults.append(f"'{word}' appears in {len(word_use[word])} lessons; at most {limit}")
        if deep_dives > MAX_DEEP_DIVE_OVERVIEWS:
            faults.append(
                f"{deep_dives} topic overviews call themselves a deep dive; at most {MAX_DEEP_DIVE_OVERVIEWS}"
            )
        for key in sorted(set(references) - cited):
            faults.append(f"{references[key].file}: {key} is cited by no lesson")
    else:
        for word in STOCK_WORDS:
            mine = [p for p in word_use[word] if category in p]
            if mine:
                faults.append(f"'{word}' (a stock word, rationed across the track) in: {', '.join(mine)}")
    return reports, faults


def main(argv: list[str]) -> int:
    args = [a for a in argv if not a.startswith("--")]
    category = None
    if "--category" in argv:
        category = argv[argv.index("--category") + 1]
        args = [a for a in args if a != category]
    root = Path(args[0] if args else "fixtures/track").resolve()
    try:
        reports, faults = audit(root, category=category, quizzes_only="--quizzes" in argv)
    except TrackError as exc:
        print("the track files are malformed:\n" + str(exc))
        return 2
    for report in reports:
        print(report.line())
    for item in faults:
        print(f"- {item}")
    print(f"{len(faults)} fault(s)")
    return 1 if faults else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
