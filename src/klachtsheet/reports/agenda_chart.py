"""Geometry of the agenda's pictures: the bar chart per category and the small trend lines.

The templates draw these as inline SVG (HTML and paper) and as block characters
(Markdown and the Agenda tab); nothing here knows about wording.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from klachtsheet.reports.trend import Trend

if TYPE_CHECKING:
    from klachtsheet.reports.agenda_figures import Agenda

# The chart shows at most this many categories, the largest first; the table lists all.
MAX_CHART_BARS = 12
BLOCKS = "▁▂▃▄▅▆▇█"


@dataclass(frozen=True)
class Spark:
    """A small line of counts per period, oldest first, in a box of width x height."""

    points: str  # "x,y x,y ..." for an SVG polyline
    last_x: float
    last_y: float
    width: int
    height: int
    peak: int


def spark(series: Sequence[int], *, width: int = 84, height: int = 18) -> Spark:
    """Lay out a sparkline of ``series`` (each line on its own scale from 0 to its peak)."""
    peak = max([*series, 1])
    pad = 2
    step = (width - 2 * pad) / max(len(series) - 1, 1)
    coords = [
        (round(pad + i * step, 1), round(height - pad - (height - 2 * pad) * n / peak, 1))
        for i, n in enumerate(series)
    ]
    if len(coords) == 1:
        coords = [(pad, coords[0][1]), coords[0]]
    return Spark(
        points=" ".join(f"{x},{y}" for x, y in coords),
        last_x=coords[-1][0],
        last_y=coords[-1][1],
        width=width,
        height=height,
        peak=max(series, default=0),
    )


def blocks(series: Sequence[int]) -> str:
    """Return the series as block characters (▁ for none, █ for the peak), for text."""
    peak = max(series, default=0)
    if peak == 0:
        return BLOCKS[0] * len(series)
    top = len(BLOCKS) - 1
    return "".join(BLOCKS[0] if n == 0 else BLOCKS[max(1, round(top * n / peak))] for n in series)


@dataclass(frozen=True)
class Bar:
    """One category in the chart: its current count, the earlier mean and its trend line."""

    trend: Trend
    y: float
    current_width: float
    expected_x: float
    spark: Spark


@dataclass(frozen=True)
class Chart:
    """Geometry of the horizontal bar chart; the template draws it as inline SVG."""

    width: int
    height: int
    label_width: int
    bar_area: int
    spark_x: int
    row_height: int
    top: int
    bars: tuple[Bar, ...]
    periods: int


def chart(agenda: Agenda, *, width: int = 700, label_width: int = 250) -> Chart:
    """Lay out the bar chart of counts per category, with a trend line per category."""
    trends = [t for t in agenda.categories if t.current or t.expected][:MAX_CHART_BARS]
    spark_width = 90
    bar_area = width - label_width - spark_width - 60  # room for the value after the bar
    spark_x = width - spark_width
    row_height, top = 21, 28
    scale = max([t.current for t in trends] + [t.expected or 0 for t in trends] + [1])
    bars = tuple(
        Bar(
            trend=t,
            y=top + i * row_height,
            current_width=round(bar_area * t.current / scale, 1),
            expected_x=round(label_width + bar_area * (t.expected or 0) / scale, 1),
            spark=spark(t.series, width=spark_width - 20, height=row_height - 5),
        )
        for i, t in enumerate(trends)
    )
    height = top + len(bars) * row_height + 6
    return Chart(
        width, height, label_width, bar_area, spark_x, row_height, top, bars,
        periods=len(agenda.history) + 1,
    )  # fmt: skip
