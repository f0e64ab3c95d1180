"""Planning writes (pure): which rows to append, which cells to set."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from klachtsheet import nummer
from klachtsheet.exceptions import LayoutError
from klachtsheet.model import CellUpdate, now
from klachtsheet.register import UpdateResult, fingerprint, place_updates
from klachtsheet.register.google.ranges import _pad

NUMMER = "Nummer"
NOTES = "Notities"
# Where values of missing columns go: Notities, or when that was renamed too, Omschrijving.
KEEP_IN = (NOTES, "Omschrijving")


def keep_missing(
    tab: str, headers: Sequence[str], rows: Sequence[Mapping[str, str]]
) -> tuple[list[dict[str, str]], dict[int, list[str]]]:
    """Move values for columns the tab lacks into Notities, labelled, so nothing is lost.

    A renamed or deleted column must never block the other fields of a submission. Empty
    values for a missing column are simply left out. Returns the rows to write and, per
    row index, the labels whose values were moved. Without a Notities column the values
    cannot be kept and the append is refused.
    """
    present = set(headers)
    moved: dict[int, list[str]] = {}
    result: list[dict[str, str]] = []
    for index, row in enumerate(rows):
        values = {k: "" if v is None else str(v) for k, v in row.items()}
        lost = [h for h in values if h not in present]
        kept = [(h, values.pop(h)) for h in lost]
        kept = [(h, v) for h, v in kept if v.strip()]
        if kept:
            target = next((h for h in KEEP_IN if h in present), None)
            if target is None:
                raise LayoutError(
                    f"Tabblad '{tab}' mist kolom(men) {', '.join(h for h, _ in kept)} en de "
                    f"kolom {NOTES}; zet de kolomnamen terug in de kopregel of voer "
                    "'klachtsheet init' uit"
                )
            notes = [values.get(target, "").strip()] if values.get(target, "").strip() else []
            notes += [f"[{h}] {v}" for h, v in kept]
            values[target] = "\n".join(notes)
            moved[index] = [h for h, _ in kept]
        result.append(values)
    return result, moved


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
    todo, result = place_updates(updates, rows_by_nummer, unnumbered, _value_of(current))
    cells = {(row, change.header): change.value for row, change in todo}
    return cells, result


def _value_of(current: _Current):
    return lambda row, header: current.value(header, row)
