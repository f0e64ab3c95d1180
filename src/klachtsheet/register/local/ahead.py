"""Reading a workbook in a thread of its own while a command gets ready (issue 17).

calamine parses without holding the interpreter lock, so the read runs on the second core
while the command imports its code and loads its journal. The result is only a head start:
the register uses it if the file's identity did not change, and any failure is left to the
normal read, which reports it in its own words.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from pathlib import Path

from klachtsheet.register.local.book import Book

log = logging.getLogger(__name__)

Signature = tuple[int, int, int]  # inode, mtime, size: the file's identity


class ReadAhead:
    """A workbook and some of its tabs, read in a background thread."""

    def __init__(
        self, path: Path, tabs: tuple[str, ...], signature: Callable[[], Signature]
    ) -> None:
        self._found: tuple[Signature, Book] | None = None
        self._thread = threading.Thread(
            target=self._read, args=(path, tabs, signature), name="klachtsheet-lezen", daemon=True
        )
        self._thread.start()

    def _read(self, path: Path, tabs: tuple[str, ...], signature: Callable[[], Signature]) -> None:
        try:
            before = signature()
            book = Book(path.read_bytes(), path.name)
            for name in tabs:
                if name in book.sheet_names:
                    book.tab(name)
            if signature() == before:  # changed while reading: not to be trusted
                self._found = (before, book)
        except Exception:  # the read that follows reports the problem in its own words
            log.debug("background read of %s failed", path.name, exc_info=True)

    def result(self) -> tuple[Signature, Book] | None:
        """Wait for the read; return the file's identity and its workbook, or None."""
        self._thread.join()
        return self._found
