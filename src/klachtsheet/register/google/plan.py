"""Planning writes (pure): which rows to append, which cells to set."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from klachtsheet import nummer
from klachtsheet.model import CellUpdate, now
from klachtsheet.register import UpdateResult, find_row, fingerprint
from klachtsheet.register.google.ranges import _pad

NUMMER = "Nummer"


@dataclass
class _Current:
    """Part of a tab as it is now: its headers and some columns (or all rows)."""

    headers: list[str]
    columns: dict[str, list[str]]
    rows: list[list[str]] | None = None

    def value(self, header: str, offset: int) -> str:
        column = self.columns.get(header, [])
        return column[offset] if offset < len(column) else ""


def _plan_append(
    headers: list[str], rows: Sequence[Mapping[str, str]], existing: set[str] | None
) -> tuple[list[str], list[list[str]]]:
    """Return the Nummers of the rows and the rows still to send, in header order."""
    nummers: list[str] = []
    pending: list[list[str]] = []
    today = now().date()
    for values in rows:
        values = {k: "" if v is None else str(v) for k, v in values.items()}
        if existing is None:
            nummers.append("")
        else:
            given = values.get(NUMMER, "").strip()
            if given and given in existing:
                nummers.append(given)  # already there: a replayed append adds nothing
                continue
            given = given or nummer.new_nummer(existing, today)
            values[NUMMER] = given
            existing.add(given)
            nummers.append(given)
        pending.append([values.get(h, "") if h else "" for h in headers])
    return nummers, pending


def _plan_update(
    current: _Current, updates: Sequence[CellUpdate]
) -> tuple[dict[tuple[int, str], str], UpdateResult]:
    """Map updates to the rows as they are now; return the cells that change."""
    rows_by_nummer: dict[str, list[int]] = {}
    for offset, value in enumerate(current.columns.get(NUMMER, [])):
        if value.strip():
            rows_by_nummer.setdefault(value.strip(), []).append(offset)
    unnumbered: dict[str, list[int]] = {}
    if current.rows is not None:
        width = len(current.headers)
        index = current.headers.index(NUMMER)
        for offset, row in enumerate(current.rows):
            padded = _pad(row[:width], width)
            if not padded[index].strip() and any(v != "" for v in row):
                unnumbered.setdefault(fingerprint(padded), []).append(offset)
    cells: dict[tuple[int, str], str] = {}
    written = 0
    missing: list[str] = []
    ambiguous: list[str] = []
    changed: list[str] = []
    claimed: dict[str, int] = {}
    for change in updates:
        found = find_row(change, rows_by_nummer, unnumbered, claimed)
        if found is None:
            missing.append(change.nummer)
            continue
        if found == -1:
            ambiguous.append(change.nummer)
            continue
        key = (found, change.header)
        before = cells.get(key, current.value(change.header, found))
        if change.expected is not None and before != change.expected:
            changed.append(change.nummer)
            continue
        if before != change.value:
            cells[key] = change.value
            written += 1
    result = UpdateResult(
        written,
        tuple(dict.fromkeys(missing)),
        tuple(dict.fromkeys(ambiguous)),
        tuple(dict.fromkeys(changed)),
    )
    return cells, result
