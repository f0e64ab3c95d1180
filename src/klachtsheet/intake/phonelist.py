"""Import of the daily phone list (CSV or xlsx): the form's validation, all or nothing.

The first row holds column headers as in the register (Deelnemer, Omschrijving, ...).
Every line is checked as if typed into the form; one bad line rejects the whole file,
with a Dutch reason per line, so the back office fixes the file and imports it again.
Columns are the form's, under the form's or the register's own header names, plus
Ontvangen op (the day of the call). Importing a list again adds nothing twice: each
line's token is derived from its content, so a list with one line added imports only
that line and names the ones it skipped.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import logging
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path

from klachtsheet import cells, schema
from klachtsheet.exceptions import PhoneListError
from klachtsheet.intake import FormDefinition
from klachtsheet.intake.desk import Receipt
from klachtsheet.model import cell_text, format_date, normalise_header, now, parse_date

log = logging.getLogger(__name__)

MAX_LINES = 5000
MAX_BYTES = 10 * 1024 * 1024
DEFAULT_FORM = "telefoondienst"
# The phone list is about calls; a file without a Kanaal column means Telefoon.
DEFAULT_VALUES = {"kanaal": "Telefoon"}


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
    # File line numbers of the receipts, in the same order.
    line_numbers: tuple[int, ...] = ()
    # Lines where characters that no register can hold were taken out (Dutch).
    notes: tuple[str, ...] = ()

    @property
    def ok(self) -> bool:
        return not self.rejected

    def skipped(self) -> list[tuple[int, Receipt]]:
        """Return (line, receipt) of the lines already imported before (nothing added)."""
        return [
            (line, r)
            for line, r in zip(self.line_numbers, self.receipts, strict=False)
            if not r.created
        ]


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


RECEIVED = "ontvangen_op"


def _column(form: FormDefinition, header: str):
    """Return the form item for a header (the form's or the register's name), or RECEIVED."""
    item = form.by_header(header)
    if item is not None:
        return item
    column = schema.KLACHTEN.by_header(header)
    if column is None:
        for candidate in schema.KLACHTEN.columns:
            if normalise_header(candidate.header).casefold() == header.casefold():
                column = candidate
    if column is None:
        return None
    if column.key == RECEIVED:
        return RECEIVED
    return next((i for i in form.fields if i.key == column.key), None)


def check(
    form: FormDefinition, headers: list[str], rows: list[tuple[int, list[str]]], desk
) -> tuple[list[tuple[int, dict[str, str]]], list[Rejected], list[str]]:
    """Validate every line as the form would; return clean values and rejected lines."""
    columns = []
    for header in headers:
        item = _column(form, header) if header else None
        if header and item is None:
            known = ", ".join([i.header for i in form.fields] + [schema.KLACHTEN.header(RECEIVED)])
            raise PhoneListError(f"Kolom '{header}' is onbekend; bruikbare kolommen: {known}")
        columns.append(item)
    present = {c.key for c in columns if c is not None and c != RECEIVED}
    accepted, rejected = [], []
    today = now().date()
    notes: list[str] = []
    for number, values in rows:
        raw = {k: v for k, v in DEFAULT_VALUES.items() if k not in present}
        received = ""
        for item, value in zip(columns, values, strict=False):
            if item == RECEIVED:
                received = value
            elif item is not None:
                raw[item.key] = value
        checked = desk.validate(form, raw, lenient=True)
        cleaned = sorted(
            form.field(k).header for k, v in raw.items() if k in present and cells.clean(v).changed
        )
        reasons = [
            f"{form.field(key).header}: {message}" for key, message in checked.errors.items()
        ]
        day, problem = _received(received, today)
        if problem:
            reasons.append(f"{schema.KLACHTEN.header(RECEIVED)}: {problem}")
        if reasons:
            rejected.append(Rejected(number, tuple(reasons)))
            continue
        if cleaned:
            notes.append(
                f"Regel {number}: tekens die niet in het register passen zijn weggehaald uit "
                + ", ".join(cleaned)
            )
        clean = dict(checked.values)
        if day is not None:
            clean[RECEIVED] = format_date(day)
        accepted.append((number, clean))
    return accepted, rejected, notes


def _received(text: str, today: date) -> tuple[date | None, str | None]:
    if not text.strip():
        return None, None
    parsed = parse_date(text)
    if parsed.problem or parsed.day is None:
        return None, parsed.problem or f"'{text}' is geen datum"
    if parsed.day > today:
        return None, f"'{text}' ligt in de toekomst"
    return parsed.day, None


def content_tokens(form_name: str, accepted: list[tuple[int, dict[str, str]]]) -> list[str]:
    """Return a token per line from its content: the same call imported again is recognised."""
    seen: dict[str, int] = {}
    tokens = []
    for _, values in accepted:
        plain = {k: " ".join(v.split()).casefold() for k, v in values.items() if v.strip()}
        text = json.dumps([form_name, sorted(plain.items())], ensure_ascii=False)
        digest = hashlib.sha256(text.encode()).hexdigest()[:24]
        # Two identical lines in one list are two calls: the second gets its own token.
        seen[digest] = seen.get(digest, 0) + 1
        tokens.append(f"import-{digest}-{seen[digest]}")
    return tokens


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
    tokens = content_tokens(form.name, accepted)
    items = [(token, values) for token, (_, values) in zip(tokens, accepted, strict=True)]
    receipts = desk.submit_many(form, items, by="import")
    desk.write_now()
    # Report the state after the write attempt.
    receipts = [_with_state(desk, r) for r in receipts]
    log.info("phone list imported: %d lines", len(receipts))
    return ImportResult(
        len(rows), (), tuple(receipts), tuple(number for number, _ in accepted), tuple(notes)
    )
