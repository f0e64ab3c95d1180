"""Reading workbooks in background threads, before the command that needs them is ready.

calamine parses without holding the interpreter lock, so a read started early runs on the
second core while the command imports its code and loads its journal (issue 17). The
result is only a head start, kept per file: a register takes it if the file's identity did
not change meanwhile, and any failure is left to the normal read, which reports it in its
own words. This module imports nothing of klachtsheet, so the console entry point can
start a read before the command line itself is imported.
"""

from __future__ import annotations

import _thread  # not threading: its imports (5 ms) would delay the read as well
import io
import os

# Not typing.TYPE_CHECKING: typing's own import (8 ms) would delay the read this module is
# here to start. Type checkers take any TYPE_CHECKING as true.
TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Sequence
    from typing import Any

Signature = tuple[int, int, int]  # inode, mtime, size: the file's identity


def signature(path: str | os.PathLike[str]) -> Signature:
    """Return the identity of a file as it is now (raises OSError when it is gone)."""
    stat = os.stat(path)
    return (stat.st_ino, stat.st_mtime_ns, stat.st_size)


class Parsed:
    """A workbook as calamine read it: the file's identity, its bytes, some tabs' values."""

    __slots__ = ("raw", "signature", "values", "workbook")

    def __init__(
        self, signature: Signature, raw: bytes, workbook: Any, values: dict[str, list[list[Any]]]
    ) -> None:
        self.signature = signature
        self.raw = raw
        self.workbook = workbook  # python_calamine.CalamineWorkbook
        self.values = values


class ReadAhead:
    """One workbook and some of its tabs, read in a background thread."""

    def __init__(self, path: str, tabs: Sequence[str]) -> None:
        self._found: Parsed | None = None
        # Held while the thread reads: result() waits by taking it.
        self._reading = _thread.allocate_lock()
        self._reading.acquire()
        # Wait until the thread runs (as threading does): else it may wait for the
        # interpreter lock until the caller next lets go of it, 5 ms or more later.
        started = _thread.allocate_lock()
        started.acquire()
        _thread.start_new_thread(self._run, (path, tuple(tabs), started))
        started.acquire()

    def _run(self, path: str, tabs: tuple[str, ...], started: _thread.LockType) -> None:
        started.release()
        try:
            self._read(path, tabs)
        finally:
            self._reading.release()

    def _read(self, path: str, tabs: tuple[str, ...]) -> None:
        try:
            import python_calamine

            before = signature(path)
            with open(path, "rb") as file:
                raw = file.read()
            workbook = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(raw))
            present = set(workbook.sheet_names)
            values = {
                name: workbook.get_sheet_by_name(name).to_python(skip_empty_area=False)
                for name in tabs
                if name in present
            }
            if signature(path) == before:  # changed while reading: not to be trusted
                self._found = Parsed(before, raw, workbook, values)
        except Exception:  # noqa: S110 -- the read that follows reports it in its own words
            pass

    def result(self) -> Parsed | None:
        """Wait for the read; return what it found, or None."""
        with self._reading:
            return self._found


# Reads started and not yet taken, by absolute path. Only a head start: a read nobody takes
# is dropped with the process.
_started: dict[str, ReadAhead] = {}
_guard = _thread.allocate_lock()


def begin(path: str | os.PathLike[str], tabs: Sequence[str]) -> None:
    """Start reading these tabs of a workbook, unless a read of it is already under way."""
    key = os.path.abspath(path)
    with _guard:
        if key not in _started and os.path.isfile(key):
            _started[key] = ReadAhead(key, tabs)


def take(path: str | os.PathLike[str]) -> Parsed | None:
    """Return the read started for this workbook (waiting for it), or None; once only."""
    with _guard:
        ahead = _started.pop(os.path.abspath(path), None)
    return ahead.result() if ahead is not None else None
