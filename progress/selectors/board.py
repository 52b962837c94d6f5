"""The team dashboard's members in SQL: every member's cells over the team's assignments (cells.cell_state_sql),
counted, filtered and sorted by the database, so that Python only builds the cells of the page it shows."""

from __future__ import annotations

import datetime as dt
import operator
from dataclasses import dataclass
from functools import cached_property, reduce
from itertools import chain

from django.conf import settings
from django.db import connection
from django.db.models import (
    BooleanField,
    Case,
    DateTimeField,
    Exists,
    Expression,
    ExpressionWrapper,
    Max,
    OuterRef,
    Q,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce, Collate, Concat, Greatest, Lower, NullIf, Trim
from django.utils import timezone

from progress.models import COMPLETED_STATES, Assignment, CellState, LessonProgress, TeamMembership
from progress.selectors.cells import (
    DUE_SOON,
    OPEN_STATES,
    cell_state_sql,
    completion_sql,
    due_soon_window_sql,
    member_due_before,
)
from quizzes.models import Attempt

BOARD_SORTS = ("name", "progress", "overdue", "last_active")
HEADLINE_KEYS = (CellState.OVERDUE.value, DUE_SOON, CellState.QUIZ_FAILED.value, CellState.NOT_STARTED.value)
NEVER = dt.datetime(1, 1, 1, tzinfo=dt.UTC)  # sorts "never active" before any real moment


def _cell(i: int) -> str:
    return f"cell_{i}"


def _count(conditions) -> Expression:
    """How many of the conditions hold for a row (0 when there are none)."""
    terms = [Case(When(condition, then=Value(1)), default=Value(0)) for condition in conditions]
    return reduce(operator.add, terms) if terms else Value(0)


def _any(conditions) -> Q | None:
    """Any of the conditions; None when there are none (nobody matches: a filter with no cell to test)."""
    return reduce(operator.or_, conditions) if conditions else None


@dataclass(frozen=True)
class BoardFigures:
    """The whole team's figures: (members, cells) in each headline state, how many completed each assignment's
    topic (in the assignments' order), how many members there are, and how many the filters list."""

    headline: dict[str, tuple[int, int]]
    topic_totals: list[int]
    members: int
    listed: int


# The figures' SQL by everything it is built from (the team's assignments, the day, the settings, the filters):
# building and compiling the cell expressions costs more Python than the rest of the page, and the SQL holds no one's
# data, so a process compiles it once per team and day (kept small: cleared when full).
_compiled_figures: dict[tuple, tuple[str, tuple]] = {}
_COMPILED_KEPT = 512


class TeamBoard:
    """The members of a team with, for each assignment (by its index), the state of their cell as an alias
    (`cell_0` …: cells.cell_state_sql). Aliases are never selected: the database uses them to count, filter and
    sort, and Python reads the progress of the page it shows. Cell expressions are built only when a query needs
    them: filters and sorts that only ask "overdue" or "completed" use cheaper conditions that mean the same."""

    def __init__(self, *, team, assignments: list[Assignment], today: dt.date):
        self.team, self.assignments, self.today = team, assignments, today
        indexed = list(enumerate(assignments))
        self._all = TeamMembership.objects.filter(team=team, role=TeamMembership.Role.MEMBER)
        # Per assignment, the members whose own due date is past, and those whose falls within the reminder window.
        self._past_due = {i: due for i, a in indexed if (due := member_due_before(a, today)) is not None}
        self._window = {i: window for i, a in indexed if (window := due_soon_window_sql(a, today)) is not None}

    @cached_property
    def _cells(self) -> dict:
        return {_cell(i): cell_state_sql(a, self.today) for i, a in enumerate(self.assignments)}

    @cached_property
    def members(self):
        return self._all.alias(**self._cells)

    def cell_states(self):
        """(user id, the state of each cell …) for every member: what the figures count."""
        return self._all.annotate(**self._cells).values_list("user_id", *self._cells)

    def cells_in(self, status: str) -> list[Q]:
        """For each assignment, whether the member's cell answers the filter `status` (a cell state, or DUE_SOON:
        open and due within the window, as Cell.is_due_soon), read from the cells' states (on `members`)."""
        if status == DUE_SOON:
            return [Q(**{f"{_cell(i)}__in": OPEN_STATES}) & window for i, window in self._window.items()]
        return [Q(**{_cell(i): status}) for i in range(len(self.assignments))]

    def _completed(self, i: int) -> Exists:
        return completion_sql(self.assignments[i])

    def overdue_cells(self) -> list[Q]:
        """cells_in(OVERDUE) without whole states: past the member's own due date and not completed."""
        return [due & ~self._completed(i) for i, due in self._past_due.items()]

    def due_soon_cells(self) -> list[Q]:
        """cells_in(DUE_SOON) without whole states: due within the window, not past due, not completed."""
        cells = []
        for i, window in self._window.items():
            cell = window & ~self._completed(i)
            cells.append(cell & ~self._past_due[i] if i in self._past_due else cell)
        return cells

    def _listed(self, *, status: str, overdue_only: bool) -> Q | None:
        """The filters as one condition (Q() lists everyone, None nobody), without whole states where it can."""
        conditions = []
        if status == DUE_SOON:
            conditions.append(_any(self.due_soon_cells()))
        elif status and status != CellState.OVERDUE:
            conditions.append(_any(self.cells_in(status)))
        if overdue_only or status == CellState.OVERDUE:
            conditions.append(_any(self.overdue_cells()))
        return None if None in conditions else reduce(operator.and_, conditions, Q())

    def listed(self, *, status: str = "", overdue_only: bool = False, sort: str = "name"):
        """The members with a cell in `status` (and with overdue work, if `overdue_only`), in the order of `sort`,
        each then by name (compared by code point, as Python compares strings) and email."""
        by_state = status and status not in (DUE_SOON, CellState.OVERDUE)
        members = self.members if by_state else self._all
        condition = self._listed(status=status, overdue_only=overdue_only)
        members = members.filter(condition) if condition is not None else members.none()
        name = Lower(_person_name_sql())
        if connection.vendor == "postgresql":  # the database's collation would order names unlike Python
            name = Collate(name, "C")
        then = [name, "user__email"]
        if sort == "progress":
            completed = [self._completed(i) for i in range(len(self.assignments))]
            return members.alias(complete=_count(completed)).order_by("-complete", *then)
        if sort == "overdue":
            return members.alias(overdue=_count(self.overdue_cells())).order_by("-overdue", *then)
        if sort == "last_active":  # the longest inactive first, never active at the very top
            return members.alias(active=_last_active_sql()).order_by("active", *then)
        return members.order_by(*then)

    def figures(self, *, status: str = "", overdue_only: bool = False) -> BoardFigures:
        """The whole team's figures in one query: the ORM selects every member's cells (the database works each out
        once), and a plain, portable SELECT over them counts. (Django's aggregate() over the cells does the same but
        compiles a copy of a cell's expression for every figure that reads it: tens of milliseconds of Python.)"""
        key = self._figures_key(status, overdue_only)
        if (statement := _compiled_figures.get(key)) is None:
            if len(_compiled_figures) >= _COMPILED_KEPT:
                _compiled_figures.clear()
            statement = _compiled_figures[key] = self._figures_sql(status=status, overdue_only=overdue_only)
        sql, params = statement
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            members, *values = cursor.fetchone()
        pairs = iter(values[: 2 * len(HEADLINE_KEYS)])
        return BoardFigures(
            headline={key: (next(pairs), next(pairs)) for key in HEADLINE_KEYS},
            topic_totals=values[2 * len(HEADLINE_KEYS) : -1],
            members=members,
            listed=values[-1],
        )

    def _figures_key(self, status: str, overdue_only: bool) -> tuple:
        """Everything the figures' SQL is built from."""
        return (
            connection.alias,
            self.team.pk,
            self.team.default_lead_days,
            tuple((a.pk, a.topic_id, a.due_on, a.lead_days) for a in self.assignments),
            self.today,
            timezone.get_current_timezone_name(),
            settings.RENEWAL_WINDOW_DAYS,
            settings.ASSIGNMENT_REMINDER_WINDOW_DAYS,
            status,
            overdue_only,
        )

    def _figures_sql(self, *, status: str, overdue_only: bool) -> tuple[str, tuple]:
        """SELECT <the figures> FROM (<every member's cells, and whether each is within the window>) board."""
        ids = range(len(self.assignments))
        windows = {i: f"window_{i}" for i in self._window}
        cells = self._all.annotate(
            **self._cells,
            **{windows[i]: ExpressionWrapper(q, output_field=BooleanField()) for i, q in self._window.items()},
        ).values_list(*(_cell(i) for i in ids), *windows.values())
        inner_sql, inner_params = cells.query.sql_with_params()
        if connection.vendor == "postgresql":
            # A fence: else the planner pulls the subquery up and works a cell out again for every figure reading it.
            inner_sql += " OFFSET 0"
        column = connection.ops.quote_name

        def cell_in(i: int, states) -> _Sql:
            return _Sql(f"{column(_cell(i))} IN ({', '.join(['%s'] * len(states))})", tuple(states))

        def matching(key: str) -> list[_Sql]:  # cells_in(key), over the selected columns
            if key == DUE_SOON:
                return [cell_in(i, OPEN_STATES).and_(column(window)) for i, window in windows.items()]
            return [cell_in(i, [key]) for i in ids]

        select = [_Sql("COUNT(*)")]
        for key in HEADLINE_KEYS:
            select += [_rows_where([_any_sql(matching(key))]), _cells_where(matching(key))]
        select += [_rows_where([cell_in(i, COMPLETED_STATES)]) for i in ids]
        wanted = [key for key in (status, CellState.OVERDUE.value if overdue_only else "") if key]
        select.append(_rows_where([_any_sql(matching(key)) for key in wanted]))
        figures = _Sql.join(select, ", ")
        # Names are quoted by the backend and every value is a parameter.
        sql = f"SELECT {figures.text} FROM ({inner_sql}) board"  # noqa: S608
        return sql, (*figures.params, *inner_params)


@dataclass(frozen=True)
class _Sql:
    """A fragment of SQL and its parameters."""

    text: str
    params: tuple = ()

    def and_(self, text: str) -> _Sql:
        return _Sql(f"({self.text} AND {text})", self.params)

    @staticmethod
    def join(parts: list[_Sql], separator: str) -> _Sql:
        return _Sql(separator.join(p.text for p in parts), tuple(chain.from_iterable(p.params for p in parts)))


def _any_sql(conditions: list[_Sql]) -> _Sql:
    """Any of the conditions (never, when there are none)."""
    return (
        _Sql(f"({_Sql.join(conditions, ' OR ').text})", _Sql.join(conditions, "").params)
        if conditions
        else _Sql("1 = 0")
    )


def _rows_where(conditions: list[_Sql]) -> _Sql:
    """How many rows meet every condition (every row, when there are none)."""
    if not conditions:
        return _Sql("COUNT(*)")
    every = _Sql.join(conditions, " AND ")
    return _Sql(f"COALESCE(SUM(CASE WHEN {every.text} THEN 1 ELSE 0 END), 0)", every.params)


def _cells_where(conditions: list[_Sql]) -> _Sql:
    """How many of the conditions hold, summed over the rows."""
    if not conditions:
        return _Sql("0")
    terms = [_Sql(f"CASE WHEN {c.text} THEN 1 ELSE 0 END", c.params) for c in conditions]
    total = _Sql.join(terms, " + ")
    return _Sql(f"COALESCE(SUM({total.text}), 0)", total.params)


def _person_name_sql():
    """progress.models.person_name in SQL: the profile's name, else the account's full name, else the email."""
    full_name = Trim(Concat("user__first_name", Value(" "), "user__last_name"))
    return Coalesce(NullIf("user__profile__full_name", Value("")), NullIf(full_name, Value("")), "user__email")


def _latest(model, moment: str):
    rows = model.objects.filter(user=OuterRef("user_id")).values("user").annotate(at=Max(moment)).values("at")
    return Coalesce(Subquery(rows, output_field=DateTimeField()), Value(NEVER))


def _last_active_sql():
    """progress.selectors.activity.last_activity in SQL, NEVER for someone never active."""
    attempts = Attempt.objects.filter(user=OuterRef("user_id"), submitted_at__isnull=False)
    submitted = Subquery(attempts.values("user").annotate(at=Max("submitted_at")).values("at"))
    return Greatest(
        _latest(LessonProgress, "last_opened_at"),
        _latest(LessonProgress, "completed_at"),
        Coalesce(submitted, Value(NEVER), output_field=DateTimeField()),
        output_field=DateTimeField(),
    )
