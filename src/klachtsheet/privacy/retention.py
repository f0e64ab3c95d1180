"""Retention: complaints closed longer ago than the term in Instellingen lose their personal data.

Planning is pure (``plan_retention``); ``apply_retention`` reads both registers
once, writes one update per register, logs in Logboek and clears the outbox, so
the sync can run it too.
"""

from __future__ import annotations

import calendar
import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date

from klachtsheet import schema
from klachtsheet.config import Config
from klachtsheet.exceptions import RegisterError
from klachtsheet.model import CellUpdate, Complaint, Table, complaints, format_date, setting_int
from klachtsheet.model import settings as read_settings
from klachtsheet.privacy.anonymise import REASON_RETENTION, blanking
from klachtsheet.privacy.scrub import (
    AnonymisationReport,
    anonymise_in,
    outbox_dir_of,
    require_logbook,
)
from klachtsheet.register import Register
from klachtsheet.schema import CONFIDENTIAL, SHARED

log = logging.getLogger(__name__)

BY = "bewaartermijn"
SETTING = "bewaartermijn_maanden"
_CLOSED = {status.casefold() for status in schema.CLOSED_STATUSES}
_DATE_KEYS = tuple(c.key for c in schema.KLACHTEN.columns if c.is_date)


def add_months(day: date, months: int) -> date:
    """Return the same day so many calendar months later (or earlier), clamped to month end."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return date(year, month + 1, min(day.day, last))


def cutoff(today: date, months: int) -> date:
    """Return the first closing date that is still kept: closed before it means expired."""
    return add_months(today, -months)


def closing_date(complaint: Complaint) -> tuple[date | None, str | None]:
    """Return when a complaint was closed, or None and a Dutch reason when that is unknown.

    Afgesloten op counts; without it (a complaint solved in the first line, an inquiry)
    the latest date in the row, normally Ontvangen op: never earlier than the truth.
    """
    if complaint.status.strip().casefold() not in _CLOSED:
        return None, None
    closed = complaint.date("afgesloten_op")
    header = schema.KLACHTEN.header("afgesloten_op")
    if closed.problem:
        return None, f"'{header}' is geen datum"
    if closed.day is not None:
        return closed.day, None
    days = []
    for key in _DATE_KEYS:
        parsed = complaint.date(key)
        if parsed.problem:
            # A date we cannot read might be the latest one: keep the data until it is fixed.
            return None, f"'{schema.KLACHTEN.header(key)}' is geen datum"
        if parsed.day is not None:
            days.append(parsed.day)
    if not days:
        return None, "er staat geen enkele datum in de rij"
    return max(days), None


def retention_months(tables: Mapping[str, Table]) -> tuple[int, str | None]:
    """Return the term in months from Instellingen, and a Dutch problem when it is unusable."""
    months, problem = setting_int(read_settings(tables.get(schema.INSTELLINGEN_TAB)), SETTING)
    return months, problem


def expired(
    rows: Sequence[Complaint], *, today: date, months: int
) -> tuple[list[Complaint], list[str]]:
    """Return the complaints past the term, and one Dutch note per row that had to be skipped."""
    first_kept = cutoff(today, months)
    result, notes = [], []
    for complaint in rows:
        closed, problem = closing_date(complaint)
        where = complaint.nummer or f"rij {complaint.row_number}"
        if problem:
            notes.append(f"Melding {where} overgeslagen: {problem}.")
            continue
        if closed is None or closed >= first_kept:
            continue
        if not complaint.nummer.strip():
            notes.append(
                f"Rij {complaint.row_number} is verlopen maar heeft geen Nummer; "
                "voer eerst de sync uit."
            )
            continue
        result.append(complaint)
    return result, notes


def plan_retention(
    tables: Mapping[str, Table], *, today: date, months: int | None = None
) -> list[CellUpdate]:
    """Return the cell updates that anonymise every expired complaint of one register.

    ``months`` defaults to the term in the register's own Instellingen tab.
    """
    if months is None:
        months, _ = retention_months(tables)
    updates, _ = _plan(tables, today=today, months=months)
    return [change for changes in updates.values() for change in changes]


def _plan(
    tables: Mapping[str, Table], *, today: date, months: int
) -> tuple[dict[str, tuple[CellUpdate, ...]], tuple[list[str], list[str]]]:
    """Return Nummer -> updates, and (expired Nummers, notes)."""
    table = tables.get(schema.KLACHTEN_TAB)
    if table is None or months < 1:
        return {}, ([], [])
    rows, notes = expired(complaints(table), today=today, months=months)
    updates = {
        c.nummer: blanking(c, table.headers, today=today, reason=REASON_RETENTION) for c in rows
    }
    return {n: u for n, u in updates.items() if u}, ([c.nummer for c in rows], notes)


@dataclass(frozen=True)
class RetentionReport(AnonymisationReport):
    """What a retention run did: counts per register and notes, in Dutch."""

    months: int = 24
    today: date | None = None
    first_kept: date | None = None

    def summary(self) -> str:
        """Return a short Dutch account of the run."""
        head = (
            f"Bewaartermijn {self.months} maanden: meldingen die vóór "
            f"{format_date(self.first_kept)} zijn afgesloten, worden geanonimiseerd."
        )
        if self.dry_run:
            head += " Proefdraai: er is niets veranderd."
        return "\n".join([head, *self.lines()])


def apply_retention(
    config: Config,
    shared: Register,
    confidential: Register | None,
    *,
    today: date,
    dry_run: bool = False,
) -> RetentionReport:
    """Anonymise expired complaints in both registers and delete their outbox documents."""
    tabs = [schema.KLACHTEN_TAB, schema.INSTELLINGEN_TAB, schema.LOGBOEK_TAB]
    shared_tables = shared.read(tabs)
    require_logbook(shared_tables, shared.location)
    months, problem = retention_months(shared_tables)
    notes = [f"Let op: {problem}."] if problem else []
    report = RetentionReport(
        notes=(), dry_run=dry_run, months=months, today=today, first_kept=cutoff(today, months)
    )
    if months < 1:
        notes.append(
            "De bewaartermijn is 0 maanden; dat is vast een vergissing, dus er is niets "
            "gewist. Vul in Instellingen een aantal maanden in (minimaal 1)."
        )
        return _with(report, (), notes)
    registers: list[tuple[str, Register, Mapping[str, Table]]] = [(SHARED, shared, shared_tables)]
    if confidential is None:
        notes.append(
            "Geen vertrouwelijk register gevonden; alleen het gedeelde register nagelopen."
        )
    else:
        try:
            confidential_tables = confidential.read([schema.KLACHTEN_TAB, schema.LOGBOEK_TAB])
        except RegisterError as error:
            notes.append(f"Vertrouwelijk register overgeslagen: {error}")
        else:
            require_logbook(confidential_tables, confidential.location)
            registers.append((CONFIDENTIAL, confidential, confidential_tables))
    outcomes = []
    # The confidential register goes first, so the outbox documents of a confidential
    # complaint are deleted and logged there rather than next to its stub.
    handled: set[str] = set()
    for label, register, tables in reversed(registers):
        updates, (expired_nummers, row_notes) = _plan(tables, today=today, months=months)
        outbox_nummers = [n for n in expired_nummers if n not in handled]
        handled.update(expired_nummers)
        notes.extend(f"{label.capitalize()} register: {note}" for note in row_notes)
        outcomes.append(
            anonymise_in(
                register,
                label,
                updates,
                outbox_nummers,
                outbox_dir=outbox_dir_of(config, label),
                reason=REASON_RETENTION,
                by=BY,
                dry_run=dry_run,
            )
        )
    return _with(report, tuple(reversed(outcomes)), notes)


def _with(report: RetentionReport, outcomes, notes) -> RetentionReport:
    return replace(report, outcomes=outcomes, notes=tuple(notes))
