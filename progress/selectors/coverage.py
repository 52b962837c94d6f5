"""A team's coverage of the frameworks: for each framework item, whether the team's assignments cover it
with work every member has completed, with work still open, or not at all.

An assignment is complete when every member of the team has completed its topic; an item is covered by
completed assignments when one such assignment's topic maps to it, by open ones when only unfinished
assignments do. A fixed number of queries, whatever the size of the team or the number of items.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db import models

from courses.models import Framework, FrameworkItem
from courses.selectors import framework_coverages
from progress.models import Assignment, Team, TeamMembership, TopicCompletion


class CoverageState(models.TextChoices):
    COMPLETE = "complete", "Covered by completed assignments"
    OPEN = "open", "Covered by open assignments only"
    NONE = "none", "Not covered by any assignment"


@dataclass
class TeamItemCoverage:
    item: FrameworkItem
    depth: int
    state: str | None  # None for an item that only groups others
    assignments: list[Assignment] = field(default_factory=list)
    members_done: int = 0  # members who completed at least one assigned topic covering the item

    @property
    def label(self) -> str:
        return CoverageState(self.state).label if self.state else ""


@dataclass
class TeamFrameworkCoverage:
    framework: Framework
    items: list[TeamItemCoverage]
    counts: dict[str, int]

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    def percent(self, state: str) -> int:
        return round(100 * self.counts[state] / self.total) if self.total else 0

    @property
    def complete_percent(self) -> int:
        return self.percent(CoverageState.COMPLETE)

    @property
    def open_percent(self) -> int:
        return self.percent(CoverageState.OPEN)

    @property
    def none_percent(self) -> int:
        return self.percent(CoverageState.NONE)


@dataclass
class TeamCoverage:
    team: Team
    member_count: int
    assignment_count: int
    complete_assignments: int
    frameworks: list[TeamFrameworkCoverage]


def team_framework_coverage(*, team: Team) -> TeamCoverage:
    """Every framework's items with the team's coverage state; six queries for any team."""
    assignments = list(
        team.assignments.select_related("topic")
        .defer("topic__body_markdown", "topic__body_html")
        .order_by("due_on", "topic__position")
    )
    member_ids = list(
        TeamMembership.objects.filter(team=team, role=TeamMembership.Role.MEMBER).values_list("user_id", flat=True)
    )
    done_by_topic: dict[int, set[int]] = {}
    if assignments and member_ids:
        for user_id, topic_id in TopicCompletion.objects.filter(
            user_id__in=member_ids, topic_id__in=[a.topic_id for a in assignments]
        ).values_list("user_id", "topic_id"):
            done_by_topic.setdefault(topic_id, set()).add(user_id)
    complete = {a.pk for a in assignments if member_ids and len(done_by_topic.get(a.topic_id, ())) == len(member_ids)}
    frameworks = []
    for coverage in framework_coverages():
        rows, counts = [], dict.fromkeys(CoverageState.values, 0)
        for entry in coverage.items:
            if not entry.item.is_mappable:
                rows.append(TeamItemCoverage(entry.item, entry.depth, None))
                continue
            topic_ids = {coverer.topic.pk for coverer in entry.coverers}
            covering = [a for a in assignments if a.topic_id in topic_ids]
            if any(a.pk in complete for a in covering):
                state = CoverageState.COMPLETE
            else:
                state = CoverageState.OPEN if covering else CoverageState.NONE
            members_done = set().union(*(done_by_topic.get(a.topic_id, set()) for a in covering))
            counts[state] += 1
            rows.append(TeamItemCoverage(entry.item, entry.depth, state, covering, len(members_done)))
        frameworks.append(TeamFrameworkCoverage(coverage.framework, rows, counts))
    return TeamCoverage(
        team=team,
        member_count=len(member_ids),
        assignment_count=len(assignments),
        complete_assignments=len(complete),
        frameworks=frameworks,
    )
