"""Counts per group over the current and earlier periods, and the test of a real change.

The test (stated in the agenda's method note, in Dutch):

- per group, the count of this period (X) is compared with the total of the k earlier
  periods of the same length (Y). If the rate did not change, each of the n = X + Y
  complaints fell in this period with chance 1/(k + 1), so X given n is binomial
  (n, 1/(k + 1)). This *conditional binomial test* uses the earlier periods as what they
  are, a sample, instead of treating their mean as the true rate; a short or thin
  history makes the test more careful, not more jumpy.
- the two-sided p-value (twice the smaller tail, at most 1) of every group on the agenda
  (categories and locations together) goes through the Benjamini–Hochberg procedure at
  FALSE_DISCOVERY_RATE. When nothing changed at all, that keeps the chance that an agenda
  shows any signal at most FALSE_DISCOVERY_RATE (the counts are discrete, so in practice
  lower: see benchmarks/agenda_false_alarms.py).
- a flagged rise also needs at least MIN_RISING_COUNT complaints, a flagged fall an
  earlier mean of at least MIN_RISING_COUNT: 1 -> 2 is never a trend.

Pure: complaints in, counts and codes out.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import date, timedelta

from klachtsheet.model import Complaint
from klachtsheet.reports.metrics import CONFIDENTIAL, NONE, Group, Period, day_of

# How many earlier periods of the same length the current one is compared with
# (with the current one: the seven periods of the trend picture).
COMPARISON_PERIODS = 6
# Benjamini–Hochberg level over all groups of one agenda.
FALSE_DISCOVERY_RATE = 0.05
# A rise needs at least this many complaints; a fall an earlier mean at least this high.
MIN_RISING_COUNT = 3

UP, DOWN, SAME = "op", "af", "gelijk"


def periods_before(period: Period, count: int) -> tuple[Period, ...]:
    """Return the ``count`` periods of the same length right before ``period``, latest first."""
    length = timedelta(days=period.days)
    return tuple(
        Period(period.start - length * (i + 1), period.start - length * i) for i in range(count)
    )


def _log_term(n: int, k: int, p: float) -> float:
    return (
        math.lgamma(n + 1)
        - math.lgamma(k + 1)
        - math.lgamma(n - k + 1)
        + k * math.log(p)
        + (n - k) * math.log1p(-p)
    )


def binomial_upper(k: int, n: int, p: float) -> float:
    """Return P(X >= k) for X binomial(n, p)."""
    if k <= 0:
        return 1.0
    if k > n:
        return 0.0
    if p <= 0:
        return 0.0
    if p >= 1:
        return 1.0
    return min(1.0, math.fsum(math.exp(_log_term(n, j, p)) for j in range(k, n + 1)))


def binomial_lower(k: int, n: int, p: float) -> float:
    """Return P(X <= k) for X binomial(n, p)."""
    if k >= n:
        return 1.0
    if k < 0:
        return 0.0
    return 1.0 - binomial_upper(k + 1, n, p)


def conditional_p_value(current: int, previous: Sequence[int]) -> float | None:
    """Return the two-sided conditional binomial p-value of ``current`` against ``previous``.

    None without earlier periods. Given n = current + sum(previous) complaints and an
    unchanged rate, the current period holds each with chance 1 / (len(previous) + 1).
    """
    if not previous:
        return None
    n = current + sum(previous)
    if n == 0:
        return 1.0
    p = 1 / (len(previous) + 1)
    up, down = binomial_upper(current, n, p), binomial_lower(current, n, p)
    return min(1.0, 2 * min(up, down))


def benjamini_hochberg(p_values: Sequence[float], rate: float) -> list[bool]:
    """Return which hypotheses the Benjamini–Hochberg step-up procedure rejects at ``rate``."""
    m = len(p_values)
    order = sorted(range(m), key=lambda i: p_values[i])
    cutoff = 0
    for rank, index in enumerate(order, start=1):
        if p_values[index] <= rate * rank / m:
            cutoff = rank
    rejected = [False] * m
    for index in order[:cutoff]:
        rejected[index] = True
    return rejected


@dataclass(frozen=True)
class Trend:
    """The count of one group in the current period against the earlier periods."""

    group: Group
    current: int
    previous: tuple[int, ...]  # latest first
    signal: str = ""  # UP or DOWN when the test (across the agenda) flags a real change

    @property
    def expected(self) -> float | None:
        """Return the mean count of the earlier periods, or None without history."""
        return sum(self.previous) / len(self.previous) if self.previous else None

    @property
    def p_value(self) -> float | None:
        """Return the two-sided conditional binomial p-value (None without history)."""
        return conditional_p_value(self.current, self.previous)

    @property
    def rising(self) -> bool:
        """Tell whether the count is clearly higher than usual (flagged by the test)."""
        return self.signal == UP

    @property
    def falling(self) -> bool:
        """Tell whether the count is clearly lower than usual (flagged by the test)."""
        return self.signal == DOWN

    @property
    def direction(self) -> str:
        """Return 'op' or 'af' only for a flagged change, 'gelijk' otherwise, '' without history."""
        if self.expected is None:
            return ""
        return self.signal or SAME

    @property
    def series(self) -> tuple[int, ...]:
        """Return the counts oldest first, ending with the current period (the trend picture)."""
        return (*reversed(self.previous), self.current)


def period_index(day: date, current: Period) -> int | None:
    """Return 0 for the current period, i for the i-th period before it, None after it."""
    if day >= current.end:
        return None
    if day >= current.start:
        return 0
    return ((current.start - day).days - 1) // current.days + 1


def trends(
    complaints: Iterable[Complaint],
    group_of: Callable[[Complaint], Group],
    current: Period,
    history: int,
) -> tuple[Trend, ...]:
    """Count complaints per group in the current period and ``history`` periods before it.

    Groups that have no complaint in any of these periods are left out. Sorted by
    current count (highest first), then by name. No signals yet: see ``assess``.
    """
    counts: dict[Group, list[int]] = {}
    for complaint in complaints:
        day = day_of(complaint.ontvangen_op)
        if day is None:
            continue
        index = period_index(day, current)
        if index is None or index > history:
            continue
        group = group_of(complaint)
        row = counts.get(group)
        if row is None:
            row = counts[group] = [0] * (history + 1)
        row[index] += 1
    result = [Trend(group, row[0], tuple(row[1:])) for group, row in counts.items()]
    return tuple(sorted(result, key=_trend_order))


def _trend_order(trend: Trend) -> tuple:
    # Confidential and empty groups last: they are not something to act on by name.
    last = trend.group.kind in (CONFIDENTIAL, NONE)
    return (last, -trend.current, -(trend.expected or 0), trend.group.name.casefold())


def assess(
    families: Sequence[Sequence[Trend]],
    *,
    skip: Callable[[int, Trend], bool] = lambda family, trend: False,
    rate: float = FALSE_DISCOVERY_RATE,
) -> tuple[tuple[Trend, ...], ...]:
    """Return the families (e.g. categories, locations) with signals set, tested as one.

    ``skip(family_index, trend)`` leaves a group out of the test (e.g. the confidential
    group, which appears in both families and is tested once).
    """
    tested: list[tuple[int, int, float]] = []
    for f, family in enumerate(families):
        for i, trend in enumerate(family):
            p = trend.p_value
            if p is not None and not skip(f, trend):
                tested.append((f, i, p))
    rejected = benjamini_hochberg([p for _, _, p in tested], rate)
    result = [list(family) for family in families]
    for (f, i, _), flagged in zip(tested, rejected, strict=True):
        trend = result[f][i]
        if flagged:
            result[f][i] = replace(trend, signal=_signal(trend))
    return tuple(tuple(family) for family in result)


def _signal(trend: Trend) -> str:
    expected = trend.expected or 0.0
    if trend.current > expected and trend.current >= MIN_RISING_COUNT:
        return UP
    if trend.current < expected and expected >= MIN_RISING_COUNT:
        return DOWN
    return ""


def history_periods(
    complaints: Iterable[Complaint], current: Period, wanted: int = COMPARISON_PERIODS
) -> int:
    """Return how many earlier periods have data: those starting on or after the first complaint.

    A register started two months ago has no complaints half a year back; counting
    those empty periods would make every category look like it is rising.
    """
    first = min(
        (d for d in (day_of(c.ontvangen_op) for c in complaints) if d is not None), default=None
    )
    if first is None:
        return 0
    return sum(1 for period in periods_before(current, wanted) if period.start >= first)

# The share of agendas with at least one signal in registers where nothing changed,
# as printed by benchmarks/agenda_false_alarms.py (quoted in the method note).
SIMULATED_FALSE_ALARMS = 0.0
