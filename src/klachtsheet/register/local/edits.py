"""Rows added and cells changed in a workbook held in memory (the local register's edits)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from klachtsheet import nummer
from klachtsheet.exceptions import LayoutError
from klachtsheet.model import CellUpdate, now
from klachtsheet.register import (
    UpdateResult,
    fingerprint,
    key_header,
    place_updates,
    skip_present,
)
from klachtsheet.register.local.book import Book
from klachtsheet.register.local.columns import date_columns, text_columns


def append_rows(book: Book, tab: str, rows: Sequence[Mapping[str, str]]) -> list[str]:
    """Add rows after the tab's last used row; return their Nummers (empty for other tabs)."""
    text = book.tab(tab)
    headers = text.headers
    key = key_header(tab, headers)
    if key is not None and key != "Nummer":
        # Logboek: skip lines whose Id is already there (a replayed batch adds nothing).
        id_col = headers.index(key)
        present = {r[id_col].strip() for r in text.rows if len(r) > id_col and r[id_col].strip()}
        rows = skip_present(rows, key, present)
    nummer_col = headers.index("Nummer") if key == "Nummer" else None
    existing: set[str] = set()
    if nummer_col is not None:
        existing = set(text.keys(nummer_col))
    dates = date_columns(tab, headers)
    texts = text_columns(tab, headers)
    next_row = text.last_used + 1
    nummers = []
    today = now().date()
    for values in rows:
        values = dict(values)
        given = str(values.get("Nummer", "")).strip()
        if nummer_col is not None:
            if given and given in existing:
                nummers.append(given)  # already written: a replayed append adds nothing
                continue
            given = given or nummer.new_nummer(existing, today)
            values["Nummer"] = given
            existing.add(given)
        for col, header in enumerate(headers):
            value = values.get(header, "")
            if value != "":
                book.set_text(
                    tab, next_row, col, str(value), is_date=col in dates, is_text=col in texts
                )
        nummers.append(given if nummer_col is not None else "")
        next_row += 1
    return nummers


def update_cells(book: Book, tab: str, updates: Sequence[CellUpdate]) -> UpdateResult:
    """Write cells of rows found by Nummer (or fingerprint); say which could not be placed."""
    text = book.tab(tab)
    headers = text.headers
    if "Nummer" not in headers:
        raise LayoutError(f"Tabblad '{tab}' heeft geen kolom Nummer")
    nummer_col = headers.index("Nummer")
    rows_by_nummer: dict[str, list[int]] = {}
    unnumbered: dict[str, list[int]] = {}
    for index, row in enumerate(text.rows, start=2):
        key = row[nummer_col].strip()
        if key:
            rows_by_nummer.setdefault(key, []).append(index)
        elif any(row):
            unnumbered.setdefault(fingerprint(row), []).append(index)
    dates = date_columns(tab, headers)
    texts = text_columns(tab, headers)
    for change in updates:
        if change.header not in headers:
            raise LayoutError(f"Tabblad '{tab}' heeft geen kolom '{change.header}'")
    todo, result = place_updates(
        updates,
        rows_by_nummer,
        unnumbered,
        lambda row, header: text.cell(row, headers.index(header)),
    )
    for at, change in todo:
        col = headers.index(change.header)
        book.set_text(tab, at, col, change.value, is_date=col in dates, is_text=col in texts)
    return result
