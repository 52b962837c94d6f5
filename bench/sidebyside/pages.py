"""The pages the benchmark drives (issue 19's table), who asks for each, and the issue's goal."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Page:
    key: str  # the name --pages takes
    label: str  # the row in the report
    path: str  # formatted with the seeded World's slugs
    who: str | None  # "learner", "lead", or None for an anonymous visitor
    goal: str  # the goal, as a multiple of the hello view

    def url_path(self, slugs: dict[str, str]) -> str:
        return self.path.format(**slugs)


PAGES = [
    Page("catalogue-anon", "catalogue, anonymous", "/", None, "≤ 3×"),
    Page("catalogue", "catalogue, learner", "/", "learner", "≤ 8×"),
    Page("lesson", "lesson, learner", "/topics/{topic}/{lesson}/", "learner", "≤ 6×"),
    Page("quiz", "quiz page (attempt open), learner", "/topics/{topic}/quiz/", "learner", "≤ 6×"),
    Page("me", "/me/, learner", "/me/", "learner", "≤ 10×"),
    # The same learner pages rendered afresh: a query string takes them past the learner's kept pages
    # (safety_academy.learner_pages), as a first visit or the first after a change would be.
    Page("catalogue-rendered", "catalogue, learner, rendered", "/?rendered", "learner", "—"),
    Page("lesson-rendered", "lesson, learner, rendered", "/topics/{topic}/{lesson}/?rendered", "learner", "—"),
    Page("quiz-rendered", "quiz page, learner, rendered", "/topics/{topic}/quiz/?rendered", "learner", "—"),
    Page("me-rendered", "/me/, learner, rendered", "/me/?rendered", "learner", "—"),
    Page("search", "search ?q=robustness, learner", "/search/?q=robustness", "learner", "≤ 10×"),
    Page("api-topics", "API topics list, learner", "/api/v1/topics/", "learner", "≤ 5×"),
    Page("api-members", "API team members, lead", "/api/v1/teams/{team}/members/", "lead", "≤ 5×"),
    Page("dashboard", "team dashboard, lead", "/teams/{team}/", "lead", "≤ 40×"),
    Page("dashboard-csv", "dashboard CSV, lead", "/teams/{team}/dashboard.csv", "lead", "—"),
]
BY_KEY = {page.key: page for page in PAGES}


def select(keys: str | None) -> list[Page]:
    """The pages named in a comma-separated list (all when empty); unknown names are an error."""
    if not keys:
        return list(PAGES)
    wanted = [key.strip() for key in keys.split(",") if key.strip()]
    unknown = [key for key in wanted if key not in BY_KEY]
    if unknown:
        raise ValueError(f"unknown page {', '.join(unknown)}; choose from {', '.join(BY_KEY)}")
    return [BY_KEY[key] for key in wanted]
