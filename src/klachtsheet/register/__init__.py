"""The register interface: one Protocol, a local workbook and a Google spreadsheet behind it."""

from __future__ import annotations

import hashlib
import os
import threading
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Protocol, runtime_checkable

from klachtsheet import schema
from klachtsheet.cells import storable
from klachtsheet.config import is_google
from klachtsheet.model import CellUpdate, Table

if TYPE_CHECKING:
    from klachtsheet.config import Config


@dataclass(frozen=True)
class UpdateResult:
    """What an update did: cells written, and Nummers it could not find (or found twice)."""

    written: int
    missing: tuple[str, ...] = ()
    ambiguous: tuple[str, ...] = ()
    # Nummers of updates left alone because the cell no longer held the expected value.
    changed_meanwhile: tuple[str, ...] = ()


class EarlyRows(Protocol):
    """A tab's rows a block at a time while the rest of the workbook is still being parsed."""

    headers: tuple[str, ...]  # known once the first block came

    def tables(self, names: Sequence[str]) -> dict[str, Table]: ...

    def __iter__(self) -> Iterator[tuple[int, list[tuple[str, ...]]]]: ...


@runtime_checkable
class Register(Protocol):
    """What the rest of klachtsheet needs from a register, whatever stores it."""

    location: str

    def read(self, tabs: Sequence[str]) -> dict[str, Table]:
        """Read several tabs in one call; a missing tab is left out of the result."""

    def append(self, tab: str, rows: Sequence[Mapping[str, str]]) -> list[str]:
        """Append rows given as header -> value and return their Nummers.

        In a tab with a Nummer column, a row without one gets a new Nummer and a
        row whose Nummer is already there is skipped, so replaying an append is
        harmless. Other tabs (and the Logboek, whose Nummer only refers to a
        complaint) return empty strings.
        """

    def update(self, tab: str, updates: Sequence[CellUpdate]) -> UpdateResult:
        """Set cells of rows found by Nummer in the register as it is now."""

    def replace_rows(self, tab: str, rows: Sequence[Sequence[str]]) -> None:
        """Replace every data row of a tab (used for the Agenda tab)."""

    def batch(self) -> AbstractContextManager[None]:
        """Group the writes made inside into as few saves or requests as the backend allows."""

    def ensure_layout(self, tabs: Sequence[schema.Tab] = schema.TABS) -> list[str]:
        """Create missing tabs, headers and settings without changing anything else.

        Returns one Dutch line per change; an empty list means nothing changed.
        """


def fingerprint(values: Sequence[str]) -> str:
    """Return a short fingerprint of a row's values, to find a row that has no Nummer yet."""
    trimmed = [str(v).strip() for v in values]
    while trimmed and not trimmed[-1]:
        trimmed.pop()
    return hashlib.sha256("\x1f".join(trimmed).encode()).hexdigest()[:16]


def place_updates(
    updates: Sequence[CellUpdate],
    rows_by_nummer: dict[str, list[int]],
    unnumbered: dict[str, list[int]],
    value_of: Callable[[int, str], str],
) -> tuple[list[tuple[int, CellUpdate]], UpdateResult]:
    """Find each update's row as the register is now and keep what a person typed meanwhile.

    Both backends plan an update this way; ``value_of(row, header)`` reads the cell as
    it is now. Returns the (row, update) pairs to write, in order, and the result.
    """
    claimed: dict[str, int] = {}
    planned: dict[tuple[int, str], str] = {}
    todo: list[tuple[int, CellUpdate]] = []
    missing: list[str] = []
    ambiguous: list[str] = []
    changed: list[str] = []
    for change in updates:
        row = find_row(change, rows_by_nummer, unnumbered, claimed)
        if row is None:
            missing.append(change.nummer)
            continue
        if row == -1:
            ambiguous.append(change.nummer)
            continue
        key = (row, change.header)
        before = planned[key] if key in planned else value_of(row, change.header)
        if change.expected is not None and before != change.expected:
            changed.append(change.nummer)
            continue
        if before != change.value:
            planned[key] = change.value
            todo.append((row, change))
    result = UpdateResult(
        len(todo),
        tuple(dict.fromkeys(missing)),
        tuple(dict.fromkeys(ambiguous)),
        tuple(dict.fromkeys(changed)),
    )
    return todo, result


def find_row(
    change: CellUpdate,
    rows_by_nummer: dict[str, list[int]],
    unnumbered: dict[str, list[int]],
    claimed: dict[str, int],
) -> int | None:
    """Return the row of an update, None when it is gone, -1 when its Nummer is not unique.

    ``rows_by_nummer`` and ``unnumbered`` (fingerprint -> rows without a Nummer) describe
    the register as it is now; ``claimed`` remembers which hand-typed row got which Nummer
    during this update, so identical rows each get their own.
    """
    if change.fingerprint:
        if change.nummer in claimed:
            return claimed[change.nummer]
        candidates = unnumbered.get(change.fingerprint) or []
        if not candidates:
            return None
        # Identical hand-typed rows each get their own Nummer, one per update batch.
        claimed[change.nummer] = candidates.pop(0)
        rows_by_nummer[change.nummer] = [claimed[change.nummer]]
        return claimed[change.nummer]
    found = rows_by_nummer.get(change.nummer, [])
    if not found:
        return None
    return found[0] if len(found) == 1 else -1


def open_register(
    location: str, config: Config | None = None, *, background: bool = False
) -> Register:
    """Open the register at a file path or Google Sheets URL.

    ``background`` is for work nobody waits for (the form's queue writer): Google's
    quota refusals are then retried for minutes instead of the command line's bounded wait.
    A Google register is shared by the whole process (one key read, one token).
    """
    if is_google(location):
        from klachtsheet.register.google import GoogleRegister

        return GoogleRegister.open(location, config, background=background)
    return _local(Path(location))


# One LocalRegister per workbook per process: the form's background writer, its refreshes
# and the sync's queue flush share it, so the workbook is read once and every later
# operation uses the copy in memory while the file's identity (inode, mtime, size) is
# unchanged. Nothing is cached on disk.
_LOCAL: dict[tuple[int, Path], Register] = {}
_LOCAL_MUTEX = threading.Lock()


def _local(path: Path) -> Register:
    from klachtsheet.register.local import LocalRegister

    # Per process: a forked child (a test harness, a process manager) must not share the
    # parent's file lock, which filelock refuses to use across a fork.
    key = (os.getpid(), path.resolve())
    with _LOCAL_MUTEX:
        if key not in _LOCAL:
            _LOCAL[key] = LocalRegister(path)
        return _LOCAL[key]


def prefetch(register: Register | None, tabs: Sequence[str], blocks_of: str | None = None) -> None:
    """Let a backend that can start reading these tabs in the background (the local one).

    ``blocks_of`` names a tab the caller takes in blocks as they are parsed (``early``).
    """
    start = getattr(register, "prefetch", None)
    if callable(start):
        start(tabs, blocks_of)


def early(register: Register | None, tab: str) -> EarlyRows | None:
    """Return the blocks of a tab as the background read parses them, if a backend has them.

    Only a head start: what the register reads in the end is what counts.
    """
    found = getattr(register, "early", None)
    return found(tab) if callable(found) else None


def file_identity(register: Register | None) -> tuple[int, int, int] | None:
    """Return the identity of the file a backend last read or wrote, if it has one (local)."""
    found = getattr(register, "identity", None)
    return found() if callable(found) else None


def identified_by_nummer(tab: str, headers: Sequence[str]) -> bool:
    """Tell whether a tab's rows are identified by their Nummer (Logboek rows only refer to one)."""
    known = schema.TABS_BY_NAME.get(tab)
    return "Nummer" in headers and known is not None and known.keyed_by_nummer


def open_confidential(config: Config) -> Register | None:
    """Open the confidential register, or return None when a local one was never created."""
    location = config.confidential_register
    if not is_google(location) and not Path(location).exists():
        return None
    return open_register(location, config)


def read_columns(
    register: Register, tabs: Sequence[str], columns: Mapping[str, Sequence[str]]
) -> dict[str, Table]:
    """Read tabs, some limited to a few columns where the backend can (Google: fewer bytes).

    A backend that reads whole tabs anyway (the local workbook) returns them whole.
    """
    read = getattr(register, "read_columns", None)
    if read is not None:
        return read(tabs, columns)
    return register.read(tabs)


def row_values(headers: Sequence[str], values: Mapping[str, str]) -> list[str]:
    """Order a header -> value mapping by the sheet's headers."""
    return [values.get(h, "") for h in headers]


# -- the text boundary and the row keys, shared by both backends ---------------------------

LOGBOEK_ID = "Id"


def trimmed_row(row: Sequence[str]) -> list[str]:
    """Return a row without the empty cells at its end."""
    row = list(row)
    while row and row[-1] == "":
        row.pop()
    return row


def trimmed(rows: Sequence[Sequence[str]]) -> list[list[str]]:
    """Return rows as a tab holds them: no empty cells at their ends, no empty rows at the end."""
    found = [trimmed_row(row) for row in rows]
    while found and not found[-1]:
        found.pop()
    return found


def storable_rows(rows: Sequence[Mapping[str, object]]) -> list[dict[str, str]]:
    """Return appended rows with every value made storable (see cells.storable)."""
    return [{str(h): storable(v) for h, v in row.items()} for row in rows]


def storable_updates(updates: Sequence[CellUpdate]) -> list[CellUpdate]:
    """Return updates whose new values are storable; the expected old value stays as read."""
    return [
        u if storable(u.value) == u.value else replace(u, value=storable(u.value)) for u in updates
    ]


def storable_table(rows: Sequence[Sequence[object]]) -> list[list[str]]:
    """Return rows for replace_rows with every value made storable."""
    return [[storable(v) for v in row] for row in rows]


def key_header(tab: str, headers: Sequence[str]) -> str | None:
    """Return the column that identifies a row for exactly-once appends, or None.

    Klachten rows are identified by Nummer; Logboek lines by their Id, so a replayed
    batch never adds a line twice. A Logboek without the Id column (made by an older
    version, before ``init``) has no key.
    """
    if identified_by_nummer(tab, headers):
        return "Nummer"
    if tab == schema.LOGBOEK_TAB and LOGBOEK_ID in headers:
        return LOGBOEK_ID
    return None


def skip_present(
    rows: Sequence[Mapping[str, str]], key: str, existing: set[str]
) -> list[Mapping[str, str]]:
    """Return the rows whose key value is not yet present (rows without one are kept)."""
    kept = []
    for row in rows:
        value = str(row.get(key, "")).strip()
        if value and value in existing:
            continue
        if value:
            existing.add(value)
        kept.append(row)
    return kept
