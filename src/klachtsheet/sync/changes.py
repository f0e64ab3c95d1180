"""Who changed what: what people changed in the register since the sync's last run.

Neither the local workbook nor the Sheets API (without Drive revisions) tells who changed
a cell, so the sync keeps the last values it saw of a few columns (status, coordinator,
dates, satisfaction, Zelfde als: no participant data) in a file in its state folder, and
writes one Logboek line per change it notices: old and new value, and when it saw it.
The agenda reads those lines back for the time to first contact (``first_contacts``).
"""

from __future__ import annotations

import itertools
import json
import logging
import operator
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from klachtsheet import schema
from klachtsheet.files import atomic_write
from klachtsheet.model import Table, format_datetime, normalise_header, parse_date
from klachtsheet.sync.changeset import Change
from klachtsheet.sync.logbook import entry

log = logging.getLogger(__name__)

STATE_FILE = "stand.json"
# The registers' files as a run found them unchanged since the snapshot (see SeenStore).
FILES_FILE = "stand-bestanden.json"
# 2: per Nummer a list of the tracked values in TRACKED order (1 had a mapping per row,
# three times the size); a version 1 file is read and rewritten as 2.
VERSION = 2
ACTION = "Gewijzigd in het register"
BY = "register"
# Columns people change whose history matters; none holds participant data.
TRACKED_KEYS = (
    "status",
    "coordinator",
    "overgedragen_op",
    "teruggekoppeld_deelnemer_op",
    "teruggekoppeld_medewerker_op",
    "afgesloten_op",
    "tevredenheid",
    "zelfde_als",
)
TRACKED = tuple(schema.KLACHTEN.header(k) for k in TRACKED_KEYS)
NUMMER = schema.KLACHTEN.header("nummer")
assert not any(schema.KLACHTEN.column(k).personal for k in TRACKED_KEYS)
DETAILS = re.compile(r"^(?P<column>[^:]+): '(?P<old>.*)' → '(?P<new>.*)'$")
# A status that means someone spoke to the participant (or tried to).
CONTACT_STATUSES = (schema.IN_BEHANDELING, schema.TERUGGEKOPPELD, schema.AFGESLOTEN,
                    schema.AFGEHANDELD)  # fmt: skip
CONTACT_COLUMN = schema.KLACHTEN.header("teruggekoppeld_deelnemer_op")
STATUS_COLUMN = schema.KLACHTEN.header("status")

# Per Nummer the tracked values, in the order of TRACKED.
Snapshot = dict[str, tuple[str, ...]]


@dataclass(frozen=True)
class Seen:
    """One change a person made: a column of one complaint, old and new value."""

    register: str
    nummer: str
    header: str
    old: str
    new: str

    @property
    def details(self) -> str:
        return f"{self.header}: '{self.old}' → '{self.new}'"


class SeenStore:
    """The last values the sync saw, per register, in one file in the state folder."""

    def __init__(self, state_dir: Path) -> None:
        self.path = Path(state_dir) / STATE_FILE

    def load(self) -> dict[str, Snapshot] | None:
        """Return the snapshots per register, or None before the first run."""
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return None
        except (OSError, ValueError):
            log.warning("%s unreadable; this run starts a new snapshot", self.path.name)
            return None
        if not isinstance(data, dict) or data.get("versie") not in (1, VERSION):
            return None
        registers = data.get("registers", {})
        if not isinstance(registers, dict):
            return None
        try:
            if data["versie"] == 1:
                return {name: _from_mappings(rows) for name, rows in registers.items()}
            if data.get("kolommen") != list(TRACKED):
                return None  # written for other columns: start again rather than misread
            return {name: _texts(rows) for name, rows in registers.items()}
        except (AttributeError, TypeError):
            log.warning("%s unreadable; this run starts a new snapshot", self.path.name)
            return None

    def save(self, snapshots: Mapping[str, Snapshot]) -> None:
        data = {"versie": VERSION, "kolommen": list(TRACKED), "registers": snapshots}
        atomic_write(self.path, json.dumps(data, ensure_ascii=False, sort_keys=True).encode())

    # A run that finds every register exactly as the snapshot describes it notes the
    # registers' file identities (inode, modification time, size) beside it. The next run
    # whose registers still have those identities knows that nothing changed without
    # reading the snapshot or making a new one (40 ms at 10,000 rows). The note holds the
    # snapshot file's own identity too: a snapshot written since makes it void.

    def unchanged_files(self) -> dict[str, list[int]] | None:
        """Return the identities of the registers' files the snapshot holds for, or None."""
        try:
            data = json.loads((self.path.parent / FILES_FILE).read_text(encoding="utf-8"))
            snapshot = _identity(self.path)
        except (OSError, ValueError):
            return None
        if not isinstance(data, dict) or data.get("stand") != snapshot:
            return None
        files = data.get("registers")
        return files if isinstance(files, dict) and files else None

    def note_unchanged_files(self, files: Mapping[str, list[int]]) -> None:
        """Note that the snapshot holds for the registers' files with these identities."""
        data = {"stand": _identity(self.path), "registers": dict(files)}
        atomic_write(self.path.parent / FILES_FILE, json.dumps(data, sort_keys=True).encode())


def _identity(path: Path) -> list[int]:
    stat = path.stat()
    return [stat.st_ino, stat.st_mtime_ns, stat.st_size]


def _texts(rows: Mapping[str, Iterable[object]]) -> Snapshot:
    snap = {n: tuple(values) for n, values in rows.items()}
    try:  # every value is text in a file this program wrote: checked at C speed
        "".join(itertools.chain.from_iterable(snap.values()))  # type: ignore[arg-type]
    except TypeError:
        return {n: tuple(map(str, values)) for n, values in snap.items()}
    return snap  # type: ignore[return-value]


def _from_mappings(rows: Mapping[str, Mapping[str, str]]) -> Snapshot:
    return {n: tuple(str(values.get(h, "")) for h in TRACKED) for n, values in rows.items()}


def snapshot(table: Table | None) -> Snapshot:
    """Return the tracked values per Nummer (rows without a Nummer or with a twin are left out)."""
    if table is None:
        return {}
    headers = [normalise_header(h) for h in table.headers]
    if NUMMER not in headers:
        return {}
    at = headers.index(NUMMER)
    # A column the tab lacks reads as empty: its place is taken by an always-empty column.
    columns = [headers.index(h) if h in headers else len(headers) for h in TRACKED]
    width = len(headers)
    pick = operator.itemgetter(*columns)
    lacking = len(headers) in columns
    # The tracked columns hold few distinct values (statuses, names, dates): each one is
    # cleaned once, not once per row (a third of a sync's comparison at 10,000 rows).
    clean = _Cleaned()
    result: Snapshot = {}
    twice: set[str] = set()
    for row in table.rows:
        if len(row) != width:
            row = (*row[:width], *("",) * (width - len(row)))
        nummer = row[at] if type(row[at]) is str else str(row[at] or "")
        nummer = nummer.strip()
        if not nummer:
            continue
        if nummer in result:
            twice.add(nummer)
        result[nummer] = tuple(map(clean.__getitem__, pick((*row, "") if lacking else row)))
    for nummer in twice:
        del result[nummer]
    return result


class _Cleaned(dict[str, str]):
    """Text with its whitespace collapsed, worked out once per distinct text."""

    def __missing__(self, text: str) -> str:
        self[text] = cleaned = _value(text)
        return cleaned


def _value(text: str | None) -> str:
    return " ".join(("" if text is None else str(text)).split())


def detect(before: Snapshot | None, now_seen: Snapshot, register: str) -> list[Seen]:
    """Return the changes from the last snapshot to now; nothing on the first run."""
    if before is None:
        return []
    found = []
    for nummer, values in now_seen.items():
        earlier = before.get(nummer)
        if earlier is None or earlier == values:
            continue  # new since the last run (its intake line says enough), or unchanged
        for header, old, new in zip(TRACKED, earlier, values, strict=False):
            if old != new:
                found.append(Seen(register, nummer, header, old, new))
    return found


def after_sync(seen: Snapshot, changes: Iterable[Change], register: str) -> Snapshot:
    """Return the snapshot as the sheet is after the sync wrote its own changes."""
    result = dict(seen)
    for change in changes:
        if change.register != register or change.header not in TRACKED:
            continue
        values = result.get(change.nummer)
        if values is not None:
            at = TRACKED.index(change.header)
            result[change.nummer] = (*values[:at], _value(change.new), *values[at + 1 :])
    return result


def logbook_lines(found: Sequence[Seen], at: datetime) -> dict[str, list[dict[str, str]]]:
    """Return one Logboek line per change, per register."""
    lines: dict[str, list[dict[str, str]]] = {}
    seen_at = format_datetime(at)
    for change in found:
        details = f"{change.details} (gezien bij de sync van {seen_at})"
        lines.setdefault(change.register, []).append(entry(change.nummer, ACTION, details, BY, at))
    return lines


# -- read back for the agenda -----------------------------------------------------------------


def parse_details(details: str) -> tuple[str, str, str] | None:
    """Return (column, old, new) from a change line's details, or None."""
    text = re.sub(r" \(gezien bij de sync van [^)]*\)$", "", details or "")
    match = DETAILS.match(text)
    return (match["column"], match["old"], match["new"]) if match else None


def first_contacts(logboek: Table | None) -> dict[str, datetime]:
    """Return, per Nummer, when the sync first saw that someone contacted the participant.

    Contact: the status moved to In behandeling or later, or 'Teruggekoppeld deelnemer op'
    was filled in. The time is when the sync saw it (at most one sync interval late).
    """
    result: dict[str, datetime] = {}
    if logboek is None:
        return result
    # By column, not by record: the Logboek has a line per event, most of another kind.
    columns = (logboek.column(header) for header in ("Actie", "Details", "Tijdstip", "Nummer"))
    for action, details, at_text, nummer in zip(*columns, strict=True):
        if action != ACTION:
            continue
        parsed = parse_details(details)
        if parsed is None:
            continue
        column, _, new = parsed
        contact = (column == STATUS_COLUMN and new in CONTACT_STATUSES) or (
            column == CONTACT_COLUMN and bool(new)
        )
        at = parse_date(at_text).value
        if not contact or at is None:
            continue
        when = at if isinstance(at, datetime) else datetime(at.year, at.month, at.day)
        nummer = nummer.strip()
        if nummer and (nummer not in result or when < result[nummer]):
            result[nummer] = when
    return result
