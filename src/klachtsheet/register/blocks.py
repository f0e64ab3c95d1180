"""Complaints made from a tab's blocks of rows while the rest of the register is parsed.

A local register's read runs in a background thread and hands out the Klachten rows a
block at a time (``readahead``, ``register.local.early``). Making their complaints as
they come, while calamine parses the next block, takes that work off the time after the
read. Only a head start: the complaints are kept for the table read in the end only
when it holds exactly these rows (``same_rows``).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field

from klachtsheet.model import Complaint, Table, complaints_of, remember_complaints
from klachtsheet.register import EarlyRows, Register, early

log = logging.getLogger(__name__)


@dataclass(kw_only=True)
class ComplaintBlocks:
    """A tab's rows as they came in blocks, with their complaints."""

    headers: tuple[str, ...] = ()
    rows: list[tuple[str, ...]] = field(default_factory=list)
    complaints: list[Complaint] = field(default_factory=list)

    def add(self, first: int, rows: list[tuple[str, ...]]) -> list[Complaint]:
        """Take the block of rows that follows (from sheet row ``first``); return its complaints."""
        self.rows += rows
        made = complaints_of(self.headers, rows, first)
        self.complaints += made
        return made

    def take(self, blocks: EarlyRows) -> None:
        """Add every block as the read hands it out."""
        for first, rows in blocks:
            self.headers = blocks.headers  # known once the first block came
            self.add(first, rows)

    def same_rows(self, table: Table | None) -> bool:
        """Tell whether the table as read holds exactly the rows seen here."""
        if table is None or table.headers != self.headers:
            return False
        end = len(self.rows)
        while end and not any(self.rows[end - 1]):  # as Table leaves them out
            end -= 1
        return table.rows == tuple(self.rows[:end])

    def adopt(self, table: Table) -> None:
        """Let the complaints made here be the complaints of the table (see ``same_rows``)."""
        remember_complaints(table, self.complaints)


def complaints_ahead(register: Register, tab: str) -> ComplaintBlocks | None:
    """Make the complaints of a tab block by block as the register's background read parses it.

    None when the register has no such read under way, or when anything went wrong: the
    read that follows reports it in its own words.
    """
    try:
        blocks = early(register, tab)
        if blocks is None:
            return None
        found = ComplaintBlocks()
        found.take(blocks)
        return found
    except Exception as error:  # only a head start: never the reason a command stops
        log.warning("rows not made while read (%s): made after it", type(error).__name__)
        return None
