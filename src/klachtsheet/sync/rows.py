"""One row at a time: new Nummers, the review of a row that never stops the run, progress."""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from datetime import date

from klachtsheet import schema
from klachtsheet.messages.outbox import JournalEntry, done
from klachtsheet.model import Complaint
from klachtsheet.nummer import new_nummer
from klachtsheet.rules import RuleContext, review
from klachtsheet.schema import CONFIDENTIAL
from klachtsheet.sync.changeset import Change

log = logging.getLogger(__name__)

PROGRESS_EVERY = 250
Progress = Callable[[int, int], None]


class Nummers:
    """Gives out new Nummers, reusing the one journalled for a row that a crash left unwritten."""

    def __init__(self, existing: set[str], journalled: Mapping[str, list[str]], today: date):
        self.existing = existing
        self.journalled = {fp: list(ns) for fp, ns in journalled.items()}
        self.today = today

    def give(self, fp: str) -> str:
        for candidate in self.journalled.get(fp, []):
            if candidate not in self.existing:
                self.journalled[fp].remove(candidate)
                self.existing.add(candidate)
                return candidate
        given = new_nummer(self.existing, self.today)
        self.existing.add(given)
        return given


def review_one(effective: Complaint, ctx: RuleContext, kind: str, mirror, known):
    """Return the review of one row, or the error that kept it from being reviewed."""
    try:
        return review(effective, ctx, kind=kind, mirror=mirror, counterpart_known=known)
    except Exception as error:  # one odd row never stops the run for everyone
        return error


def unreviewed_note(nummer: str, error: Exception) -> str:
    log.warning("row %s could not be reviewed: %s", nummer, type(error).__name__)
    return f"Deze rij kon niet worden gecontroleerd ({type(error).__name__}); kijk de waarden na"


def wanted(
    effective: Complaint, result, fp: str, register: str, changes: list[Change]
) -> Complaint:
    """Record a change for every cell the review wants different; return the row as wanted."""
    for header, value in result.wanted:
        key = _KEYS[header]  # review() wants only schema columns
        old = getattr(effective, key)
        if old != value:
            changes.append(Change(effective.nummer.strip(), header, old, value, fp, register))
            effective = effective.with_values(**{key: value})
    return effective


_KEYS = {c.header: c.key for c in schema.KLACHTEN.columns}


class Ticker:
    def __init__(self, progress: Progress | None, total: int) -> None:
        self.progress, self.total, self.done = progress, total, 0

    def tick(self) -> None:
        self.done += 1
        if self.progress is not None and self.done % PROGRESS_EVERY == 0:
            self.progress(self.done, self.total)

    def finish(self) -> None:
        if self.progress is not None:
            self.progress(self.total, self.total)


# The sent-mail journals of both registers are read into one mapping; the confidential
# register's keys carry this prefix, so a digest key of one never answers for the other.
CONFIDENTIAL_KEYS = "vertrouwelijk|"


def journal_key(register: str, key: str) -> str:
    """Return the key under which a register's journal entry is found in the merged map."""
    return CONFIDENTIAL_KEYS + key if register == CONFIDENTIAL else key


def sent_in(journal: Mapping[str, JournalEntry], register: str, key: str) -> JournalEntry | None:
    """Return the entry when this register already sent (or is sending) the message."""
    return done(journal, journal_key(register, key))
