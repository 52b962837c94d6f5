"""Full-text search over topics and lessons: every word of the query, in any order, ranked, with highlighted
snippets and pages of results.

The index lives in the database and is kept in sync by the database itself, on every write path (saves,
queryset updates, deletes, the loader):
- SQLite: an external-content FTS5 table per model (porter stemming), kept in sync by triggers;
  ranked with bm25, title weighing most, then objectives or summary, then the body.
- PostgreSQL: a stored generated tsvector column per model with a GIN index, weighted title A,
  objectives or summary B, body C; `websearch_to_tsquery` queries, ranked with ts_rank.
The migration `courses.0004_search_index` installs it; `index_ensure` repairs the SQLite triggers if a
later migration rebuilt a table (SQLite drops a table's triggers with it), and the loader calls it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from django.contrib.postgres.search import SearchHeadline, SearchQuery, SearchRank, SearchVectorField
from django.db import connection
from django.db.models import Count, QuerySet, Window
from django.db.models.expressions import RawSQL
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

PER_PAGE = 20
TOPIC_PREVIEW = 5  # the best topics shown above the lessons on the first page
MAX_QUERY_CHARS = 200
MAX_PAGE = 1_000_000  # past any real last page: a larger number asks for the same (last) page
# Private-use characters mark matches inside snippets: never in content, and escaped text cannot forge them.
MARK_START, MARK_STOP = "\ue000", "\ue001"


@dataclass(frozen=True)
class Indexed:
    """One model's index: its table, the columns it searches (weights A, B, C) and the column snippets come from."""

    table: str
    columns: tuple[str, str, str]

    @property
    def fts(self) -> str:
        return f"{self.table}_fts"

    @property
    def body(self) -> str:
        return self.columns[2]


LESSONS = Indexed("courses_lesson", ("title", "objectives", "body_markdown"))
TOPICS = Indexed("courses_topic", ("title", "summary", "body_markdown"))
INDEXES = (LESSONS, TOPICS)
BM25_WEIGHTS = "10.0, 4.0, 1.0"


# --- Installing the index (the migration) and keeping it whole (the loader) ---------------------------


def _sqlite_triggers(index: Indexed) -> list[str]:
    cols = ", ".join(index.columns)
    new = ", ".join(f"new.{c}" for c in index.columns)
    old = ", ".join(f"old.{c}" for c in index.columns)
    # Every name in these statements is one of ours (INDEXES), never input.
    delete = f"INSERT INTO {index.fts}({index.fts}, rowid, {cols}) VALUES ('delete', old.id, {old});"  # noqa: S608
    insert = f"INSERT INTO {index.fts}(rowid, {cols}) VALUES (new.id, {new});"  # noqa: S608
    return [
        f"CREATE TRIGGER {index.fts}_insert AFTER INSERT ON {index.table} BEGIN {insert} END",
        f"CREATE TRIGGER {index.fts}_delete AFTER DELETE ON {index.table} BEGIN {delete} END",
        f"CREATE TRIGGER {index.fts}_update AFTER UPDATE OF {cols} ON {index.table} BEGIN {delete} {insert} END",
    ]


def _rebuild(index: Indexed) -> str:
    return f"INSERT INTO {index.fts}({index.fts}) VALUES ('rebuild')"  # noqa: S608


def _trigger_names(index: Indexed) -> set[str]:
    return {f"{index.fts}_{event}" for event in ("insert", "delete", "update")}


def _postgres_vector(index: Indexed) -> str:
    parts = []
    for column, weight in zip(index.columns, "ABC", strict=True):
        text = f"{column}::text" if column == "objectives" else column  # objectives is a JSON list
        parts.append(f"setweight(to_tsvector('english'::regconfig, coalesce({text}, '')), '{weight}')")
    return " || ".join(parts)


def index_install(schema_editor) -> None:
    """Create the search index for the database in use, and fill it from the rows already there."""
    vendor = schema_editor.connection.vendor
    for index in INDEXES:
        if vendor == "sqlite":
            schema_editor.execute(
                f"CREATE VIRTUAL TABLE {index.fts} USING fts5({', '.join(index.columns)}, content='{index.table}', "
                "content_rowid='id', tokenize='porter unicode61 remove_diacritics 2')"
            )
            for statement in _sqlite_triggers(index):
                schema_editor.execute(statement)
            schema_editor.execute(_rebuild(index))
        elif vendor == "postgresql":
            schema_editor.execute(
                f"ALTER TABLE {index.table} ADD COLUMN search_vector tsvector "
                f"GENERATED ALWAYS AS ({_postgres_vector(index)}) STORED"
            )
            schema_editor.execute(f"CREATE INDEX {index.table}_search ON {index.table} USING gin (search_vector)")


def index_uninstall(schema_editor) -> None:
    vendor = schema_editor.connection.vendor
    for index in INDEXES:
        if vendor == "sqlite":
            for name in _trigger_names(index):
                schema_editor.execute(f"DROP TRIGGER IF EXISTS {name}")
            schema_editor.execute(f"DROP TABLE IF EXISTS {index.fts}")
        elif vendor == "postgresql":
            schema_editor.execute(f"ALTER TABLE {index.table} DROP COLUMN IF EXISTS search_vector")


def index_ensure() -> bool:
    """On SQLite, put back any missing trigger and rebuild that index; returns whether anything was repaired.

    Django rebuilds a SQLite table to alter a column, which drops the table's triggers with it.
    """
    if connection.vendor != "sqlite":
        return False
    with connection.cursor() as cursor:
        cursor.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")
        present = {row[0] for row in cursor.fetchall()}
        repaired = False
        for index in INDEXES:
            if _trigger_names(index) <= present:
                continue
            for name in _trigger_names(index):
                cursor.execute(f"DROP TRIGGER IF EXISTS {name}")
            for statement in _sqlite_triggers(index):
                cursor.execute(statement)
            cursor.execute(_rebuild(index))
            repaired = True
    return repaired


# --- Queries ------------------------------------------------------------------------------------------

_TERM = re.compile(r'(-?)"([^"]*)"|(-?)(\S+)')
_WORD = re.compile(r"\w+")
# Words PostgreSQL's english configuration ignores; SQLite would otherwise require them in every result.
_STOPWORD_TEXT = (
    "a an and are as at be but by can for from how if in into is it its no not of on or so such than that the "
    "their then there these they this to was were what when which who why will with"
)
_STOPWORDS = frozenset(_STOPWORD_TEXT.split())


def clean_query(text: str) -> str:
    return " ".join((text or "").split())[:MAX_QUERY_CHARS]


def result_kind(value) -> str:
    """What a page of results lists: topics when asked for, else lessons."""
    return "topics" if value == "topics" else "lessons"


def requested_page(value) -> int:
    """The page number asked for, from 1 to MAX_PAGE (anything odd is page 1); `page_number` settles the
    last page once the count is known. Normalised first, so equal requests read the same cached page."""
    try:
        number = int(value)
    except (TypeError, ValueError):
        return 1
    return min(max(number, 1), MAX_PAGE)


def fts5_query(text: str) -> str:
    """The user's words as an FTS5 query: every word and "quoted phrase" required, in any order, and
    -word excluded; FTS5's own operators are never interpreted (each term is a quoted string)."""
    required, excluded = [], []
    for match in _TERM.finditer(text):
        negated = bool(match.group(1) or match.group(3))
        phrase = match.group(2) if match.group(2) is not None else match.group(4)
        words = _WORD.findall(phrase)
        if not words:
            continue
        if match.group(2) is None and not negated and len(words) == 1 and words[0].lower() in _STOPWORDS:
            continue
        (excluded if negated else required).append('"' + " ".join(words) + '"')
    if not required:
        return ""
    return " ".join(required) + "".join(f" NOT {term}" for term in excluded)


def highlight(snippet: str) -> SafeString:
    """A snippet with its matches marked: the text is escaped first, then only our own markers become <mark>."""
    text = _plain(snippet)
    return mark_safe(escape(text).replace(MARK_START, "<mark>").replace(MARK_STOP, "</mark>"))


_MARKDOWN_NOISE = [
    (re.compile(r"!?\[([^\]]*)\]\([^)]*\)"), r"\1"),  # [text](url) reads as text
    (re.compile(r"https?://\S+"), ""),
    (re.compile(r"[*_`#>|~]+"), " "),
    (re.compile(r"\s+"), " "),
]


def _plain(text: str) -> str:
    for pattern, replacement in _MARKDOWN_NOISE:
        text = pattern.sub(replacement, text or "")
    return text.strip()


@dataclass
class Hit:
    item: object  # a Lesson or a Topic
    snippet: SafeString


@dataclass
class Page:
    hits: list[Hit] = field(default_factory=list)
    count: int = 0
    number: int = 1

    @property
    def pages(self) -> int:
        return max(1, -(-self.count // PER_PAGE))

    @property
    def first_index(self) -> int:
        return (self.number - 1) * PER_PAGE + 1 if self.count else 0

    @property
    def last_index(self) -> int:
        return min(self.number * PER_PAGE, self.count)

    @property
    def previous_number(self) -> int | None:
        return self.number - 1 if self.number > 1 else None

    @property
    def next_number(self) -> int | None:
        return self.number + 1 if self.number < self.pages else None


def page_number(value, *, count: int) -> int:
    """A page number from the query string; anything odd is page 1, past the end the last page."""
    try:
        number = int(value)
    except (TypeError, ValueError):
        return 1
    return min(max(number, 1), max(1, -(-count // PER_PAGE)))


def ranked(visible: QuerySet, index: Indexed, query: str, *, page: int | str, size: int = PER_PAGE) -> Page:
    """One page of the rows of `visible` that match `query`, best first, with a highlighted snippet each."""
    if connection.vendor == "postgresql":
        return _ranked_postgres(visible, index, query, page=page, size=size)
    return _ranked_sqlite(visible, index, query, page=page, size=size)


def _ranked_sqlite(visible: QuerySet, index: Indexed, query: str, *, page, size: int) -> Page:
    match = fts5_query(query)
    if not match:
        return Page()
    allowed_sql, allowed_params = visible.order_by().values("pk").query.sql_with_params()
    where = f"{index.fts} MATCH %s AND {index.fts}.rowid IN ({allowed_sql})"
    params = [match, *allowed_params]
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT count(*) FROM {index.fts} WHERE {where}", params)  # noqa: S608 (names are ours)
        count = cursor.fetchone()[0]
        number = page_number(page, count=count)
        cursor.execute(
            f"SELECT rowid, snippet({index.fts}, 2, %s, %s, '…', 28) FROM {index.fts} "  # noqa: S608
            f"WHERE {where} ORDER BY bm25({index.fts}, {BM25_WEIGHTS}), rowid LIMIT %s OFFSET %s",
            [MARK_START, MARK_STOP, *params, size, (number - 1) * size],
        )
        rows = cursor.fetchall()
    items = visible.in_bulk([pk for pk, _ in rows])
    hits = [Hit(items[pk], highlight(snippet)) for pk, snippet in rows if pk in items]
    return Page(hits=hits, count=count, number=number)


def _ranked_postgres(visible: QuerySet, index: Indexed, query: str, *, page, size: int) -> Page:
    search_query = SearchQuery(query, search_type="websearch", config="english")
    vector = RawSQL(f'"{index.table}"."search_vector"', [], output_field=SearchVectorField())  # noqa: S611
    matching = visible.annotate(search_vector=vector).filter(search_vector=search_query)
    if not size:  # only the count is wanted
        return Page(count=matching.count())
    ranked = (
        matching.annotate(
            rank=SearchRank(vector, search_query),
            # PostgreSQL makes the snippets after the sort and the limit: for this page's rows only.
            snippet=SearchHeadline(
                index.body,
                search_query,
                config="english",
                start_sel=MARK_START,
                stop_sel=MARK_STOP,
                max_words=40,
                min_words=20,
                max_fragments=2,
                fragment_delimiter=" … ",
            ),
            total=Window(Count("*")),  # the count comes with the page, in the same scan
        )
        .order_by("-rank", "pk")
        .defer("body_markdown", "body_html")
    )
    number = requested_page(page)
    rows = list(ranked[(number - 1) * size : number * size])
    if rows:
        count = rows[0].total
    else:  # nothing on this page: no match at all, or a page past the end, which shows the last page
        count = matching.count() if number > 1 else 0
        number = page_number(number, count=count)
        rows = list(ranked[(number - 1) * size : number * size]) if count else []
    return Page(hits=[Hit(row, highlight(row.snippet)) for row in rows], count=count, number=number)
