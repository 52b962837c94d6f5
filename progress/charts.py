"""Chart geometry for the dashboard's weekly completions, in SVG user units that match CSS pixels at the
chart's natural width, so the template only places bars."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

BAR_STEP = 28  # px per week
PLOT_HEIGHT = 120
BASELINE = 130


@dataclass(frozen=True)
class WeeklyChart:
    bars: list[dict]
    width: int
    peak: int  # 0 when there is nothing to show
    total: int


def weekly_bars(weeks: list[tuple[dt.date, int]]) -> WeeklyChart:
    peak = max((n for _, n in weeks), default=0) or 1
    bars = []
    for i, (week, n) in enumerate(weeks):
        height = round(PLOT_HEIGHT * n / peak)
        bars.append({"week": week, "count": n, "height": height, "y": BASELINE - height, "x": i * BAR_STEP + 4})
    total = sum(n for _, n in weeks)
    return WeeklyChart(bars=bars, width=len(bars) * BAR_STEP + 8, peak=peak if total else 0, total=total)
