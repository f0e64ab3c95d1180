"""Reading workbooks in background threads, before the command that needs them is ready.

calamine parses without holding the interpreter lock, so a read started early runs on the
second core while the command imports its code and loads its journal (issue 17). The
result is only a head start, kept per file: a register takes it if the file's identity did
not change meanwhile, and any failure is left to the normal read, which reports it in its
own words. This module imports nothing of klachtsheet (but, for blocks, the light
``sheetblocks`` and ``xlsxzip``), so the console entry point can start a read before the
command line itself is imported.

The sync's big tab (Klachten) can be parsed in blocks of rows (``sheetblocks``), each
handed out as soon as it is parsed: the sync reviews the first rows while calamine parses
the rest (``sync.early``), instead of all of them after the whole read.
"""

from __future__ import annotations

import _thread  # not threading: its imports (5 ms) would delay the read as well
import io
import os
import sys

# Not typing.TYPE_CHECKING: typing's own import (8 ms) would delay the read this module is
# here to start. Type checkers take any TYPE_CHECKING as true.
TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Iterator, Sequence
    from typing import Any

Signature = tuple[int, int, int]  # inode, mtime, size: the file's identity


def signature(path: str | os.PathLike[str]) -> Signature:
    """Return the identity of a file as it is now (raises OSError when it is gone)."""
    stat = os.stat(path)
    return (stat.st_ino, stat.st_mtime_ns, stat.st_size)


class Parsed:
    """A workbook as calamine read it: the file's identity, its bytes, some tabs' values."""

    __slots__ = ("made", "raw", "signature", "values", "workbook")

    def __init__(
        self,
        signature: Signature,
        raw: bytes,
        workbook: Any,
        values: dict[str, list[list[Any]]],
        made: dict[str, Any],
    ) -> None:
        self.signature = signature
        self.raw = raw
        self.workbook = workbook  # python_calamine.CalamineWorkbook
        self.values = values
        # What a reader made of a tab's blocks while they came in (its text), by tab.
        self.made = made


# A big sheet is parsed in blocks of rows of about this much XML, each as soon as it is cut
# from the sheet: the rows of the first blocks can be checked while calamine parses the rest.
BLOCK_BYTES = 2_000_000
SWITCH_INTERVAL = 0.000_5  # seconds


class ReadAhead:
    """One workbook and some of its tabs, read in a background thread.

    The tabs are published one by one as they are parsed, the tab read in blocks (the
    register's big one) last and a block at a time; ``tab`` and ``blocks`` wait for them.
    """

    def __init__(self, path: str, tabs: Sequence[str], blocks_of: str | None = None) -> None:
        self._found: Parsed | None = None
        self.blocks_of = blocks_of
        self.made: dict[str, Any] = {}
        # ("tab", name, values) per tab, ("tabs done",), ("block", first row index, rows)
        # per block and a closing None, each behind a gate (a held lock) the thread
        # releases once the item is there.
        self._items: list[tuple[Any, ...] | None] = []
        self._gates = [_held()]
        # Held while the thread reads: result() waits by taking it.
        self._reading = _held()
        # What the thread needs is imported here, before it starts: an import in the thread
        # that meets the main thread importing the same module can get it half made
        # (Python breaks the deadlock so), and a read that fails for it is a head start lost.
        import datetime  # noqa: F401 -- calamine loads it for the first date it reads

        import python_calamine  # noqa: F401

        if blocks_of is not None:
            import klachtsheet.sheetblocks  # noqa: F401
        # Wait until the thread runs (as threading does): else it may wait for the
        # interpreter lock until the caller next lets go of it, 5 ms or more later.
        started = _held()
        _thread.start_new_thread(self._run, (path, tuple(tabs), started))
        started.acquire()

    def _run(self, path: str, tabs: tuple[str, ...], started: _thread.LockType) -> None:
        started.release()
        try:
            self._read(path, tabs)
        finally:
            self._publish(None)
            self._reading.release()

    def _publish(self, item: tuple[Any, ...] | None) -> None:
        # The next gate is there before this one opens: a reader that passed it finds both.
        self._items.append(item)
        self._gates.append(_held())
        self._gates[-2].release()

    def _read(self, path: str, tabs: tuple[str, ...]) -> None:
        try:
            import python_calamine  # imported already (see __init__)

            before = signature(path)
            with open(path, "rb") as file:
                raw = file.read()
            workbook = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(raw))
            present = set(workbook.sheet_names)
            values = {}
            for name in tabs:
                if name in present and name != self.blocks_of:
                    values[name] = workbook.get_sheet_by_name(name).to_python(skip_empty_area=False)
                    self._publish(("tab", name, values[name]))
            self._publish(("tabs done",))  # a tab asked for and not found is not coming
            if self.blocks_of in present:
                values[self.blocks_of] = self._in_blocks(raw, workbook, self.blocks_of)
            if signature(path) == before:  # changed while reading: not to be trusted
                self._found = Parsed(before, raw, workbook, values, self.made)
        except Exception:  # noqa: S110 -- the read that follows reports it in its own words
            pass

    def _in_blocks(self, raw: bytes, workbook: Any, name: str) -> list[list[Any]]:
        """Parse a tab a block of rows at a time, publishing each; return all its rows."""
        from klachtsheet.sheetblocks import blocks

        rows: list[list[Any]] = []
        # Between its parses this thread needs the interpreter lock a few times per block,
        # while the main thread reviews: by default it would wait up to 5 ms each time.
        interval = sys.getswitchinterval()
        sys.setswitchinterval(min(interval, SWITCH_INTERVAL))
        try:
            for first, block in blocks(raw, workbook, name, BLOCK_BYTES):
                if first < len(rows):  # rows out of order across blocks: not as read whole
                    raise ValueError("rows out of order")
                self._publish(("block", first, block))
                rows += [[]] * (first - len(rows))
                rows += block
        finally:
            sys.setswitchinterval(interval)
        width = max(map(len, rows), default=0)
        # From A1 and as wide as the widest row, as calamine gives a whole sheet.
        return [row if len(row) == width else [*row, *[""] * (width - len(row))] for row in rows]

    def _walk(self) -> Iterator[tuple[Any, ...]]:
        index = 0
        while True:
            gate = self._gates[index]
            with gate:  # waits until the thread opened it, and leaves it open
                pass
            item = self._items[index]
            if item is None:
                return
            yield item
            index += 1

    def tab(self, name: str) -> list[list[Any]] | None:
        """Wait for one tab's values (not the one read in blocks); None if it never comes."""
        for item in self._walk():
            if item[0] == "tabs done":
                break
            if item[1] == name:
                return item[2]
        return None

    def blocks(self) -> Iterator[tuple[int, list[list[Any]]]]:
        """Yield (first row index, rows from column A) of the tab read in blocks, in order.

        The blocks end early when the read fails: then ``result`` is None.
        """
        for item in self._walk():
            if item[0] == "block":
                yield item[1], item[2]

    def result(self) -> Parsed | None:
        """Wait for the read; return what it found, or None."""
        with self._reading:
            return self._found


def _held() -> _thread.LockType:
    lock = _thread.allocate_lock()
    lock.acquire()
    return lock


# Reads started and not yet taken, by absolute path. Only a head start: a read nobody takes
# is dropped with the process.
_started: dict[str, ReadAhead] = {}
_guard = _thread.allocate_lock()


def begin(path: str | os.PathLike[str], tabs: Sequence[str], blocks_of: str | None = None) -> None:
    """Start reading these tabs of a workbook, unless a read of it is already under way.

    ``blocks_of`` names a tab to parse last and in blocks of rows (see ``peek``).
    """
    key = os.path.abspath(path)
    with _guard:
        if key not in _started and os.path.isfile(key):
            _started[key] = ReadAhead(key, tabs, blocks_of)


def peek(path: str | os.PathLike[str]) -> ReadAhead | None:
    """Return the read under way of this workbook without taking it, or None."""
    with _guard:
        return _started.get(os.path.abspath(path))


def take(path: str | os.PathLike[str]) -> Parsed | None:
    """Return the read started for this workbook (waiting for it), or None; once only."""
    with _guard:
        ahead = _started.pop(os.path.abspath(path), None)
    return ahead.result() if ahead is not None else None
