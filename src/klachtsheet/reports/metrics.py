"""Figures from the register: periods, groups, medians and shares (trends: reports/trend.py).

Every function here is pure: complaints in, numbers out. Wording lives in the templates,
so results carry codes (``kind``, ``direction``) rather than Dutch text.
"""

from __future__ import annotations

import statistics
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache

from klachtsheet import schema
from klachtsheet.categories import Catalogue, normalise
from klachtsheet.model import Complaint, parse_date

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


@lru_cache(maxsize=8192)
def day_of(text: str) -> date | None:
    """Return the calendar date in a cell, or None when it is empty or not a date."""
    return parse_date(text).day


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


# -- handling figures --------------------------------------------------------------------------


@dataclass(frozen=True)
class Term:
    """Complaints whose answer was due (Antwoord uiterlijk) in a span of days.

    Every one of them counts: answered on or before the date, answered after it,
    still open past it, or closed without an answer date (``undated``).
    """

    on_time: int = 0
    late: int = 0
    open_overdue: int = 0
    undated: int = 0

    @property
    def due(self) -> int:
        return self.on_time + self.late + self.open_overdue + self.undated

    @property
    def share(self) -> Share:
        """Return the share answered on time of all complaints due."""
        return Share(self.on_time, self.due)


@dataclass(frozen=True)
class Figures:
    """How complaints were handled in a span of days (confidential rows left out)."""

    complaints: int
    inquiries: int
    first_line: Share
    handover_days: Median
    closure_days: Median
    term: Term
    satisfaction: tuple[tuple[str, int], ...]

    @property
    def within_term(self) -> Share:
        """Return the share answered within the term, of all complaints due in the span."""
        return self.term.share

    @property
    def satisfaction_total(self) -> int:
        return sum(n for _, n in self.satisfaction)

    def satisfaction_share(self, value: str) -> Share:
        """Return the share of one satisfaction value among the answers given."""
        return Share(dict(self.satisfaction).get(value, 0), self.satisfaction_total)


def answer_day(complaint: Complaint) -> date | None:
    """Return the day the participant got an answer: Teruggekoppeld deelnemer op, else Afgesloten op."""
    return day_of(complaint.teruggekoppeld_deelnemer_op) or day_of(complaint.afgesloten_op)


def figures(complaints: Iterable[Complaint], span: Period) -> Figures:
    """Compute the handling figures for complaints, each anchored on its own event date.

    - counts and first-line share: received (Ontvangen op) in the span; the share
      counts klachten only, not navragen;
    - days to handover: handed over (Overgedragen op) in the span;
    - days to closure and satisfaction: closed (Afgesloten op) in the span;
    - within term: every complaint whose Antwoord uiterlijk falls in the span:
      answered (``answer_day``) on or before it, after it, or not at all (still open,
      or closed without a date). The span ends at the meeting, so each of these
      deadlines has passed.
    """
    return figures_over(complaints, (span,))[0]


class _Tally:
    """The counts of ``figures`` for one span, as the complaints pass."""

    __slots__ = ("closure", "handover", "inquiries", "received", "satisfaction", "solved",
                 "span", "term")  # fmt: skip

    def __init__(self, span: Period) -> None:
        self.span = (span.start, span.end)
        self.received = self.inquiries = self.solved = 0
        self.handover: list[tuple[date | None, date | None]] = []
        self.closure: list[tuple[date | None, date | None]] = []
        self.term = [0, 0, 0, 0]  # on time, late, open and overdue, closed without a date
        self.satisfaction: Counter[str] = Counter()

    def result(self) -> Figures:
        order = [*schema.TEVREDENHEID, OTHER_SATISFACTION]
        return Figures(
            complaints=self.received,
            inquiries=self.inquiries,
            first_line=Share(self.solved, self.received),
            handover_days=days_median(self.handover),
            closure_days=days_median(self.closure),
            term=Term(*self.term),
            satisfaction=tuple((v, self.satisfaction[v]) for v in order if self.satisfaction[v]),
        )


def figures_over(complaints: Iterable[Complaint], spans: Sequence[Period]) -> list[Figures]:
    """Return ``figures`` for each span, reading each complaint's dates once for all of them."""
    tallies = [_Tally(span) for span in spans]
    for complaint in complaints:
        if complaint.is_confidential:
            continue
        got = day_of(complaint.ontvangen_op)
        handed = day_of(complaint.overgedragen_op)
        done = day_of(complaint.afgesloten_op)
        deadline = day_of(complaint.antwoord_uiterlijk)
        # ``day in span`` spelled out: a call per date is a third of the figures at 50,000 rows.
        for tally in tallies:
            start, end = tally.span
            if got is not None and start <= got < end:
                if is_inquiry(complaint):
                    tally.inquiries += 1
                else:
                    tally.received += 1
                    tally.solved += solved_first_line(complaint)
            if handed is not None and start <= handed < end:
                tally.handover.append((got, handed))
            if done is not None and start <= done < end:
                tally.closure.append((got, done))
                answer = satisfaction_of(complaint)
                if answer:
                    tally.satisfaction[answer] += 1
            if deadline is not None and start <= deadline < end:
                told = answer_day(complaint)
                if told is not None:
                    tally.term[0 if told <= deadline else 1] += 1
                elif is_open(complaint):
                    tally.term[2] += 1
                else:
                    tally.term[3] += 1
    return [tally.result() for tally in tallies]
