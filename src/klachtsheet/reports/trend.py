"""Counts per group over the current and earlier periods, and the test of a real rise.

The test (stated in the agenda's method note, in Dutch):

- per group, the count of this period (X) is compared with the total of the k earlier
  periods of the same length (Y). If the rate did not change, each of the n = X + Y
  complaints fell in this period with chance 1/(k + 1), so X given n is binomial
  (n, 1/(k + 1)); the p-value is P(X >= x). This *conditional binomial test* uses the
  earlier periods as what they are, a sample, instead of treating their mean as the true
  rate, so a short or thin history makes it more careful, not more jumpy.
- only rises are tested: a rise is what the team should talk about. A group can only be
  flagged with at least MIN_RISING_COUNT complaints this period, so a group with
  n < MIN_RISING_COUNT is not tested at all; of the others, Tarone's rule leaves out those
  whose smallest possible p-value, (1/(k + 1))^n, cannot reach the level (this depends on
  n only, which the test conditions on, so it costs no honesty and gains power).
- the p-values of all remaining groups of one agenda (categories and locations together)
  go through the Benjamini–Hochberg procedure at FALSE_DISCOVERY_RATE. When nothing
  changed at all, that keeps the chance that an agenda flags anything at about
  FALSE_DISCOVERY_RATE at most; benchmarks/agenda_false_alarms.py measures it.

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
# A rise needs at least this many complaints this period: 1 -> 2 is never a trend.
MIN_RISING_COUNT = 3

UP, SAME = "op", "gelijk"


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
    # Past the mode each term is smaller than the one before it, by a ratio that only falls,
    # so the rest of the tail is at most a geometric series: stop once that cannot reach
    # the sum's last bit. With thousands of complaints the tail holds thousands of terms,
    # nearly all of them too small to count.
    mode = int((n + 1) * p)
    terms: list[float] = []
    total = 0.0
    for j in range(k, n + 1):
        term = math.exp(_log_term(n, j, p))
        terms.append(term)
        total += term
        if j > mode and term * _tail_factor(n, j, p) < total * _NEGLIGIBLE:
            break
    return min(1.0, math.fsum(terms))


# Smaller than half the last bit of a sum (2**-53): a tail below it leaves the sum as it is.
_NEGLIGIBLE = 2.0**-60


def _tail_factor(n: int, j: int, p: float) -> float:
    """Return a bound on (sum of the terms after j) / (term j), for j past the mode."""
    ratio = (n - j) / (j + 1) * p / (1 - p)  # term j+1 / term j; only smaller after it
    return ratio / (1 - ratio) if ratio < 1 else math.inf


def binomial_lower(k: int, n: int, p: float) -> float:
    """Return P(X <= k) for X binomial(n, p)."""
    if k >= n:
        return 1.0
    if k < 0:
        return 0.0
    return 1.0 - binomial_upper(k + 1, n, p)


def conditional_p_value(current: int, previous: Sequence[int]) -> float | None:
    """Return P(X >= current) for X binomial(n, 1 / (len(previous) + 1)), n the total.

    None without earlier periods: given n = current + sum(previous) complaints and an
    unchanged rate, the current period holds each with chance 1 / (len(previous) + 1).
    """
    if not previous:
        return None
    n = current + sum(previous)
    return binomial_upper(current, n, 1 / (len(previous) + 1))


def smallest_p_value(trend: Trend) -> float:
    """Return the smallest p-value the group could get given its total (1: can never flag)."""
    n = trend.current + sum(trend.previous)
    if not trend.previous or n < MIN_RISING_COUNT:
        return 1.0
    return (1 / (len(trend.previous) + 1)) ** n


def tarone(smallest: Sequence[float], rate: float) -> list[bool]:
    """Return which tests to keep: the fewest K such that at most K can reach ``rate`` / K."""
    m = len(smallest)
    for k in range(1, m + 1):
        if sum(1 for p in smallest if p <= rate / k) <= k:
            return [p <= rate / k for p in smallest]
    return [False] * m


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
    signal: str = ""  # UP when the test (across the agenda) flags a real rise
    tested: bool = False  # whether the group took part in the test (see ``assess``)

    @property
    def expected(self) -> float | None:
        """Return the mean count of the earlier periods, or None without history."""
        return sum(self.previous) / len(self.previous) if self.previous else None

    @property
    def p_value(self) -> float | None:
        """Return the one-sided conditional binomial p-value (None without history)."""
        return conditional_p_value(self.current, self.previous)

    @property
    def rising(self) -> bool:
        """Tell whether the count is clearly higher than usual (flagged by the test)."""
        return self.signal == UP

    @property
    def direction(self) -> str:
        """Return 'op' only for a flagged rise, 'gelijk' otherwise, '' without history."""
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
    # A register holds a few thousand distinct days: each one's period is worked out once.
    index_of: dict[date, int | None] = {}
    for complaint in complaints:
        day = day_of(complaint.ontvangen_op)
        if day is None:
            continue
        if day in index_of:
            index = index_of[day]
        else:
            index = index_of[day] = period_index(day, current)
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
    candidates: list[tuple[int, int]] = [
        (f, i)
        for f, family in enumerate(families)
        for i, trend in enumerate(family)
        if trend.previous and not skip(f, trend)
    ]
    keep = tarone([smallest_p_value(families[f][i]) for f, i in candidates], rate)
    tested = [pos for pos, kept in zip(candidates, keep, strict=True) if kept]
    p_values = [families[f][i].p_value or 1.0 for f, i in tested]
    rejected = benjamini_hochberg(p_values, rate)
    result = [list(family) for family in families]
    for (f, i), flagged in zip(tested, rejected, strict=True):
        trend = result[f][i]
        rises = flagged and trend.current >= MIN_RISING_COUNT
        result[f][i] = replace(trend, tested=True, signal=UP if rises else "")
    return tuple(tuple(family) for family in result)


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
SIMULATED_FALSE_ALARMS = 0.022  # 8,000 agendas, seed 15 (2.1-2.5% per scenario)
