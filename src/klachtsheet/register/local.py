"""The embedded register: an .xlsx workbook that LibreOffice and Excel open."""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path

import filelock
import openpyxl
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.workbook import Workbook
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from klachtsheet import nummer, schema
from klachtsheet.cells import storable
from klachtsheet.exceptions import LayoutError, RegisterBusy, RegisterError
from klachtsheet.files import atomic_write
from klachtsheet.model import CellUpdate, Table, cell_text, now
from klachtsheet.register import (
    LOGBOEK_ID,
    UpdateResult,
    find_row,
    fingerprint,
    key_header,
    skip_present,
    storable_rows,
    storable_table,
    storable_updates,
)

log = logging.getLogger(__name__)

LAST_ROW = 1_048_576
HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
SYNC_FILL = PatternFill("solid", fgColor="EDEDED")


class LocalRegister:
    """A register kept in one .xlsx workbook, safe for several processes at once."""

    def __init__(self, path: Path, *, lock_timeout: float = 60.0) -> None:
        self.path = Path(path)
        self.location = str(self.path)
        self.lock_timeout = lock_timeout
        self._lock = filelock.FileLock(str(self.path) + ".lock", timeout=lock_timeout)
        # The workbook as this process last loaded or saved it, with the file's signature then.
        # Loading a large workbook costs as much as saving it; a sync that reads and then
        # writes, or a form server appending all day, loads it once.
        self._cache: tuple[tuple[int, int, int], Workbook] | None = None
        # Threads of one process (the form server) share the cached workbook: a read must not
        # see it half-changed by a write.
        self._mutex = threading.RLock()
        self._batch: _Session | None = None

    # -- reading -------------------------------------------------------------------------

    def read(self, tabs: Sequence[str]) -> dict[str, Table]:
        """Read several tabs in one call; a missing tab is left out of the result."""
        if not self.path.exists():
            raise RegisterError(
                f"Register {self.path} bestaat niet; maak het met 'klachtsheet init'"
            )
        with self._mutex:
            # Saves replace the file atomically, so a reader always sees a complete workbook.
            workbook = self._cached() or self._load_and_cache()
            return {name: _table(workbook[name]) for name in tabs if name in workbook.sheetnames}

    @contextmanager
    def batch(self) -> Iterator[None]:
        """Group several writes into one locked load-and-save of the workbook."""
        with self._writing():
            yield

    # -- writing -------------------------------------------------------------------------

    def append(self, tab: str, rows: Sequence[Mapping[str, str]]) -> list[str]:
        """Append rows given as header -> value and return their Nummers."""
        if not rows:
            return []
        rows = storable_rows(rows)
        with self._writing() as session:
            sheet = _sheet(session.workbook, tab)
            headers = _headers(sheet)
            if tab == schema.LOGBOEK_TAB and LOGBOEK_ID not in headers:
                # A Logboek from before the Id column ('klachtsheet init' adds it).
                rows = [{h: v for h, v in r.items() if h != LOGBOEK_ID} for r in rows]
            unknown = {h for row in rows for h in row if h not in headers}
            if unknown:
                raise LayoutError(
                    f"Tabblad '{tab}' mist kolom(men) {', '.join(sorted(unknown))}; "
                    "voer 'klachtsheet init' uit"
                )
            result = _append(sheet, headers, rows)
            session.dirty |= bool(result.added)
        return result.nummers

    def update(self, tab: str, updates: Sequence[CellUpdate]) -> UpdateResult:
        """Set cells of rows found by Nummer in the workbook as it is now."""
        if not updates:
            return UpdateResult(0)
        updates = storable_updates(updates)
        with self._writing() as session:
            sheet = _sheet(session.workbook, tab)
            result = _update(sheet, _headers(sheet), updates)
            session.dirty |= result.written > 0
        return result

    def replace_rows(self, tab: str, rows: Sequence[Sequence[str]]) -> None:
        """Replace every data row of a tab."""
        with self._writing() as session:
            sheet = _sheet(session.workbook, tab)
            current = [
                [cell_text(c) for c in row]
                for row in sheet.iter_rows(min_row=2, max_row=sheet.max_row, values_only=True)
            ]
            wanted = storable_table(rows)
            if _trim(current) == _trim(wanted):
                return
            session.dirty = True
            sheet.delete_rows(2, max(sheet.max_row, 1))
            for offset, row in enumerate(wanted):
                for col, value in enumerate(row, start=1):
                    _set_text(sheet.cell(row=offset + 2, column=col), value)

    def ensure_layout(self, tabs: Sequence[schema.Tab] = schema.TABS) -> list[str]:
        """Create missing tabs, headers and settings without changing anything else."""
        with self._lock_or_busy():
            self._refuse_if_open_by_person()
            created = not self.path.exists()
            workbook = Workbook() if created else self._load(read_only=False)
            if created:
                workbook.remove(workbook.active)
            changes = _ensure_layout(workbook, tabs)
            if created:
                changes.insert(0, f"Register {self.path.name} aangemaakt")
            if changes:
                _format(workbook, tabs)
                self._save(workbook)
            return changes

    # -- internals -----------------------------------------------------------------------

    @contextmanager
    def _writing(self) -> Iterator[_Session]:
        """Lock, refuse if a person has it open, load, let the caller change it, save.

        Inside ``batch()`` the writes share the batch's session and its single save.
        """
        batch = self._batch
        if batch is not None and batch.owner == threading.get_ident():
            yield batch
            return
        with self._mutex, self._lock_or_busy():
            self._refuse_if_open_by_person()
            if not self.path.exists():
                raise RegisterError(
                    f"Register {self.path} bestaat niet; maak het met 'klachtsheet init'"
                )
            self._remove_stale_temp_files()
            session = _Session(self._cached() or self._load(read_only=False))
            self._cache = None  # until saved, the workbook in memory may differ from the file
            self._batch = session
            try:
                yield session
            finally:
                self._batch = None
            if session.dirty:
                self._save(session.workbook)
            self._cache = (self._signature(), session.workbook)

    @contextmanager
    def _lock_or_busy(self) -> Iterator[None]:
        try:
            with self._lock:
                yield
        except filelock.Timeout:
            raise RegisterBusy(
                f"Register {self.path.name} is al {self.lock_timeout:.0f} seconden bezet "
                "door een ander proces (formulier of sync); probeer het later opnieuw"
            ) from None

    def person_lock_files(self) -> list[Path]:
        """Return the lock files LibreOffice or Excel keep while a person has the file open."""
        name = self.path.name
        candidates = [f".~lock.{name}#", f"~${name}", f"~${name[2:]}"]
        return [self.path.with_name(c) for c in candidates if self.path.with_name(c).exists()]

    def _refuse_if_open_by_person(self) -> None:
        found = self.person_lock_files()
        if found:
            raise RegisterBusy(
                f"Register {self.path.name} is geopend in LibreOffice of Excel "
                f"({found[0].name}); sluit het bestand en probeer opnieuw. Staat het bij "
                "niemand open, verwijder dan dat vergrendelbestand."
            )

    def _signature(self) -> tuple[int, int, int]:
        stat = self.path.stat()
        return (stat.st_ino, stat.st_mtime_ns, stat.st_size)

    def _cached(self) -> Workbook | None:
        """Return the workbook kept in memory if the file has not changed since."""
        if self._cache is None:
            return None
        try:
            signature = self._signature()
        except OSError:
            return None
        return self._cache[1] if self._cache[0] == signature else None

    def _load_and_cache(self) -> Workbook:
        before = self._signature()
        workbook = self._load(read_only=False)
        # Only a file that did not change while loading may be trusted as the cached copy.
        if self._signature() == before:
            self._cache = (before, workbook)
        return workbook

    def _remove_stale_temp_files(self) -> None:
        # Under the lock nobody else is saving, so a temp file is left over from a crash.
        for stale in self.path.parent.glob(f".{self.path.name}.*.tmp"):
            stale.unlink(missing_ok=True)

    def _load(self, *, read_only: bool) -> Workbook:
        try:
            return openpyxl.load_workbook(self.path, read_only=read_only, data_only=False)
        except FileNotFoundError:
            raise RegisterError(f"Register {self.path} bestaat niet") from None
        except PermissionError:
            raise RegisterError(f"Geen toegang tot register {self.path}") from None
        except Exception as error:  # openpyxl raises many kinds for a damaged file
            from klachtsheet.register.xlsx_check import broken_cells

            where = broken_cells(self.path)
            detail = (
                f": een teken dat niet in een cel kan staan in {', '.join(where)}; "
                "haal het weg (bijvoorbeeld in LibreOffice) en probeer opnieuw"
                if where
                else f" ({type(error).__name__})"
            )
            raise RegisterError(
                f"Register {self.path.name} is geen leesbaar .xlsx-bestand{detail}"
            ) from None

    def _save(self, workbook: Workbook) -> None:
        """Save atomically: a crash leaves the previous complete workbook in place."""
        try:
            # A new register holds personal data: only the owner reads it; an existing
            # one keeps the mode its owner gave it.
            atomic_write(self.path, workbook.save, mode=None)
        except OSError as error:
            raise RegisterError(
                f"Kan register {self.path.name} niet opslaan: {error.strerror}"
            ) from None
        log.debug("saved register %s", self.path.name)


class _Session:
    """A workbook loaded for writing; saved at the end unless nothing changed."""

    def __init__(self, workbook: Workbook) -> None:
        self.workbook, self.dirty = workbook, False
        self.owner = threading.get_ident()


class _Appended:
    def __init__(self, nummers: list[str], added: int) -> None:
        self.nummers, self.added = nummers, added


def _append(sheet: Worksheet, headers: list[str], rows: Sequence[Mapping[str, str]]) -> _Appended:
    key = key_header(sheet.title, headers)
    if key is not None and key != "Nummer":
        # Logboek: skip lines whose Id is already there (a replayed batch adds nothing).
        id_col = headers.index(key) + 1
        present = {
            str(v).strip()
            for (v,) in sheet.iter_rows(min_row=2, min_col=id_col, max_col=id_col, values_only=True)
            if v
        }
        rows = skip_present(rows, key, present)
    nummer_col = headers.index("Nummer") + 1 if key == "Nummer" else None
    existing: set[str] = set()
    if nummer_col:
        for (value,) in sheet.iter_rows(
            min_row=2, min_col=nummer_col, max_col=nummer_col, values_only=True
        ):
            if value:
                existing.add(str(value).strip())
    next_row = _last_used_row(sheet) + 1
    nummers, added = [], 0
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
        for col, header in enumerate(headers, start=1):
            value = values.get(header, "")
            if value != "":
                _set_text(sheet.cell(row=next_row, column=col), value)
        nummers.append(given if nummer_col else "")
        next_row += 1
        added += 1
    return _Appended(nummers, added)


def _update(sheet: Worksheet, headers: list[str], updates: Sequence[CellUpdate]) -> UpdateResult:
    if "Nummer" not in headers:
        raise LayoutError(f"Tabblad '{sheet.title}' heeft geen kolom Nummer")
    nummer_col = headers.index("Nummer")
    rows_by_nummer: dict[str, list[int]] = {}
    unnumbered: dict[str, list[int]] = {}
    for index, row in enumerate(sheet.iter_rows(min_row=2, values_only=True), start=2):
        key = cell_text(row[nummer_col]).strip() if nummer_col < len(row) else ""
        if key:
            rows_by_nummer.setdefault(key, []).append(index)
        elif any(v not in (None, "") for v in row):
            unnumbered.setdefault(fingerprint([cell_text(v) for v in row]), []).append(index)
    written, missing, ambiguous, changed = 0, [], [], []
    claimed: dict[str, int] = {}
    for change in updates:
        if change.header not in headers:
            raise LayoutError(f"Tabblad '{sheet.title}' heeft geen kolom '{change.header}'")
        row_index = find_row(change, rows_by_nummer, unnumbered, claimed)
        if row_index is None:
            missing.append(change.nummer)
            continue
        if row_index == -1:
            ambiguous.append(change.nummer)
            continue
        cell = sheet.cell(row=row_index, column=headers.index(change.header) + 1)
        if change.expected is not None and cell_text(cell.value) != change.expected:
            changed.append(change.nummer)
            continue
        if cell_text(cell.value) != change.value:
            _set_text(cell, change.value)
            written += 1
    return UpdateResult(
        written,
        tuple(dict.fromkeys(missing)),
        tuple(dict.fromkeys(ambiguous)),
        tuple(dict.fromkeys(changed)),
    )


def _ensure_layout(workbook: Workbook, tabs: Sequence[schema.Tab]) -> list[str]:
    changes = []
    for tab in tabs:
        if tab.name not in workbook.sheetnames:
            sheet = workbook.create_sheet(tab.name)
            for col, header in enumerate(tab.headers, start=1):
                _set_text(sheet.cell(row=1, column=col), header)
            for row_index, row in enumerate(tab.seed_rows, start=2):
                for col, value in enumerate(row, start=1):
                    _set_text(sheet.cell(row=row_index, column=col), value)
            changes.append(f"Tabblad '{tab.name}' toegevoegd")
            continue
        sheet = workbook[tab.name]
        headers = _headers(sheet)
        present = {h.strip() for h in headers if h}
        for header in tab.headers:
            if header not in present:
                column = _last_header_column(headers) + 1
                _set_text(sheet.cell(row=1, column=column), header)
                headers = _headers(sheet)
                changes.append(f"Kolom '{header}' toegevoegd aan tabblad '{tab.name}'")
        if tab.name == schema.INSTELLINGEN_TAB:
            changes.extend(_ensure_settings(sheet, headers))
    return changes


def _ensure_settings(sheet: Worksheet, headers: list[str]) -> list[str]:
    name_col = headers.index("Instelling") + 1
    names = {
        cell_text(v).strip()
        for (v,) in sheet.iter_rows(min_row=2, min_col=name_col, max_col=name_col, values_only=True)
    }
    changes = []
    next_row = _last_used_row(sheet) + 1
    for setting in schema.SETTINGS:
        if setting.name not in names:
            values = {
                "Instelling": setting.name,
                "Waarde": setting.default,
                "Toelichting": setting.help,
            }
            for header, value in values.items():
                if header in headers:
                    _set_text(sheet.cell(row=next_row, column=headers.index(header) + 1), value)
            next_row += 1
            changes.append(f"Instelling '{setting.name}' toegevoegd")
    return changes


def _format(workbook: Workbook, tabs: Sequence[schema.Tab]) -> None:
    """Freeze and style header rows, and add drop-downs for enumerated columns."""
    for tab in tabs:
        sheet = workbook[tab.name]
        sheet.freeze_panes = "A2"
        headers = _headers(sheet)
        sheet.data_validations.dataValidation = []
        for col, header in enumerate(headers, start=1):
            cell = sheet.cell(row=1, column=col)
            column = tab.by_header(header)
            cell.font = Font(bold=True)
            cell.fill = SYNC_FILL if column and column.owner is schema.Owner.SYNC else HEADER_FILL
            cell.alignment = Alignment(wrap_text=True, vertical="top")
            letter = get_column_letter(col)
            sheet.column_dimensions[letter].width = max(12, min(40, len(header) + 4))
            if column is not None:
                _add_validation(workbook, sheet, column, letter)


def _add_validation(workbook: Workbook, sheet: Worksheet, column: schema.Column, letter: str):
    if column.allowed:
        formula = '"' + ",".join(column.allowed) + '"'
    elif column.choices_from and column.choices_from[0] in workbook.sheetnames:
        source_tab, source_header = column.choices_from
        source = workbook[source_tab]
        source_headers = _headers(source)
        if source_header not in source_headers:
            return
        source_letter = get_column_letter(source_headers.index(source_header) + 1)
        formula = f"{quote_sheetname(source_tab)}!${source_letter}$2:${source_letter}$1000"
    else:
        return
    # A warning, not a stop: an unknown category must be typeable so the sync can propose it.
    validation = DataValidation(
        type="list",
        formula1=formula,
        allow_blank=True,
        errorStyle="warning",
        showErrorMessage=True,
        errorTitle="Onbekende waarde",
        error=f"Kies een waarde uit de lijst voor '{column.header}'.",
    )
    validation.add(f"{letter}2:{letter}{LAST_ROW}")
    sheet.add_data_validation(validation)


def _sheet(workbook: Workbook, tab: str) -> Worksheet:
    if tab not in workbook.sheetnames:
        raise LayoutError(f"Tabblad '{tab}' ontbreekt; voer 'klachtsheet init' uit")
    return workbook[tab]


def _headers(sheet: Worksheet) -> list[str]:
    first = next(sheet.iter_rows(min_row=1, max_row=1, values_only=True), ())
    headers = [cell_text(v).strip() for v in first]
    while headers and not headers[-1]:
        headers.pop()
    return headers


def _last_header_column(headers: list[str]) -> int:
    return len(headers)


def _last_used_row(sheet: Worksheet) -> int:
    row = sheet.max_row
    while row > 1 and all(
        c.value in (None, "") for c in next(sheet.iter_rows(min_row=row, max_row=row))
    ):
        row -= 1
    return row


def _table(sheet: Worksheet) -> Table:
    rows = sheet.iter_rows(values_only=True)
    header_row = next(rows, ())
    headers = [cell_text(v).strip() for v in header_row]
    while headers and not headers[-1]:
        headers.pop()
    width = len(headers)
    data = []
    for row in rows:
        values = tuple(cell_text(v) for v in row[:width])
        values += ("",) * (width - len(values))
        data.append(values)
    while data and not any(data[-1]):
        data.pop()
    return Table(sheet.title, tuple(headers), tuple(data))


def _set_text(cell, value: object) -> None:
    """Write a value as a string cell; text starting with '=' stays text, never a formula."""
    # Values arrive through the boundary (cells.storable); this is the last guard.
    cell.value = storable(value)
    cell.data_type = "s"


def _trim(rows: list[list[str]]) -> list[list[str]]:
    trimmed = []
    for row in rows:
        row = list(row)
        while row and row[-1] == "":
            row.pop()
        trimmed.append(row)
    while trimmed and not trimmed[-1]:
        trimmed.pop()
    return trimmed
