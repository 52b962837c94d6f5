"""The figures of a run and the Markdown table they are printed as."""

from __future__ import annotations

import statistics
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Measurement:
    """One load run against one page."""

    per_second: float
    p50_ms: float
    p95_ms: float
    cpu_ms_per_request: float
    requests: int  # answers the load generator received
    served: int  # requests the worker finished (more when connections were still queued at the end)
    errors: int = 0
    error_detail: str = ""


@dataclass
class Row:
    key: str
    label: str
    path: str
    goal: str = ""
    rounds: list[Measurement] = field(default_factory=list)
    body_bytes: int | None = None
    queries: dict[str, int] = field(default_factory=dict)  # {"1×": n, "10×": n}

    def median(self, name: str) -> float | None:
        values = [getattr(m, name) for m in self.rounds]
        return statistics.median(values) if values else None


def _number(value: float | None, *, digits: int = 1) -> str:
    if value is None:
        return "—"
    if value >= 100:
        return f"{value:,.0f}"
    return f"{value:,.{digits}f}"


def _size(body_bytes: int | None) -> str:
    if body_bytes is None:
        return "—"
    return f"{body_bytes} B" if body_bytes < 1024 else f"{body_bytes / 1024:,.1f} KiB"


def ratio(hello: Row, row: Row) -> float | None:
    """How many times the hello view's throughput is the page's (medians of the rounds)."""
    base, page = hello.median("per_second"), row.median("per_second")
    return base / page if base and page else None


def cpu_ratio(hello: Row, row: Row) -> float | None:
    """How many times the hello view's worker CPU per request the page costs: steadier than req/s
    on a busy machine, but blind to time spent waiting on the database."""
    base, page = hello.median("cpu_ms_per_request"), row.median("cpu_ms_per_request")
    return page / base if base and page else None


def _times(value: float | None) -> str:
    if value is None:
        return "—"
    return f"{value:.1f}×" if value < 10 else f"{value:,.0f}×"


def _queries(row: Row, scale: str) -> str:
    if scale not in row.queries:
        return "—"
    count = row.queries[scale]
    grew = scale != "1×" and "1×" in row.queries and count != row.queries["1×"]
    return f"{count} ↑" if grew else str(count)


def table(hello: Row, rows: list[Row]) -> str:
    """Markdown: one line per page, the hello view first."""
    lines = [
        "| page | req/s | p50 ms | p95 ms | CPU ms/req | × hello | goal | CPU × hello | response"
        " | queries 1× | queries 10× |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for row in [hello, *rows]:
        cells = [
            row.label,
            _number(row.median("per_second")),
            _number(row.median("p50_ms")),
            _number(row.median("p95_ms")),
            _number(row.median("cpu_ms_per_request"), digits=2),
            "1×" if row is hello and row.rounds else _times(ratio(hello, row)),
            row.goal,
            "1×" if row is hello and row.rounds else _times(cpu_ratio(hello, row)),
            _size(row.body_bytes),
            "—" if row is hello else _queries(row, "1×"),
            "—" if row is hello else _queries(row, "10×"),
        ]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def paths(rows: list[Row]) -> str:
    return "Paths: " + "; ".join(f"{row.label} `{row.path}`" for row in rows)


def problems(rows: list[Row]) -> list[str]:
    """Load runs that saw errors (timeouts, refused connections, 4xx/5xx answers), one line each."""
    found = []
    for row in rows:
        for number, m in enumerate(row.rounds, start=1):
            if m.errors:
                found.append(f"{row.label}, round {number}: {m.errors} errors of {m.requests} ({m.error_detail})")
    return found
