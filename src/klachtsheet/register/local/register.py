"""The embedded register: an .xlsx workbook that LibreOffice and Excel open."""

from __future__ import annotations

import logging
import os
import threading
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TypeVar

import filelock

from klachtsheet import readahead, schema
from klachtsheet.exceptions import LayoutError, RegisterError
from klachtsheet.files import atomic_write
from klachtsheet.model import CellUpdate, Table, date_cell_value
from klachtsheet.register import (
    LOGBOEK_ID,
    UpdateResult,
    openlock,
    storable_rows,
    storable_table,
    storable_updates,
    trimmed,
)
from klachtsheet.register.local import lock
from klachtsheet.register.local.book import Book
from klachtsheet.register.local.columns import date_columns, text_columns
from klachtsheet.register.local.early import EarlyRead
from klachtsheet.register.local.edits import append_rows, update_cells
from klachtsheet.wording import columns
from klachtsheet.xlsxzip import UnusualPackage

log = logging.getLogger(__name__)
T = TypeVar("T")


class LocalRegister:
    """A register kept in one .xlsx workbook, safe for several processes at once.

    Reads use python-calamine; writes patch only the changed rows of the changed sheets
    and copy every other part of the file raw. The workbook as last read or saved stays in
    memory, keyed by the file's identity (inode, mtime, size): a process that keeps one
    register reads the file once and appends in milliseconds.
    """

    def __init__(self, path: Path, *, lock_timeout: float = 60.0) -> None:
        self.path = Path(path)
        self.location = str(self.path)
        self.lock_timeout = lock_timeout
        self._lock = filelock.FileLock(str(self.path) + ".lock", timeout=lock_timeout)
        self._lock_pid = os.getpid()
        self._cache: tuple[tuple[int, int, int], Book] | None = None
        # Threads of one process (the form server) share the cached workbook: a read must not
        # see it half-changed by a write.
        self._mutex = threading.RLock()
        self._batch: _Session | None = None

    # -- reading -------------------------------------------------------------------------

    def read(self, tabs: Sequence[str]) -> dict[str, Table]:
        """Read several tabs in one call; a missing tab is left out of the result."""
        self._must_exist()
        with self._mutex:
            # Saves replace the file atomically, so a reader always sees a complete workbook.
            book = self._current()
            return {name: book.tab(name).table() for name in tabs if name in book.sheet_names}

    def prefetch(self, tabs: Sequence[str], blocks_of: str | None = None) -> None:
        """Start reading tabs in the background; the next read of the unchanged file uses them.

        calamine parses without holding the interpreter lock, so the work a command does
        before its first read (imports, the form queue, the journal) runs meanwhile.
        """
        with self._mutex:
            if self._cache is None:
                readahead.begin(self.path, tabs, blocks_of)

    def early(self, tab: str) -> EarlyRead | None:
        """Return the tab's blocks as the read started by ``prefetch`` parses them, if it does."""
        with self._mutex:
            ahead = readahead.peek(self.path) if self._cache is None else None
        return EarlyRead(ahead, tab) if ahead is not None and ahead.blocks_of == tab else None

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
            book = self._ready(session, tab)
            text = book.tab(tab)
            headers = text.headers
            if tab == schema.LOGBOEK_TAB and LOGBOEK_ID not in headers:
                # A Logboek from before the Id column ('klachtsheet init' adds it).
                rows = [{h: v for h, v in r.items() if h != LOGBOEK_ID} for r in rows]
            unknown = {h for row in rows for h in row if h not in headers}
            if unknown:
                raise LayoutError(
                    f"Tabblad '{tab}' mist {columns(sorted(unknown))}; voer 'klachtsheet init' uit"
                )
            return append_rows(book, tab, rows)

    def update(self, tab: str, updates: Sequence[CellUpdate]) -> UpdateResult:
        """Set cells of rows found by Nummer in the workbook as it is now."""
        if not updates:
            return UpdateResult(0)
        updates = storable_updates(updates)
        with self._writing() as session:
            book = self._ready(session, tab)
            return update_cells(book, tab, updates)

    def replace_rows(self, tab: str, rows: Sequence[Sequence[str]]) -> None:
        """Replace every data row of a tab."""
        with self._writing() as session:
            book = self._ready(session, tab)
            text = book.tab(tab)
            wanted = storable_table(rows)
            fits = all(len(row) <= len(text.headers) for row in wanted)
            same = trimmed(text.rows) == trimmed(wanted)
            if fits and same and text.last_used <= len(trimmed(wanted)) + 1:
                return
            book.clear_rows_from(tab, 2)
            dates = date_columns(tab, text.headers)
            texts = text_columns(tab, text.headers)
            for offset, row in enumerate(wanted):
                for col, value in enumerate(row):
                    if value:
                        book.set_text(
                            tab, offset + 2, col, value, is_date=col in dates, is_text=col in texts
                        )

    def ensure_layout(self, tabs: Sequence[schema.Tab] = schema.TABS) -> list[str]:
        """Create missing tabs, headers and settings without changing anything else."""
        # openpyxl only where a workbook is built: a sync or a form append never needs it.
        from openpyxl.workbook import Workbook

        from klachtsheet.register import xlsx_layout
        from klachtsheet.register.local import layout

        with self._mutex, lock.held(self._file_lock(), self.path, self.lock_timeout):
            lock.refuse_if_open_by_person(self.path)
            created = not self.path.exists()
            workbook = Workbook() if created else layout.load(self.path)
            if created:
                workbook.remove(workbook.worksheets[0])
            changes = layout.ensure_layout(workbook, tabs)
            if created:
                changes.insert(0, f"Register {self.path.name} aangemaakt")
            # The layout for work (filters, frozen Nummer, notes, colours): see xlsx_layout.
            changes += xlsx_layout.apply(workbook, tabs)
            if changes:
                self._save(workbook.save)
            self._cache = None
            return changes

    def person_lock_files(self) -> list[Path]:
        """Return the lock files LibreOffice or Excel keep while a person has the file open."""
        return openlock.lock_files(self.path)

    def opened_by(self) -> str | None:
        """Return who has the workbook open in LibreOffice or Excel (Dutch), or None."""
        found = openlock.opened_by(self.path)
        return found.describe() if found else None

    def normalise_dates(self, tab: str = schema.KLACHTEN_TAB) -> int:
        """Turn dates people typed as text in a tab's date columns into real date cells."""
        with self._writing() as session:
            if tab not in session.book.sheet_names:
                return 0
            book = session.book
            text = book.tab(tab)
            dates = date_columns(tab, text.headers)
            # What the file holds as text (a date cell reads as a date, not a string), as
            # changed by what this process wrote since it read the file.
            written = book.written.get(tab, {})
            found = {k for k in text.typed if k[1] in dates}
            found = {k for k in found if not written.get(k, False)}
            found |= {k for k, as_date in written.items() if not as_date and k[1] in dates}
            todo = [
                (row, col, text.cell(row, col))
                for row, col in sorted(found)
                if text.cell(row, col).strip() and date_cell_value(text.cell(row, col))
            ]
            if todo:  # only then is the sheet's XML parsed for patching
                book = self._ready(session, tab)
                for row, col, current in todo:
                    book.set_text(tab, row, col, current, is_date=True)
        return len(todo)

    # -- internals -----------------------------------------------------------------------

    def _file_lock(self) -> filelock.FileLock:
        """Return this process's lock on the workbook (a forked child makes its own)."""
        if self._lock_pid != os.getpid():
            self._lock = filelock.FileLock(self._lock.lock_file, timeout=self.lock_timeout)
            self._lock_pid = os.getpid()
        return self._lock

    @contextmanager
    def _writing(self) -> Iterator[_Session]:
        """Lock, refuse if a person has it open, load, let the caller change it, save.

        Inside ``batch()`` the writes share the batch's session and its single save.
        """
        batch = self._batch
        if batch is not None and batch.owner == threading.get_ident():
            yield batch
            return
        with self._mutex, lock.held(self._file_lock(), self.path, self.lock_timeout):
            lock.refuse_if_open_by_person(self.path)
            self._must_exist()
            lock.remove_stale_temp_files(self.path)
            session = _Session(self._current())
            self._batch = session
            try:
                yield session
            except BaseException:
                self._cache = None  # the copy in memory may be half-changed: read again
                raise
            finally:
                self._batch = None
            if session.book.dirty:
                self._save(session.book.pieces())
                self._cache = (self._signature(), session.book)

    def _ready(self, session: _Session, tab: str) -> Book:
        """Return the session's workbook, ready to patch this tab.

        A file the patcher does not understand (zip64, rows without numbers, strict OOXML)
        is first rewritten once by openpyxl, as every save did before; from then on the
        file is a plain one and is patched.
        """
        book = session.book
        if tab not in book.sheet_names:
            raise LayoutError(f"Tabblad '{tab}' ontbreekt; voer 'klachtsheet init' uit")
        try:
            book.prepare(tab)
            return book
        except UnusualPackage as why:
            log.info("register %s: rewriting with openpyxl once (%s)", self.path.name, why)
        from klachtsheet.register.local import layout

        if book.dirty:
            self._save(book.pieces())
        workbook = layout.load(self.path)
        self._save(workbook.save)
        self._cache = None
        session.book = self._current()
        session.book.prepare(tab)
        return session.book

    def _must_exist(self) -> None:
        if not self.path.exists():
            raise RegisterError(
                f"Register {self.path} bestaat niet; maak het met 'klachtsheet init'"
            )

    def identity(self) -> tuple[int, int, int] | None:
        """Return the identity of the file as last read or written (None: not held)."""
        with self._mutex:
            return self._cache[0] if self._cache is not None else None

    def _signature(self) -> tuple[int, int, int]:
        return readahead.signature(self.path)

    def _current(self) -> Book:
        """Return the workbook in memory if the file has not changed since, else read it."""
        try:
            signature = self._signature()
        except FileNotFoundError:
            raise RegisterError(f"Register {self.path} bestaat niet") from None
        if self._cache is not None and self._cache[0] == signature:
            return self._cache[1]
        ahead = readahead.take(self.path)
        if ahead is not None and ahead.signature == signature:
            book = Book(ahead.raw, self.path.name, ahead)
            self._cache = (signature, book)
            return book
        try:
            raw = self.path.read_bytes()
        except PermissionError:
            raise RegisterError(f"Geen toegang tot register {self.path}") from None
        book = Book(raw, self.path.name)
        # Only a file that did not change while reading may be trusted as the cached copy.
        if self._signature() == signature:
            self._cache = (signature, book)
        return book

    def _save(self, content: Sequence[bytes] | Callable[[Path], None]) -> None:
        """Save atomically: a crash leaves the previous complete workbook in place."""
        try:
            # An existing register keeps the mode its owner gave it; a new one is private.
            atomic_write(self.path, content, mode=None)
        except OSError as error:
            raise RegisterError(
                f"Kan register {self.path.name} niet opslaan: {error.strerror}"
            ) from None
        log.debug("saved register %s", self.path.name)


class _Session:
    """The workbook being changed under the lock; saved at the end if anything changed."""

    def __init__(self, book: Book) -> None:
        self.book = book
        self.owner = threading.get_ident()
