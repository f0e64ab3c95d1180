"""Rows reviewed while the register is still being parsed (issue 17).

calamine parses the Klachten tab of a local register in blocks, in a background thread
(``readahead``). The rows of each block are made into complaints and reviewed as soon as
the block is there, while the next one is parsed, instead of all after the whole read.
Only a head start: ``plan`` takes a review made here only when the register, as it is
read in the end, holds exactly these rows and these settings, and only for the very
complaint reviewed (a shared row with its own Nummer; not a stub, not a duplicate).
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date

from klachtsheet.model import Complaint, Table
from klachtsheet.register import Register, early
from klachtsheet.register.blocks import ComplaintBlocks
from klachtsheet.rules import Review, RuleContext, build_context
from klachtsheet.rules.review import SHARED_ROW
from klachtsheet.sync import BLOCKS_TAB, SHARED_TABS
from klachtsheet.sync.rows import review_one

log = logging.getLogger(__name__)

# The tabs the rules read besides Klachten: parsed first, before Klachten's blocks.
CONTEXT_TABS = tuple(tab for tab in SHARED_TABS if tab != BLOCKS_TAB)


@dataclass
class Prereviewed(ComplaintBlocks):
    """The Klachten rows as they came in blocks, with their complaints and reviews."""

    ctx: RuleContext
    tables: Mapping[str, Table]  # the other tabs, as the reviews saw them
    # Sheet row -> (the complaint, its review or the error that kept it from one).
    reviews: dict[int, tuple[Complaint, Review | Exception]] = field(default_factory=dict)

    def add(self, first: int, rows: list[tuple[str, ...]]) -> list[Complaint]:
        """Take the block of rows that follows (from sheet row ``first``): make and review them."""
        made = super().add(first, rows)
        for complaint in made:
            nummer = complaint.nummer
            if nummer and nummer == nummer.strip() and not complaint.is_confidential:
                result = review_one(complaint, self.ctx, SHARED_ROW, None, None)
                self.reviews[complaint.row_number or 0] = (complaint, result)
        return made

    def fits(self, tables: Mapping[str, Table]) -> bool:
        """Tell whether the register as read holds exactly the rows and settings seen here."""
        if not self.same_rows(tables.get(BLOCKS_TAB)):
            return False
        return all(tables.get(name) == self.tables.get(name) for name in CONTEXT_TABS)


def prereview(register: Register, today: date) -> Prereviewed | None:
    """Review the Klachten rows block by block as the register's background read parses them.

    None when the register has no such read under way (a Google register, a cached one),
    or when anything went wrong: the read that follows reports it in its own words.
    """
    try:
        return _prereview(register, today)
    except Exception as error:  # only a head start: never the reason a run stops
        log.warning("rows not reviewed while read (%s): reviewed after it", type(error).__name__)
        return None


def _prereview(register: Register, today: date) -> Prereviewed | None:
    blocks = early(register, BLOCKS_TAB)
    if blocks is None:
        return None
    tables = blocks.tables(CONTEXT_TABS)
    found = Prereviewed(build_context(tables, today), tables)
    found.take(blocks)
    return found
