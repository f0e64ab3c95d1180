"""The complaints section of the team-meeting agenda: the figures (pure).

``build_agenda`` takes tables and returns a frozen Agenda; wording lives in
templates/agenda/, rendering in agenda_render, files and the tab in agenda_write.
Confidential complaints only ever appear as counts.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from klachtsheet import schema
from klachtsheet.categories import Catalogue, from_table
from klachtsheet.exceptions import KlachtsheetError, LayoutError
from klachtsheet.model import Complaint, Table, complaints, setting_int, settings
from klachtsheet.reports import AGENDA_TABS, helpdesk, metrics, trend
from klachtsheet.reports.agenda_points import Point, discussion_points
from klachtsheet.reports.metrics import Figures, Group, Period
from klachtsheet.reports.trend import Trend

if TYPE_CHECKING:
    from klachtsheet.config import Config

READ_TABS = AGENDA_TABS


@dataclass(frozen=True)
class Overdue:
    """An open complaint past its Antwoord uiterlijk (never a confidential one)."""

    nummer: str
    row_number: int | None
    location: str
    category: str
    coordinator: str
    deadline: date
    days: int


@dataclass(frozen=True)
class Workload:
    """Open complaints of one coordinator ('' when none is assigned yet)."""

    coordinator: str
    open: int
    overdue: int


@dataclass(frozen=True)
class Proposal:
    """A category value the Categorieën tab does not know: a proposed new category."""

    name: str
    count: int
    in_period: int


@dataclass(frozen=True)
class Agenda:
    """Everything the agenda section says, computed from the register."""

    organisation: str
    meeting: date
    period: Period
    history: tuple[Period, ...]
    received: int
    confidential: int
    confidential_open: int
    categories: tuple[Trend, ...]
    locations: tuple[Trend, ...]
    open: int
    workload: tuple[Workload, ...]
    overdue: tuple[Overdue, ...]
    figures: Figures
    earlier: Figures | None
    proposals: tuple[Proposal, ...]
    undated: int
    points: tuple[Point, ...]
    notes: tuple[str, ...] = ()

    @property
    def rising(self) -> tuple[Trend, ...]:
        """Return the categories and locations clearly higher than usual."""
        return self.rising_categories + self.rising_locations

    @property
    def rising_categories(self) -> tuple[Trend, ...]:
        return tuple(t for t in self.categories if t.rising)

    @property
    def rising_locations(self) -> tuple[Trend, ...]:
        # Confidential rows form the same group in both tables; report that once.
        return tuple(t for t in self.locations if t.rising and t.group.kind != metrics.CONFIDENTIAL)

    @property
    def overdue_count(self) -> int:
        return sum(w.overdue for w in self.workload)

    @property
    def method(self) -> dict[str, Any]:
        """Return the constants of the trend test, for the method note."""
        return {
            "rate": trend.FALSE_DISCOVERY_RATE,
            "minimum": trend.MIN_RISING_COUNT,
            "periods": trend.COMPARISON_PERIODS,
            "tested": self.tested,
            "simulated": trend.SIMULATED_FALSE_ALARMS,
        }

    @property
    def tested(self) -> int:
        """Return how many groups took part in the trend test (those that could be flagged)."""
        return sum(1 for t in (*self.categories, *self.locations) if t.tested)


# -- building ----------------------------------------------------------------------------------


def agenda_period(
    meeting: date, since: date | None, instellingen: Table | None
) -> tuple[Period, tuple[str, ...]]:
    """Return the period since the last meeting, and Dutch notes about the settings used."""
    notes: list[str] = []
    if since is None:
        weeks, problem = setting_int(settings(instellingen), "agendaperiode_weken")
        if problem:
            notes.append(problem)
        if weeks < 1:
            notes.append(f"Agendaperiode van {weeks} weken kan niet; 4 weken gebruikt")
            weeks = 4
        since = meeting - timedelta(weeks=weeks)
    if since >= meeting:
        raise KlachtsheetError(
            f"De begindatum ({since:%d-%m-%Y}) moet vóór de vergaderdatum "
            f"({meeting:%d-%m-%Y}) liggen"
        )
    return Period(since, meeting), tuple(notes)


def build_agenda(
    tables: Mapping[str, Table],
    *,
    meeting: date,
    since: date | None = None,
    config: Config | None = None,
) -> Agenda:
    """Compute the agenda section for the period from ``since`` up to the meeting.

    ``config`` is accepted so callers can pass what they have; the figures depend on
    the register alone.
    """
    del config  # nothing in the figures depends on the surroundings
    klachten = tables.get(schema.KLACHTEN_TAB)
    if klachten is None:
        raise LayoutError("Tabblad 'Klachten' ontbreekt; voer 'klachtsheet init' uit")
    # A complaint linked to another by 'Zelfde als' counts once (issue 16).
    every_row = complaints(klachten)
    rows = helpdesk.counted_once(every_row)
    period, notes = agenda_period(meeting, since, tables.get(schema.INSTELLINGEN_TAB))
    notes += tuple(helpdesk.agenda_notes(tables, every_row, period, rows))
    history_count = trend.history_periods(rows, period)
    history = trend.periods_before(period, history_count)
    catalogue = Catalogue(from_table(tables.get(schema.CATEGORIEEN_TAB)))
    category_of = metrics.category_group(catalogue)
    location_names = _location_names(tables.get(schema.LOCATIES_TAB))
    location_of = metrics.location_group(location_names)

    categories, locations = trend.assess(
        (
            trend.trends(rows, category_of, period, history_count),
            trend.trends(rows, location_of, period, history_count),
        ),
        # Confidential rows form the same group in both tables; test that group once.
        skip=lambda family, t: family == 1 and t.group.kind == metrics.CONFIDENTIAL,
    )
    in_period = [c for c in rows if metrics.day_of(c.ontvangen_op) in period]
    open_rows = [c for c in rows if _open_at(c, meeting)]
    workload, overdue = _open_complaints(open_rows, meeting, category_of)
    spans = [period, Period(history[-1].start, period.start)] if history else [period]
    current, *before = metrics.figures_over(rows, spans)
    earlier = before[0] if before else None
    proposals = _proposals(rows, category_of, period)
    undated = sum(1 for c in rows if metrics.day_of(c.ontvangen_op) is None)
    agenda = Agenda(
        organisation=settings(tables.get(schema.INSTELLINGEN_TAB))["organisatie"],
        meeting=meeting,
        period=period,
        history=history,
        received=len(in_period),
        confidential=sum(1 for c in in_period if c.is_confidential),
        confidential_open=sum(1 for c in open_rows if c.is_confidential),
        categories=categories,
        locations=locations,
        open=sum(1 for c in open_rows if not c.is_confidential),
        workload=workload,
        overdue=overdue,
        figures=current,
        earlier=earlier,
        proposals=proposals,
        undated=undated,
        points=(),
        notes=notes,
    )
    return _with_points(agenda)


def _location_names(table: Table | None) -> list[str]:
    if table is None:
        return [row[0] for row in schema.SEED_LOCATIONS]
    return [r.get("Locatie", "").strip() for r in table.records()]


def _open_at(complaint: Complaint, meeting: date) -> bool:
    """Tell whether a complaint counts as open at the meeting (received before it)."""
    received = metrics.day_of(complaint.ontvangen_op)
    return metrics.is_open(complaint) and (received is None or received < meeting)


def _open_complaints(
    open_rows: Sequence[Complaint], meeting: date, category_of: Callable[[Complaint], Group]
) -> tuple[tuple[Workload, ...], tuple[Overdue, ...]]:
    open_by: Counter[str] = Counter()
    late_by: Counter[str] = Counter()
    overdue: list[Overdue] = []
    for complaint in open_rows:
        if complaint.is_confidential:
            continue  # counted apart; never a name, number or date
        coordinator = " ".join(complaint.coordinator.split())
        open_by[coordinator] += 1
        deadline = metrics.day_of(complaint.antwoord_uiterlijk)
        if deadline is None or deadline >= meeting:
            continue
        late_by[coordinator] += 1
        group = category_of(complaint)
        overdue.append(
            Overdue(
                nummer=complaint.nummer.strip(),
                row_number=complaint.row_number,
                location=complaint.locatie.strip(),
                category=group.name,
                coordinator=coordinator,
                deadline=deadline,
                days=(meeting - deadline).days,
            )
        )
    overdue.sort(key=lambda o: (-o.days, o.nummer))
    workload = sorted(
        (Workload(name, count, late_by[name]) for name, count in open_by.items()),
        key=lambda w: (-w.overdue, -w.open, w.coordinator == "", w.coordinator.casefold()),
    )
    return tuple(workload), tuple(overdue)


def _proposals(
    rows: Sequence[Complaint], category_of: Callable[[Complaint], Group], period: Period
) -> tuple[Proposal, ...]:
    total: Counter[str] = Counter()
    recent: Counter[str] = Counter()
    for complaint in rows:
        group = category_of(complaint)
        if group.kind != metrics.UNKNOWN:
            continue
        total[group.name] += 1
        recent[group.name] += metrics.day_of(complaint.ontvangen_op) in period
    ordered = sorted(total, key=lambda name: (-recent[name], -total[name], name.casefold()))
    return tuple(Proposal(name, total[name], recent[name]) for name in ordered)


def _with_points(agenda: Agenda) -> Agenda:
    """Return the agenda with discussion points derived from its figures."""
    return replace(agenda, points=tuple(discussion_points(agenda)))
