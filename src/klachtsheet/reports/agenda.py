"""The complaints section of the team-meeting agenda: figures, then Markdown, HTML and the tab.

``build_agenda`` is pure (tables in, a frozen Agenda out); ``write_agenda`` reads the
register once, renders the templates in templates/agenda/ and writes the files and the
Agenda tab. Confidential complaints only ever appear as counts.
"""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

import jinja2

from klachtsheet import schema
from klachtsheet.categories import Catalogue, from_table
from klachtsheet.exceptions import KlachtsheetError, LayoutError
from klachtsheet.files import atomic_write
from klachtsheet.messages.texts import environment, render
from klachtsheet.model import Complaint, Table, complaints, now, setting_int, settings
from klachtsheet.reports import helpdesk, metrics
from klachtsheet.reports.metrics import Figures, Period, Trend

if TYPE_CHECKING:
    from klachtsheet.config import Config
    from klachtsheet.register import Register

log = logging.getLogger(__name__)

FORMATS = ("md", "html")
READ_TABS = (
    schema.KLACHTEN_TAB,
    schema.CATEGORIEEN_TAB,
    schema.LOCATIES_TAB,
    schema.INSTELLINGEN_TAB,
    schema.LOGBOEK_TAB,  # escalations and first contact (reports/helpdesk.py)
)
# The agenda lists at most this many overdue complaints; the rest are counted.
MAX_OVERDUE_LISTED = 40
# The chart shows at most this many categories, the largest first.
MAX_CHART_BARS = 16


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
class Point:
    """A discussion point: a code the template words, with its values."""

    kind: str
    values: tuple[tuple[str, Any], ...] = ()

    @property
    def v(self) -> dict[str, Any]:
        return dict(self.values)


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
        """Return the categories and locations that rose beyond chance."""
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
            "alpha": metrics.ALPHA,
            "minimum": metrics.MIN_RISING_COUNT,
            "floor": metrics.RATE_FLOOR,
            "periods": metrics.COMPARISON_PERIODS,
        }


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
    notes += helpdesk.agenda_notes(tables, every_row, period)
    history_count = metrics.history_periods(rows, period)
    history = metrics.periods_before(period, history_count)
    catalogue = Catalogue(from_table(tables.get(schema.CATEGORIEEN_TAB)))
    category_of = metrics.category_group(catalogue)
    location_names = _location_names(tables.get(schema.LOCATIES_TAB))
    location_of = metrics.location_group(location_names)

    categories = metrics.trends(rows, category_of, period, history_count)
    locations = metrics.trends(rows, location_of, period, history_count)
    in_period = [c for c in rows if metrics.day_of(c.ontvangen_op) in period]
    open_rows = [c for c in rows if _open_at(c, meeting)]
    workload, overdue = _open_complaints(open_rows, meeting, category_of)
    current = metrics.figures(rows, period)
    earlier = metrics.figures(rows, Period(history[-1].start, period.start)) if history else None
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
    open_rows: Sequence[Complaint], meeting: date, category_of
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


def _proposals(rows: Sequence[Complaint], category_of, period: Period) -> tuple[Proposal, ...]:
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


def discussion_points(agenda: Agenda) -> list[Point]:
    """Derive the discussion points, most pressing first."""
    points: list[Point] = []
    for kind, rising in (
        ("categorie", agenda.rising_categories),
        ("locatie", agenda.rising_locations),
    ):
        for trend in rising:
            points.append(Point("stijging", (("trend", trend), ("soort", kind))))
    if agenda.overdue_count:
        top = agenda.workload[0]
        points.append(
            Point(
                "te_laat",
                (("aantal", agenda.overdue_count), ("coordinator", top.coordinator),
                 ("bij_coordinator", top.overdue)),
            )
        )  # fmt: skip
    fig, before = agenda.figures, agenda.earlier
    term = fig.within_term.value
    if term is not None and fig.within_term.whole >= 3 and term < 0.8:
        points.append(Point("termijn", (("share", fig.within_term),)))
    first, first_before = fig.first_line.value, before.first_line.value if before else None
    if (
        first is not None
        and first_before is not None
        and fig.first_line.whole >= 5
        and first_before - first >= 0.15
    ):
        points.append(Point("eerste_lijn", (("nu", first), ("eerder", first_before))))
    slow, slow_before = fig.closure_days.value, before.closure_days.value if before else None
    if (
        slow is not None
        and slow_before is not None
        and fig.closure_days.count >= 3
        and slow >= 1.5 * slow_before + 1
    ):
        points.append(Point("doorlooptijd", (("nu", slow), ("eerder", slow_before))))
    unhappy = fig.satisfaction_share(schema.TEVREDENHEID[2])
    if unhappy.whole >= 4 and (unhappy.value or 0) >= 0.25:
        points.append(Point("ontevreden", (("share", unhappy),)))
    if agenda.proposals:
        names = tuple(p.name for p in agenda.proposals[:3])
        points.append(Point("voorstel", (("aantal", len(agenda.proposals)), ("namen", names))))
    if agenda.undated:
        points.append(Point("zonder_datum", (("aantal", agenda.undated),)))
    if agenda.confidential or agenda.confidential_open:
        points.append(
            Point(
                "vertrouwelijk",
                (("aantal", agenda.confidential), ("open", agenda.confidential_open)),
            )
        )
    return points


# -- the chart ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Bar:
    """One category in the chart: its current count and the mean of the earlier periods."""

    trend: Trend
    y: float
    current_width: float
    expected_width: float


@dataclass(frozen=True)
class Chart:
    """Geometry of the horizontal bar chart; the template draws it as inline SVG."""

    width: int
    height: int
    label_width: int
    bar_area: int
    row_height: int
    top: int
    bars: tuple[Bar, ...]


def chart(agenda: Agenda, *, width: int = 760, label_width: int = 320) -> Chart:
    """Lay out the bar chart of counts per category."""
    trends = [t for t in agenda.categories if t.current or t.expected][:MAX_CHART_BARS]
    bar_area = width - label_width - 70  # room for the value after the bar
    row_height, top = 34, 44
    scale = max([t.current for t in trends] + [t.expected or 0 for t in trends] + [1])
    bars = tuple(
        Bar(
            trend=t,
            y=top + i * row_height,
            current_width=round(bar_area * t.current / scale, 1),
            expected_width=round(bar_area * (t.expected or 0) / scale, 1),
        )
        for i, t in enumerate(trends)
    )
    height = top + len(bars) * row_height + 12
    return Chart(width, height, label_width, bar_area, row_height, top, bars)


# -- rendering ---------------------------------------------------------------------------------


_MD_ESCAPES = str.maketrans({"|": "\\|", "<": "\\<", ">": "\\>", "\\": "\\\\"})


def md_cell(value: object) -> str:
    """Make a value safe in a Markdown table cell or list item: no pipes, tags or line breaks."""
    return " ".join(str(value).split()).translate(_MD_ESCAPES)


def agenda_environment(config: Config | None = None) -> jinja2.Environment:
    """Return the template environment with the agenda's own filters."""
    env = environment(config.templates_dir if config else None)
    env.filters["md"] = md_cell
    return env


def for_format(env: jinja2.Environment, fmt: str) -> jinja2.Environment:
    """Return the environment escaping for one output format.

    Shared macros (agenda/_teksten.j2) are imported by HTML and text templates alike;
    escaping must follow the output, not the macro file's name, or a category typed
    as '<script>' would reach the HTML unescaped.
    """
    return env.overlay(autoescape=fmt == "html")


def render_agenda(agenda: Agenda, fmt: str, env: jinja2.Environment | None = None) -> str:
    """Render the agenda as Markdown ('md') or HTML ('html')."""
    if fmt not in FORMATS:
        raise KlachtsheetError(f"Onbekend formaat '{fmt}'; kies md of html")
    env = for_format(env or agenda_environment(), fmt)
    name = "agenda/agenda.md" if fmt == "md" else "agenda/agenda.html"
    return render(env, name, agenda=agenda, chart=chart(agenda), max_listed=MAX_OVERDUE_LISTED)


def tab_rows(agenda: Agenda, env: jinja2.Environment | None = None) -> list[list[str]]:
    """Return the Agenda tab's rows: one line of text per row."""
    env = for_format(env or agenda_environment(), "txt")
    text = render(env, "agenda/tabblad.txt", agenda=agenda, max_listed=MAX_OVERDUE_LISTED)
    lines = [line.rstrip() for line in text.splitlines()]
    while lines and not lines[-1]:
        lines.pop()
    return [[line] for line in lines]


def agenda_filename(meeting: date, fmt: str) -> str:
    """Return the file name of the agenda for a meeting."""
    return f"agenda-{meeting.isoformat()}.{fmt}"


def write_agenda(
    config: Config,
    register: Register,
    *,
    meeting: date | None = None,
    since: date | None = None,
    formats: Sequence[str] = FORMATS,
    target: Path | None = None,
    tables: Mapping[str, Table] | None = None,
    update_tab: bool = True,
) -> list[Path]:
    """Build the agenda, write it as files and into the Agenda tab; return the files.

    Files go to ``config.output_dir`` (agenda-YYYY-MM-DD.md/.html) unless ``target``
    is given (then only one format). Pass ``tables`` when the register was read already.
    """
    meeting = meeting or now().date()
    if target is not None and len(formats) != 1:
        raise KlachtsheetError("Kies één formaat (--formaat) als je een uitvoerbestand opgeeft")
    for fmt in formats:
        if fmt not in FORMATS:
            raise KlachtsheetError(f"Onbekend formaat '{fmt}'; kies md of html")
    if tables is None:
        tables = register.read(READ_TABS)
    agenda = build_agenda(tables, meeting=meeting, since=since, config=config)
    env = agenda_environment(config)
    paths = []
    for fmt in formats:
        path = target or Path(config.output_dir) / agenda_filename(meeting, fmt)
        write_text(path, render_agenda(agenda, fmt, env))
        paths.append(path)
    if update_tab:
        register.replace_rows(schema.AGENDA_TAB, tab_rows(agenda, env))
    log.info(
        "agenda for %s written: %d received, %d overdue, %d rising",
        meeting.isoformat(), agenda.received, agenda.overdue_count, len(agenda.rising),
    )  # fmt: skip
    return paths


def write_text(path: Path, text: str) -> None:
    """Write a file atomically, creating its folder."""
    path = Path(path)
    try:
        atomic_write(path, text.replace("\r\n", "\n"))
    except OSError as error:
        raise KlachtsheetError(f"Kan {path} niet schrijven: {error.strerror}") from None
