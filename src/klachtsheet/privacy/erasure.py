"""Erasure on request: the same blanking as retention, for chosen complaints, whatever their age."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date

from klachtsheet import nummer as nummers
from klachtsheet import schema
from klachtsheet.config import Config
from klachtsheet.exceptions import KlachtsheetError
from klachtsheet.model import CellUpdate, Complaint, Table, complaints
from klachtsheet.privacy.access import PersonQuery, read_registers
from klachtsheet.privacy.anonymise import REASON_REQUEST, blanking
from klachtsheet.privacy.scrub import (
    REGISTER_NAMES,
    AnonymisationReport,
    anonymise_in,
    outbox_dir_of,
    require_logbook,
)
from klachtsheet.register import Register
from klachtsheet.schema import CONFIDENTIAL, SHARED

log = logging.getLogger(__name__)

BY = "verwijder"
_CLOSED = {status.casefold() for status in schema.CLOSED_STATUSES}


@dataclass(frozen=True)
class Selection:
    """Which complaints to erase: some Nummers, or every complaint about one person."""

    nummers: tuple[str, ...] = ()
    person: PersonQuery | None = None

    def __post_init__(self) -> None:
        if bool(self.nummers) == (self.person is not None):
            raise KlachtsheetError(
                "Kies welke meldingen: geef Nummers, of een deelnemernummer, naam, "
                "telefoonnummer of e-mailadres"
            )

    def wanted_nummers(self) -> set[str]:
        """Return the Nummers asked for, in their canonical form where they are valid."""
        return {nummers.normalise(n) or n.strip() for n in self.nummers if n.strip()}

    def matches(self, complaint: Complaint) -> bool:
        """Tell whether a complaint is selected."""
        if self.person is not None:
            return self.person.matches(complaint)
        return bool(complaint.nummer.strip()) and complaint.nummer.strip() in self.wanted_nummers()


@dataclass(frozen=True)
class Target:
    """One selected complaint, described without personal data so it can be shown and confirmed."""

    register: str
    nummer: str
    ontvangen_op: str
    locatie: str
    categorie: str
    status: str
    cells: int

    @property
    def is_open(self) -> bool:
        return self.status.strip().casefold() not in _CLOSED

    def describe(self) -> str:
        """Return one Dutch line: Nummer, register, date, location, category and status."""
        state = f"{self.cells} cel(len) te wissen" if self.cells else "al zonder persoonsgegevens"
        warning = " - LET OP: nog niet afgesloten" if self.is_open and self.cells else ""
        return (
            f"{self.nummer} ({REGISTER_NAMES[self.register]}): ontvangen {self.ontvangen_op}, "
            f"{self.locatie or 'geen locatie'}, {self.categorie or 'geen categorie'}, "
            f"status {self.status or 'leeg'}; {state}{warning}"
        )


@dataclass(frozen=True)
class ErasurePlan:
    """What an erasure would change, per register."""

    targets: tuple[Target, ...]
    updates: Mapping[str, Mapping[str, tuple[CellUpdate, ...]]] = field(default_factory=dict)
    not_found: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()

    @property
    def cells(self) -> int:
        return sum(t.cells for t in self.targets)

    @property
    def open_count(self) -> int:
        return sum(1 for t in self.targets if t.is_open and t.cells)


@dataclass(frozen=True)
class ErasureReport(AnonymisationReport):
    """What an erasure did."""

    def summary(self) -> str:
        """Return a short Dutch account of the erasure."""
        head = "Proefdraai: er is niets veranderd." if self.dry_run else "Persoonsgegevens gewist."
        return "\n".join([head, *self.lines()])


def plan_erasure(
    tables: Mapping[str, Mapping[str, Table]], selection: Selection, *, today: date
) -> ErasurePlan:
    """Return the blanking of the selected complaints in every register given (label -> tables)."""
    targets: list[Target] = []
    updates: dict[str, dict[str, tuple[CellUpdate, ...]]] = {}
    seen: set[str] = set()
    for label, register_tables in tables.items():
        table = register_tables.get(schema.KLACHTEN_TAB)
        if table is None:
            continue
        updates[label] = {}
        for complaint in complaints(table):
            if not selection.matches(complaint):
                continue
            if not complaint.nummer.strip():
                raise KlachtsheetError(
                    f"Rij {complaint.row_number} in het {REGISTER_NAMES[label]} heeft geen Nummer; "
                    "voer eerst de sync uit"
                )
            changes = blanking(complaint, table.headers, today=today, reason=REASON_REQUEST)
            updates[label][complaint.nummer] = changes
            seen.add(complaint.nummer.strip())
            targets.append(
                Target(
                    label,
                    complaint.nummer,
                    complaint.ontvangen_op,
                    complaint.locatie,
                    complaint.categorie,
                    complaint.status,
                    len(changes),
                )
            )
    missing = tuple(sorted(selection.wanted_nummers() - seen))
    return ErasurePlan(tuple(targets), updates, missing)


def prepare_erasure(
    shared: Register, confidential: Register | None, selection: Selection, *, today: date
) -> ErasurePlan:
    """Read both registers once and plan the erasure."""
    tables, notes = read_registers(shared, confidential, [schema.KLACHTEN_TAB, schema.LOGBOEK_TAB])
    for label, register in ((SHARED, shared), (CONFIDENTIAL, confidential)):
        if label in tables and register is not None:
            require_logbook(tables[label], register.location)
    plan = plan_erasure(tables, selection, today=today)
    return ErasurePlan(plan.targets, plan.updates, plan.not_found, tuple(notes))


def apply_erasure(
    config: Config,
    shared: Register,
    confidential: Register | None,
    plan: ErasurePlan,
    *,
    dry_run: bool = False,
) -> ErasureReport:
    """Blank the planned complaints, log it in Logboek and delete their outbox documents."""
    outcomes = []
    for label, register in ((SHARED, shared), (CONFIDENTIAL, confidential)):
        if register is None or label not in plan.updates:
            continue
        updates = plan.updates[label]
        outcomes.append(
            anonymise_in(
                register,
                label,
                updates,
                list(updates),
                outbox_dir=outbox_dir_of(config, label),
                reason=REASON_REQUEST,
                by=BY,
                dry_run=dry_run,
            )
        )
    notes = list(plan.notes)
    if plan.not_found:
        notes.append(f"Niet gevonden: {', '.join(plan.not_found)}.")
    return ErasureReport(tuple(outcomes), tuple(notes), dry_run, verb="gewist")
