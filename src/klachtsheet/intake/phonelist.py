"""Import of the daily phone list (CSV or xlsx): the form's validation, all or nothing.

The first row holds column headers as in the register (Deelnemer, Omschrijving, ...).
Every line is checked as if typed into the form; one bad line rejects the whole file,
with a Dutch reason per line, so the back office fixes the file and imports it again.
Importing the same file twice adds nothing: each line's token is derived from the file.
"""

from __future__ import annotations

import csv
import hashlib
import io
import logging
from dataclasses import dataclass, replace
from pathlib import Path

from klachtsheet import cells
from klachtsheet.exceptions import KlachtsheetError
from klachtsheet.intake import FormDefinition
from klachtsheet.intake.desk import Receipt
from klachtsheet.model import cell_text, normalise_header

log = logging.getLogger(__name__)

MAX_LINES = 5000
MAX_BYTES = 10 * 1024 * 1024
DEFAULT_FORM = "telefoondienst"
# The phone list is about calls; a file without a Kanaal column means Telefoon.
DEFAULT_VALUES = {"kanaal": "Telefoon"}


class PhoneListError(KlachtsheetError):
    """The phone-list file cannot be read at all."""


@dataclass(frozen=True)
class Rejected:
    """A line of the file that cannot be imported, and why (Dutch)."""

    line: int
    reasons: tuple[str, ...]

    def __str__(self) -> str:
        return f"Regel {self.line}: " + "; ".join(self.reasons)


@dataclass(frozen=True)
class ImportResult:
    """What an import did: receipts when accepted, or the rejected lines."""

    lines: int
    rejected: tuple[Rejected, ...] = ()
    receipts: tuple[Receipt, ...] = ()
    # Lines where characters that no register can hold were taken out (Dutch).
    notes: tuple[str, ...] = ()

    @property
    def ok(self) -> bool:
        return not self.rejected


def read_rows(path: Path) -> tuple[list[str], list[tuple[int, list[str]]]]:
    """Return the headers and (line number, values) of a CSV or xlsx file."""
    path = Path(path)
    if not path.is_file():
        raise PhoneListError(f"Bestand {path} bestaat niet")
    if path.stat().st_size > MAX_BYTES:
        raise PhoneListError(f"Bestand {path.name} is groter dan 10 MB; splits het op")
    suffix = path.suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        rows = _xlsx_rows(path)
    elif suffix in (".csv", ".txt"):
        rows = _csv_rows(path)
    else:
        raise PhoneListError(f"Bestand {path.name}: alleen .csv of .xlsx kan worden ingelezen")
    if not rows:
        raise PhoneListError(f"Bestand {path.name} is leeg")
    (_, headers), data = rows[0], rows[1:]
    data = [(n, r) for n, r in data if any(v.strip() for v in r)]
    if len(data) > MAX_LINES:
        raise PhoneListError(
            f"Bestand {path.name} heeft meer dan {MAX_LINES} regels; splits het op"
        )
    return [normalise_header(h) for h in headers], data


def _csv_rows(path: Path) -> list[tuple[int, list[str]]]:
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = raw.decode("cp1252", errors="replace")  # Excel's 'CSV' on Dutch Windows
    first = text.split("\n", 1)[0]
    try:
        dialect = csv.Sniffer().sniff(first, delimiters=";,\t")
    except csv.Error:
        dialect = _Semicolon
    reader = csv.reader(io.StringIO(text, newline=""), dialect)
    rows, start = [], 1
    try:
        for values in reader:
            rows.append((start, [v.strip() for v in values]))
            start = reader.line_num + 1
    except csv.Error as error:
        raise PhoneListError(f"Bestand {path.name} regel {reader.line_num}: {error}") from None
    return rows


class _Semicolon(csv.excel):
    """Excel's CSV as Dutch Windows writes it."""

    delimiter = ";"


def _xlsx_rows(path: Path) -> list[tuple[int, list[str]]]:
    import openpyxl

    try:
        workbook = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many kinds for a damaged file
        raise PhoneListError(
            f"Bestand {path.name} is geen leesbaar .xlsx-bestand ({error})"
        ) from None
    try:
        sheet = workbook.worksheets[0]
        return [
            (number, [cell_text(v).strip() for v in row])
            for number, row in enumerate(sheet.iter_rows(values_only=True), start=1)
        ]
    finally:
        workbook.close()


def check(
    form: FormDefinition, headers: list[str], rows: list[tuple[int, list[str]]], desk
) -> tuple[list[tuple[int, dict[str, str]]], list[Rejected], list[str]]:
    """Validate every line as the form would; return clean values and rejected lines."""
    columns = []
    for header in headers:
        item = form.by_header(header) if header else None
        if header and item is None:
            known = ", ".join(i.header for i in form.fields)
            raise PhoneListError(f"Kolom '{header}' is onbekend; bruikbare kolommen: {known}")
        columns.append(item)
    present = {c.key for c in columns if c is not None}
    accepted, rejected = [], []
    notes: list[str] = []
    for number, values in rows:
        raw = {k: v for k, v in DEFAULT_VALUES.items() if k not in present}
        for item, value in zip(columns, values, strict=False):
            if item is not None:
                raw[item.key] = value
        checked = desk.validate(form, raw, lenient=True)
        cleaned = sorted(
            form.field(k).header for k, v in raw.items() if k in present and cells.clean(v).changed
        )
        if cleaned and checked.ok:
            notes.append(
                f"Regel {number}: tekens die niet in het register passen zijn weggehaald uit "
                + ", ".join(cleaned)
            )
        if checked.ok:
            accepted.append((number, checked.values))
        else:
            reasons = tuple(
                f"{form.field(key).header}: {message}" for key, message in checked.errors.items()
            )
            rejected.append(Rejected(number, reasons))
    return accepted, rejected, notes


def _with_state(desk, receipt: Receipt) -> Receipt:
    now_ = desk.receipt(receipt.token)
    return receipt if now_ is None else replace(now_, created=receipt.created)


def import_phone_list(path: Path, desk, form_name: str = DEFAULT_FORM) -> ImportResult:
    """Import a phone list through the desk: every line, or none when one is wrong."""
    form = desk.form(form_name)
    if form is None:
        raise PhoneListError(f"Formulier '{form_name}' bestaat niet")
    headers, rows = read_rows(path)
    accepted, rejected, notes = check(form, headers, rows, desk)
    if rejected:
        log.info("phone list refused: %d of %d lines rejected", len(rejected), len(rows))
        return ImportResult(len(rows), tuple(rejected))
    digest = hashlib.sha256(Path(path).read_bytes()).hexdigest()[:24]
    items = [(f"import-{digest}-{number}", values) for number, values in accepted]
    receipts = desk.submit_many(form, items, by="import")
    desk.write_now()
    # Report the state after the write attempt.
    receipts = [_with_state(desk, r) for r in receipts]
    log.info("phone list imported: %d lines", len(receipts))
    return ImportResult(len(rows), (), tuple(receipts), tuple(notes))
