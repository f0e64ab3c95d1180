"""A tab's text a block of rows at a time, while the background read parses the rest."""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from klachtsheet.model import Table
from klachtsheet.readahead import ReadAhead
from klachtsheet.register.local.reader import TabText, body_text, header_text, tab_text


class EarlyRead:
    """What the read under way of a workbook has parsed so far (see readahead)."""

    def __init__(self, ahead: ReadAhead, tab: str) -> None:
        self._ahead: ReadAhead | None = ahead
        self.tab = tab  # the tab that comes in blocks
        self.headers: tuple[str, ...] = ()

    def tables(self, names: Sequence[str]) -> dict[str, Table]:
        """Wait for these (small) tabs and return them; a tab not in the workbook is left out."""
        found = {}
        for name in names:
            values = self._ahead.tab(name) if self._ahead is not None else None
            if values is not None:
                found[name] = tab_text(name, values).table()
        return found

    def __iter__(self) -> Iterator[tuple[int, list[tuple[str, ...]]]]:
        """Yield (sheet row of the first, rows as text, as wide as the headers) per block.

        The blocks follow on without a gap: row 2, then the row after each block's last.

        Once every block came and the read succeeded, the tab's text is kept with the read:
        the register's next read of the unchanged file takes it instead of making it again.
        """
        ahead, self._ahead = self._ahead, None  # once; the parsed blocks are let go after
        if ahead is None:
            return
        rows: list[tuple[str, ...]] = []
        typed: set[tuple[int, int]] = set()
        last_used = 1
        headers: list[str] | None = None
        for first, block in ahead.blocks():
            if headers is None:
                if first != 0:  # no header row first: left to the whole read
                    return
                headers = header_text(block[0])
                self.headers = tuple(headers)
                block, first = block[1:], 1
            number = first + 1  # the sheet row of the block's first row
            texts, typed_here, used = body_text(self.tab, headers, block, number)
            # Rows the sheet leaves out between blocks are empty rows of the tab.
            texts[:0] = [("",) * len(headers)] * (number - 2 - len(rows))
            yield len(rows) + 2, texts
            rows += texts
            typed |= typed_here
            last_used = max(last_used, used)
        if headers is not None and ahead.result() is not None:
            ahead.made[self.tab] = TabText(self.tab, headers, rows, last_used, typed=typed)
