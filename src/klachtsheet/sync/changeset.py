"""The change set of one sync: every cell it will write and every message it will send."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from klachtsheet import schema
from klachtsheet.model import CellUpdate
from klachtsheet.schema import CONFIDENTIAL, SHARED


@dataclass(frozen=True)
class Change:
    """One cell of one row: what the sheet holds now and what the sync writes."""

    nummer: str
    header: str
    old: str
    new: str
    # Set for a row typed in by hand without a Nummer: how the backend finds it.
    fingerprint: str = ""
    register: str = SHARED

    def cell_update(self) -> CellUpdate:
        """Return the update the register backend applies."""
        column = schema.KLACHTEN.by_header(self.header)
        # A cell the sync only fills while empty is written only if still as it was read.
        expected = self.old if column is not None and column.sync_fills_empty else None
        return CellUpdate(self.nummer, self.header, self.new, self.fingerprint, expected)


@dataclass(frozen=True)
class Outgoing:
    """One message the sync sends (or, in a dry run, would send)."""

    kind: str
    # Journal keys: a key is never sent twice (a list of calls has one key per complaint).
    keys: tuple[str, ...]
    nummer: str = ""
    # How it goes: "E-mail", "Brief", "Telefoon" (confirmations) or "E-mail" (the rest).
    via: str = "E-mail"
    register: str = SHARED


@dataclass(frozen=True)
class ChangeSet:
    """All cells the sync writes, in one batch per register."""

    changes: tuple[Change, ...] = ()
    outgoing: tuple[Outgoing, ...] = field(default=())

    def __bool__(self) -> bool:
        return bool(self.changes or self.outgoing)

    def for_register(self, register: str) -> tuple[Change, ...]:
        """Return the changes of one register (shared or confidential)."""
        return tuple(c for c in self.changes if c.register == register)

    def updates(self, register: str = SHARED) -> list[CellUpdate]:
        """Return the cell updates for one register, rows without Nummer first."""
        changes = self.for_register(register)
        # The backend claims a fingerprinted row on its first update (the Nummer).
        ordered = sorted(changes, key=lambda c: (not c.fingerprint, c.header != "Nummer"))
        return [c.cell_update() for c in ordered]

    def nummers(self) -> tuple[str, ...]:
        """Return the Nummers of the rows that change, in order of first appearance."""
        return tuple(dict.fromkeys(c.nummer for c in self.changes))

    def with_changes(self, extra: Iterable[Change]) -> ChangeSet:
        """Return a copy with more changes."""
        return ChangeSet(self.changes + tuple(extra), self.outgoing)

    def table(self) -> list[tuple[str, str, str, str]]:
        """Return the rows of a readable table: Nummer, Kolom, Oud, Nieuw."""
        rows = []
        for change in self.changes:
            where = " (vertrouwelijk)" if change.register == CONFIDENTIAL else ""
            rows.append((change.nummer + where, change.header, change.old, change.new))
        return rows
