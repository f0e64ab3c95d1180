"""Figures from the register: counts per period, trends, a Poisson test, medians and shares.

Every function here is pure: complaints in, numbers out. Wording lives in the templates,
so results carry codes (``kind``, ``direction``) rather than Dutch text.
"""

from __future__ import annotations

import math
import statistics
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache

from klachtsheet import schema
from klachtsheet.categories import Catalogue, normalise
from klachtsheet.model import Complaint, parse_date

# How many earlier periods of the same length the current one is compared with.
COMPARISON_PERIODS = 6
# A category "rises beyond chance" when P(X >= count) < ALPHA under the earlier rate ...
ALPHA = 0.05
# ... and at least this many complaints came in: a rise from 1 to 2 is not a trend.
MIN_RISING_COUNT = 3
# The expected count is never taken below this, so a category that never occurred
# before does not look infinitely surprising.
RATE_FLOOR = 0.5

# Group kinds: a known name, an unknown (proposed) name, an empty cell, or confidential rows.
KNOWN, UNKNOWN, NONE, CONFIDENTIAL = "bekend", "onbekend", "leeg", "vertrouwelijk"

_YES = {"ja", "j", "yes", "x", "waar", "1"}
_STATUS = {normalise(s): s for s in schema.STATUSSEN}
_SATISFACTION = {normalise(s): s for s in schema.TEVREDENHEID}
OTHER_SATISFACTION = "anders"


@dataclass(frozen=True)
class Period:
    """Days from ``start`` up to, not including, ``end``."""

    start: date
    end: date

    def __contains__(self, day: object) -> bool:
        return isinstance(day, date) and self.start <= day < self.end

    @property
    def last_day(self) -> date:
        return self.end - timedelta(days=1)

    @property
    def days(self) -> int:
        return (self.end - self.start).days


def periods_before(period: Period, count: int) -> tuple[Period, ...]:
    """Return the ``count`` periods of the same length right before ``period``, latest first."""
    length = timedelta(days=period.days)
    return tuple(
        Period(period.start - length * (i + 1), period.start - length * i) for i in range(count)
    )


@lru_cache(maxsize=8192)
def day_of(text: str) -> date | None:
    """Return the calendar date in a cell, or None when it is empty or not a date."""
    return parse_date(text).day


def poisson_tail(count: int, rate: float) -> float:
    """Return P(X >= count) for X Poisson-distributed with mean ``rate``."""
    if count <= 0:
        return 1.0
    if rate <= 0:
        return 0.0

    def term(k: int) -> float:
        # Log space: exp(-rate) alone underflows for large rates.
        return math.exp(-rate + k * math.log(rate) - math.lgamma(k + 1))

    if count <= rate:
        return max(0.0, 1.0 - math.fsum(term(k) for k in range(count)))
    # Above the mean, sum the upper tail directly so small p-values keep their precision.
    total, k = 0.0, count
    while True:
        value = term(k)
        total += value
        if value < total * 1e-17 or value == 0.0:
            return min(1.0, total)
        k += 1


def median(values: Sequence[float]) -> float | None:
    """Return the median, or None for no values."""
    return statistics.median(values) if values else None


@dataclass(frozen=True)
class Share:
    """A part of a whole, e.g. complaints solved in the first line of all complaints."""

    part: int
    whole: int

    @property
    def value(self) -> float | None:
        return self.part / self.whole if self.whole else None


@dataclass(frozen=True)
class Median:
    """A median number of days over ``count`` complaints."""

    value: float | None
    count: int


def days_median(pairs: Iterable[tuple[date | None, date | None]]) -> Median:
    """Return the median days from start to end over pairs where both dates are known."""
    spans = [(end - start).days for start, end in pairs if start and end and end >= start]
    return Median(median(spans), len(spans))


# -- reading cells the way people type them ------------------------------------------------


def status_of(complaint: Complaint) -> str:
    """Return the status as one of schema.STATUSSEN when recognisable; empty means Nieuw."""
    return _status(complaint.status)


@lru_cache(maxsize=1024)
def _status(text: str) -> str:
    text = text.strip()
    if not text:
        return schema.NIEUW
    return _STATUS.get(normalise(text), text)


def is_open(complaint: Complaint) -> bool:
    """Tell whether a complaint still waits for someone (not closed, no feedback yet)."""
    status = status_of(complaint)
    return status not in schema.CLOSED_STATUSES and status != schema.TERUGGEKOPPELD


def is_inquiry(complaint: Complaint) -> bool:
    """Tell whether a row is a navraag; anything else counts as a klacht."""
    return normalise(complaint.soort) == normalise(schema.NAVRAAG)


def solved_first_line(complaint: Complaint) -> bool:
    """Tell whether the first line solved it, by the Ja/Nee column or the status."""
    return (
        normalise(complaint.opgelost_1e_lijn) in _YES
        or status_of(complaint) == schema.OPGELOST_1E_LIJN
    )


def satisfaction_of(complaint: Complaint) -> str | None:
    """Return the satisfaction as one of schema.TEVREDENHEID, 'anders', or None when empty."""
    text = complaint.tevredenheid.strip()
    if not text:
        return None
    return _SATISFACTION.get(normalise(text), OTHER_SATISFACTION)


@dataclass(frozen=True)
class Group:
    """What a complaint is counted under: a name and whether that name is known."""

    kind: str
    name: str = ""


def category_group(catalogue: Catalogue) -> Callable[[Complaint], Group]:
    """Return a function that puts a complaint under its category."""

    # Unknown values that differ only in case, spaces or accents are one proposal,
    # shown as first written.
    unknown: dict[str, Group] = {}

    @lru_cache(maxsize=4096)
    def by_text(text: str) -> Group:
        if not text.strip():
            return Group(NONE)
        found = catalogue.match(text)
        if found:
            return Group(KNOWN, found.name)
        return unknown.setdefault(normalise(text), Group(UNKNOWN, " ".join(text.split())))

    def group(complaint: Complaint) -> Group:
        return Group(CONFIDENTIAL) if complaint.is_confidential else by_text(complaint.categorie)

    return group


def location_group(locations: Iterable[str]) -> Callable[[Complaint], Group]:
    """Return a function that puts a complaint under its location (Locaties tab names)."""
    known = {normalise(name): name for name in locations if name.strip()}

    unknown: dict[str, Group] = {}

    @lru_cache(maxsize=4096)
    def by_text(text: str) -> Group:
        if not text.strip():
            return Group(NONE)
        key = normalise(text)
        if key in known:
            return Group(KNOWN, known[key])
        return unknown.setdefault(key, Group(UNKNOWN, " ".join(text.split())))

    def group(complaint: Complaint) -> Group:
        return Group(CONFIDENTIAL) if complaint.is_confidential else by_text(complaint.locatie)

    return group


# -- counts and trends -----------------------------------------------------------------------


@dataclass(frozen=True)
class Trend:
    """The count of one group in the current period against the earlier periods."""

    group: Group
    current: int
    previous: tuple[int, ...]  # latest first

    @property
    def expected(self) -> float | None:
        """Return the mean count of the earlier periods, or None without history."""
        return sum(self.previous) / len(self.previous) if self.previous else None

    @property
    def p_value(self) -> float | None:
        """Return P(X >= current) under the earlier rate (one-sided Poisson test)."""
        if self.expected is None:
            return None
        return poisson_tail(self.current, max(self.expected, RATE_FLOOR))

    @property
    def rising(self) -> bool:
        """Tell whether the count rose beyond chance (stated in the agenda's method note)."""
        p = self.p_value
        return p is not None and self.current >= MIN_RISING_COUNT and p < ALPHA

    @property
    def direction(self) -> str:
        """Return 'op', 'af', 'gelijk', or '' without history."""
        if self.expected is None:
            return ""
        if self.current > self.expected:
            return "op"
        if self.current < self.expected:
            return "af"
        return "gelijk"


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
    current count (highest first), then by name.
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


# -- handling figures --------------------------------------------------------------------------


@dataclass(frozen=True)
class Figures:
    """How complaints were handled in a span of days (confidential rows left out)."""

    complaints: int
    inquiries: int
    first_line: Share
    handover_days: Median
    closure_days: Median
    within_term: Share
    satisfaction: tuple[tuple[str, int], ...]

    @property
    def satisfaction_total(self) -> int:
        return sum(n for _, n in self.satisfaction)

    def satisfaction_share(self, value: str) -> Share:
        """Return the share of one satisfaction value among the answers given."""
        return Share(dict(self.satisfaction).get(value, 0), self.satisfaction_total)


def figures(complaints: Iterable[Complaint], span: Period) -> Figures:
    """Compute the handling figures for complaints, each anchored on its own event date.

    - counts and first-line share: received (Ontvangen op) in the span; the share
      counts klachten only, not navragen;
    - days to handover: handed over (Overgedragen op) in the span;
    - days to closure and satisfaction: closed (Afgesloten op) in the span;
    - within term: answered (Teruggekoppeld deelnemer op) in the span, with an
      Antwoord uiterlijk; on or before that date counts as within term.
    """
    complaints_in = inquiries = solved = 0
    handover_pairs: list[tuple[date | None, date | None]] = []
    closure_pairs: list[tuple[date | None, date | None]] = []
    answered = on_time = 0
    satisfaction: Counter[str] = Counter()
    for complaint in complaints:
        if complaint.is_confidential:
            continue
        got = day_of(complaint.ontvangen_op)
        if got in span:
            if is_inquiry(complaint):
                inquiries += 1
            else:
                complaints_in += 1
                solved += solved_first_line(complaint)
        handed = day_of(complaint.overgedragen_op)
        if handed in span:
            handover_pairs.append((got, handed))
        done = day_of(complaint.afgesloten_op)
        if done in span:
            closure_pairs.append((got, done))
            answer = satisfaction_of(complaint)
            if answer:
                satisfaction[answer] += 1
        told = day_of(complaint.teruggekoppeld_deelnemer_op)
        deadline = day_of(complaint.antwoord_uiterlijk)
        if told is not None and deadline is not None and told in span:
            answered += 1
            on_time += told <= deadline
    order = [*schema.TEVREDENHEID, OTHER_SATISFACTION]
    return Figures(
        complaints=complaints_in,
        inquiries=inquiries,
        first_line=Share(solved, complaints_in),
        handover_days=days_median(handover_pairs),
        closure_days=days_median(closure_pairs),
        within_term=Share(on_time, answered),
        satisfaction=tuple((value, satisfaction[value]) for value in order if satisfaction[value]),
    )
