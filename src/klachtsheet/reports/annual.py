"""The annual complaints overview (jaarverslag): figures a charity publishes, no personal data.

Only counts, shares and medians leave this module: no names, numbers, locations,
coordinators or free text from the register. Values typed in the Categorie column
that the Categorieën tab does not know are counted together, never printed, because
free text may hold anything.
"""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from klachtsheet import schema
from klachtsheet.categories import Catalogue, from_table, normalise
from klachtsheet.exceptions import KlachtsheetError, LayoutError
from klachtsheet.messages.texts import render
from klachtsheet.model import Table, complaints, now, settings
from klachtsheet.reports import metrics
from klachtsheet.reports.agenda import agenda_environment, for_format
from klachtsheet.reports.agenda_write import emit, output_folder
from klachtsheet.reports.metrics import Figures, Period

if TYPE_CHECKING:
    from klachtsheet.config import Config
    from klachtsheet.register import Register

log = logging.getLogger(__name__)

FORMATS = ("md", "html")
READ_TABS = (schema.KLACHTEN_TAB, schema.CATEGORIEEN_TAB, schema.INSTELLINGEN_TAB)
OTHER_CHANNEL = "anders"
# Month marks: not in use (before the register started, or still to come), partly, fully.
UNUSED, PARTIAL, FULL = "leeg", "deels", "vol"
DAYS_PER_MONTH = 365.2425 / 12


@dataclass(frozen=True)
class CategoryYear:
    """Complaints of one category (or group) in the year and the year before."""

    group: metrics.Group
    count: int
    previous: int

    @property
    def change(self) -> int:
        return self.count - self.previous


@dataclass(frozen=True)
class AnnualReport:
    """Everything the jaarverslag says."""

    organisation: str
    year: int
    received: int
    previous_received: int
    confidential: int
    categories: tuple[CategoryYear, ...]
    channels: tuple[tuple[str, int], ...]
    months: tuple[int, ...]
    figures: Figures
    previous: Figures | None
    # The days of each year the register was in use (from its first complaint up to
    # ``until``); None when not at all. A year is full when it covers all 12 months.
    operation: Period | None = None
    previous_operation: Period | None = None
    month_marks: tuple[str, ...] = (FULL,) * 12
    until: date | None = None

    @property
    def month_dates(self) -> tuple[date, ...]:
        return tuple(date(self.year, m, 1) for m in range(1, 13))

    @property
    def full(self) -> bool:
        return self.operation == year_period(self.year)

    @property
    def previous_full(self) -> bool:
        return self.previous_operation == year_period(self.year - 1)

    @property
    def comparable(self) -> bool:
        """Tell whether both years are complete, so their totals compare directly."""
        return self.full and self.previous_full

    @property
    def months_in_use(self) -> float:
        return months(self.operation)

    @property
    def previous_months_in_use(self) -> float:
        return months(self.previous_operation)

    @property
    def per_month(self) -> float | None:
        """Return the mean number of reports per month of operation this year."""
        return rate(self.received, self.operation)

    @property
    def previous_per_month(self) -> float | None:
        return rate(self.previous_received, self.previous_operation)

    @property
    def partial_months(self) -> tuple[date, ...]:
        return tuple(d for d, mark in zip(self.month_dates, self.month_marks, strict=True)
                     if mark == PARTIAL)  # fmt: skip

    @property
    def risers(self) -> tuple[CategoryYear, ...]:
        """Return the named categories that grew most against the year before (top 3)."""
        if not self.comparable:
            return ()  # a partial year: totals do not compare (the table shows per month)
        named = [c for c in self.categories if c.group.kind == metrics.KNOWN and c.change > 0]
        return tuple(sorted(named, key=lambda c: -c.change)[:3])

    @property
    def fallers(self) -> tuple[CategoryYear, ...]:
        """Return the named categories that shrank most against the year before (top 3)."""
        if not self.comparable:
            return ()
        named = [c for c in self.categories if c.group.kind == metrics.KNOWN and c.change < 0]
        return tuple(sorted(named, key=lambda c: c.change)[:3])


def year_period(year: int) -> Period:
    """Return the calendar year as a period."""
    return Period(date(year, 1, 1), date(year + 1, 1, 1))


def months(operation: Period | None) -> float:
    """Return the length of a period in months (of 365.2425 / 12 days); 0 for None."""
    return operation.days / DAYS_PER_MONTH if operation else 0.0


def rate(count: int, operation: Period | None) -> float | None:
    """Return a count per month of operation, or None when the register was not in use."""
    length = months(operation)
    return count / length if length else None


def operation_in(year: int, first: date | None, until: date) -> Period | None:
    """Return the days of ``year`` from the register's first complaint up to ``until``."""
    whole = year_period(year)
    if first is None:
        return None
    start, end = max(whole.start, first), min(whole.end, until + timedelta(days=1))
    return Period(start, end) if start < end else None


def month_marks(year: int, operation: Period | None) -> tuple[str, ...]:
    """Mark each month of the year as unused, partly or fully in operation."""
    marks = []
    for month in range(1, 13):
        start = date(year, month, 1)
        end = date(year + 1, 1, 1) if month == 12 else date(year, month + 1, 1)
        if operation is None or operation.end <= start or operation.start >= end:
            marks.append(UNUSED)
        elif operation.start <= start and operation.end >= end:
            marks.append(FULL)
        else:
            marks.append(PARTIAL)
    return tuple(marks)


def build_annual(
    tables: Mapping[str, Table], *, year: int, today: date | None = None
) -> AnnualReport:
    """Compute the annual overview for a calendar year, as it stands on ``today``.

    The register is in use from its first complaint (Ontvangen op) up to ``today``;
    a year (or month) outside or partly outside that span is marked partial, and a
    partial year is compared with the year before per month of operation.
    """
    if not 1900 < year < 10000:
        raise KlachtsheetError(f"Jaar {year} is geen geldig jaartal")
    klachten = tables.get(schema.KLACHTEN_TAB)
    if klachten is None:
        raise LayoutError("Tabblad 'Klachten' ontbreekt; voer 'klachtsheet init' uit")
    rows = complaints(klachten)
    until = today or now().date()
    first = min(
        (d for d in (metrics.day_of(c.ontvangen_op) for c in rows) if d is not None), default=None
    )
    this, last = year_period(year), year_period(year - 1)
    category_of = metrics.category_group(Catalogue(from_table(tables.get(schema.CATEGORIEEN_TAB))))
    now_counts: Counter[metrics.Group] = Counter()
    then_counts: Counter[metrics.Group] = Counter()
    channels: Counter[str] = Counter()
    months = [0] * 12
    confidential = 0
    for complaint in rows:
        day = metrics.day_of(complaint.ontvangen_op)
        if day is None:
            continue
        group = _public_group(category_of(complaint))
        if day in this:
            now_counts[group] += 1
            months[day.month - 1] += 1
            channels[_channel(complaint.kanaal)] += 1
            confidential += complaint.is_confidential
        elif day in last:
            then_counts[group] += 1
    categories = [
        CategoryYear(group, now_counts[group], then_counts[group])
        for group in set(now_counts) | set(then_counts)
    ]
    categories.sort(
        key=lambda c: (c.group.kind != metrics.KNOWN, -c.count, c.group.name.casefold())
    )
    previous_received = sum(then_counts.values())
    # Up to today only: a deadline later this year has not passed yet.
    spans = [_up_to(this, until)] + ([_up_to(last, until)] if previous_received else [])
    figures, *previous = metrics.figures_over(rows, spans)
    order = [*schema.KANALEN, OTHER_CHANNEL]
    return AnnualReport(
        organisation=settings(tables.get(schema.INSTELLINGEN_TAB))["organisatie"],
        year=year,
        received=sum(now_counts.values()),
        previous_received=previous_received,
        confidential=confidential,
        categories=tuple(categories),
        channels=tuple((c, channels[c]) for c in order if channels[c]),
        months=tuple(months),
        figures=figures,
        previous=previous[0] if previous else None,
        operation=operation_in(year, first, until),
        previous_operation=operation_in(year - 1, first, until),
        month_marks=month_marks(year, operation_in(year, first, until)),
        until=until,
    )


def _up_to(span: Period, until: date) -> Period:
    end = min(span.end, until + timedelta(days=1))
    return Period(span.start, end) if end > span.start else span


def _public_group(group: metrics.Group) -> metrics.Group:
    # Free text someone typed as a category is never published, only counted.
    return metrics.Group(metrics.UNKNOWN) if group.kind == metrics.UNKNOWN else group


_CHANNELS = {normalise(k): k for k in schema.KANALEN}


def _channel(text: str) -> str:
    return _CHANNELS.get(normalise(text), OTHER_CHANNEL)


def changes(report: AnnualReport, config: Config | None = None) -> list[str]:
    """Return the paragraphs of 'Wat we veranderden' (empty until the organisation writes them)."""
    # The organisation writes this part itself, in its own copy of the template.
    text = render(
        for_format(agenda_environment(config), "txt"),
        "jaarverslag/wat_we_veranderden.md",
        rapport=report,
    ).strip()
    return [p.strip() for p in text.split("\n\n") if p.strip()]


def has_changes(config: Config | None = None, year: int = 2000) -> bool:
    """Tell whether the organisation wrote its 'Wat we veranderden' text (any year)."""
    empty = AnnualReport(
        "", year, 0, 0, 0, (), (), (0,) * 12, metrics.figures((), year_period(year)), None
    )
    return bool(changes(empty, config))


def render_annual(report: AnnualReport, fmt: str, config: Config | None = None) -> str:
    """Render the jaarverslag as Markdown ('md') or HTML ('html')."""
    if fmt not in FORMATS:
        raise KlachtsheetError(f"Onbekend formaat '{fmt}'; kies md of html")
    env = agenda_environment(config)
    # Escaping follows the output (names and categories typed by people reach the HTML).
    return render(
        for_format(env, fmt),
        f"jaarverslag/jaarverslag.{fmt}",
        rapport=report,
        veranderingen=changes(report, config),
    )


def annual_filename(year: int, fmt: str) -> str:
    """Return the file name of the jaarverslag for a year."""
    return f"jaarverslag-{year}.{fmt}"


def write_annual(
    config: Config,
    register: Register,
    *,
    year: int,
    formats: Sequence[str] = FORMATS,
    target: Path | None = None,
    today: date | None = None,
    stdout: TextIO | None = None,
) -> list[Path]:
    """Build the jaarverslag and write it beside the register (or ``target``, ``-`` = stdout)."""
    if target is not None and len(formats) != 1:
        raise KlachtsheetError("Kies één formaat (--formaat) als je een uitvoerbestand opgeeft")
    report = build_annual(register.read(READ_TABS), year=year, today=today)
    paths = emit(
        {fmt: render_annual(report, fmt, config) for fmt in formats},
        target,
        lambda fmt: output_folder(config) / annual_filename(year, fmt),
        stdout,
    )
    log.info("jaarverslag %d written: %d received", year, report.received)
    return paths
