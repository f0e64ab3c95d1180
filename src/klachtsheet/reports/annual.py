"""The annual complaints overview (jaarverslag): figures a charity publishes, no personal data.

Only counts, shares and medians leave this module: no names, numbers, locations,
coordinators or free text from the register. Values typed in the Categorie column
that the Categorieën tab does not know are counted together, never printed, because
free text may hold anything.
"""

from __future__ import annotations

import logging
import sys
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from klachtsheet import schema
from klachtsheet.categories import Catalogue, from_table, normalise
from klachtsheet.exceptions import KlachtsheetError, LayoutError
from klachtsheet.messages.texts import render
from klachtsheet.model import Table, complaints, settings
from klachtsheet.reports import metrics
from klachtsheet.reports.agenda import (
    STDOUT,
    agenda_environment,
    for_format,
    output_folder,
    write_text,
)
from klachtsheet.reports.metrics import Figures, Period

if TYPE_CHECKING:
    from klachtsheet.config import Config
    from klachtsheet.register import Register

log = logging.getLogger(__name__)

FORMATS = ("md", "html")
READ_TABS = (schema.KLACHTEN_TAB, schema.CATEGORIEEN_TAB, schema.INSTELLINGEN_TAB)
OTHER_CHANNEL = "anders"


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

    @property
    def month_dates(self) -> tuple[date, ...]:
        return tuple(date(self.year, m, 1) for m in range(1, 13))

    @property
    def risers(self) -> tuple[CategoryYear, ...]:
        """Return the named categories that grew most against the year before (top 3)."""
        named = [c for c in self.categories if c.group.kind == metrics.KNOWN and c.change > 0]
        return tuple(sorted(named, key=lambda c: -c.change)[:3])

    @property
    def fallers(self) -> tuple[CategoryYear, ...]:
        """Return the named categories that shrank most against the year before (top 3)."""
        named = [c for c in self.categories if c.group.kind == metrics.KNOWN and c.change < 0]
        return tuple(sorted(named, key=lambda c: c.change)[:3])


def year_period(year: int) -> Period:
    """Return the calendar year as a period."""
    return Period(date(year, 1, 1), date(year + 1, 1, 1))


def build_annual(tables: Mapping[str, Table], *, year: int) -> AnnualReport:
    """Compute the annual overview for a calendar year."""
    if not 1900 < year < 10000:
        raise KlachtsheetError(f"Jaar {year} is geen geldig jaartal")
    klachten = tables.get(schema.KLACHTEN_TAB)
    if klachten is None:
        raise LayoutError("Tabblad 'Klachten' ontbreekt; voer 'klachtsheet init' uit")
    rows = complaints(klachten)
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
        figures=metrics.figures(rows, this),
        previous=metrics.figures(rows, last) if previous_received else None,
    )


def _public_group(group: metrics.Group) -> metrics.Group:
    # Free text someone typed as a category is never published, only counted.
    return metrics.Group(metrics.UNKNOWN) if group.kind == metrics.UNKNOWN else group


_CHANNELS = {normalise(k): k for k in schema.KANALEN}


def _channel(text: str) -> str:
    return _CHANNELS.get(normalise(text), OTHER_CHANNEL)


def render_annual(report: AnnualReport, fmt: str, config: Config | None = None) -> str:
    """Render the jaarverslag as Markdown ('md') or HTML ('html')."""
    if fmt not in FORMATS:
        raise KlachtsheetError(f"Onbekend formaat '{fmt}'; kies md of html")
    env = agenda_environment(config)
    # The organisation writes this part itself, in its own copy of the template.
    changes = render(
        for_format(env, "txt"), "jaarverslag/wat_we_veranderden.md", rapport=report
    ).strip()
    paragraphs = [p.strip() for p in changes.split("\n\n") if p.strip()]
    return render(env, f"jaarverslag/jaarverslag.{fmt}", rapport=report, veranderingen=paragraphs)


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
    paths = []
    for fmt in formats:
        text = render_annual(report, fmt, config)
        if target == STDOUT:
            (stdout or sys.stdout).write(text if text.endswith("\n") else text + "\n")
            continue
        path = target or output_folder(config) / annual_filename(year, fmt)
        write_text(path, text)
        paths.append(path)
    log.info("jaarverslag %d written: %d received", year, report.received)
    return paths
