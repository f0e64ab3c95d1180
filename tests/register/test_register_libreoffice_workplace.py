"""The demo register in LibreOffice: real dates, filter, frozen Nummer, colouring, widths.

Two independent views, neither of them openpyxl: the XML of our own file (zipfile +
ElementTree; python-calamine too when installed), and the XML LibreOffice writes after
opening it headless, with its CSV export. LibreOffice writes view settings (the frozen
panes) only from a window, which a headless conversion has not; so the freeze is
checked in our file, everything else also after LibreOffice saved it.
"""

from __future__ import annotations

import csv
import re
import subprocess
import zipfile
from datetime import date, datetime, timedelta
from pathlib import Path
from xml.etree import ElementTree as ET

import pytest

from klachtsheet import schema
from klachtsheet.demo.run import run_demo
from klachtsheet.model import parse_date

pytestmark = pytest.mark.libreoffice

NS = {
    "m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main",
    "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
    "rel": "http://schemas.openxmlformats.org/package/2006/relationships",
}
TODAY = date(2026, 11, 26)
HEADERS = list(schema.KLACHTEN.headers)
DATE_COLUMNS = [c.header for c in schema.KLACHTEN.columns if c.is_date]
BUILTIN_DATE_FORMATS = {14, 15, 16, 17, 22}


class Workbook:
    """An .xlsx read with nothing but zipfile and ElementTree."""

    def __init__(self, path: Path) -> None:
        self.zip = zipfile.ZipFile(path)
        shared = "xl/sharedStrings.xml"
        self.strings = (
            [
                "".join(t.text or "" for t in si.iter(f"{{{NS['m']}}}t"))
                for si in self._xml(shared).findall("m:si", NS)
            ]
            if shared in self.zip.namelist()
            else []
        )
        styles = self._xml("xl/styles.xml")
        formats = {
            int(f.get("numFmtId")): f.get("formatCode")
            for f in styles.findall("m:numFmts/m:numFmt", NS)
        }
        self.xf_formats = []
        for xf in styles.findall("m:cellXfs/m:xf", NS):
            number = int(xf.get("numFmtId", "0"))
            self.xf_formats.append(formats.get(number, f"builtin:{number}"))

    def _xml(self, name: str) -> ET.Element:
        return ET.fromstring(self.zip.read(name))  # noqa: S314 (files the test made)

    def sheet(self, title: str) -> ET.Element:
        book = self._xml("xl/workbook.xml")
        rid = next(
            s.get(f"{{{NS['r']}}}id") for s in book.findall("m:sheets/m:sheet", NS)
            if s.get("name") == title
        )  # fmt: skip
        rels = self._xml("xl/_rels/workbook.xml.rels")
        target = next(r.get("Target") for r in rels.findall("rel:Relationship", NS)
                      if r.get("Id") == rid)  # fmt: skip
        return self._xml("xl/" + target.removeprefix("/xl/").removeprefix("xl/"))

    def cells(self, sheet: ET.Element) -> dict[str, ET.Element]:
        return {c.get("r"): c for c in sheet.iter(f"{{{NS['m']}}}c")}

    def text(self, cell: ET.Element | None) -> str:
        if cell is None:
            return ""
        value = cell.find("m:v", NS)
        if cell.get("t") == "s":
            return self.strings[int(value.text)]
        if cell.get("t") == "inlineStr":
            return "".join(t.text or "" for t in cell.iter(f"{{{NS['m']}}}t"))
        return "" if value is None else value.text or ""

    def is_date_cell(self, cell: ET.Element) -> bool:
        if cell.get("t") not in (None, "n") or cell.find("m:v", NS) is None:
            return False
        fmt = self.xf_formats[int(cell.get("s", "0"))]
        if fmt.startswith("builtin:"):
            return int(fmt.split(":")[1]) in BUILTIN_DATE_FORMATS
        return "yy" in fmt.lower() and "d" in fmt.lower()


def letter(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def serial_day(text: str) -> date:
    return (datetime(1899, 12, 30) + timedelta(days=float(text))).date()


@pytest.fixture(scope="module")
def demo(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("demo")
    result = run_demo(folder / "demo", today=TODAY, count=150)
    assert "gecontroleerd" in result.sync_note  # the demo ran the daily check
    return result.register


@pytest.fixture(scope="module")
def converted(demo, tmp_path_factory) -> dict[str, Path]:
    """Let LibreOffice open the demo register headless and save it as xlsx and as CSV."""
    from shutil import which

    soffice = which("soffice") or which("libreoffice")
    if soffice is None:
        pytest.skip("LibreOffice (libreoffice-calc-nogui) is not installed")
    out = tmp_path_factory.mktemp("lo")
    profile = f"-env:UserInstallation=file://{out}/profile"
    for target in (
        "xlsx:Calc MS Excel 2007 XML",
        # Token 9 true: cell contents as shown (the dd-mm-jjjj a person sees), token 12: all sheets.
        "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,true,false,false,-1",
    ):
        result = subprocess.run(
            [
                soffice,
                profile,
                "--headless",
                "--convert-to",
                target,
                "--outdir",
                str(out),
                str(demo),
            ],
            capture_output=True,
            text=True,
            timeout=300,
        )
        assert result.returncode == 0, result.stderr
    files = {p.stem.split("-", 1)[1]: p for p in out.glob("*.csv")}
    files["xlsx"] = out / demo.name
    return files


def _check_dates_filter_colouring_widths(book: Workbook) -> list[tuple[date, str]]:
    sheet = book.sheet("Klachten")
    cells = book.cells(sheet)
    headers = [book.text(cells.get(f"{letter(i)}1")) for i in range(len(HEADERS))]
    assert headers == HEADERS
    rows = sorted({int(re.sub(r"\D", "", ref)) for ref in cells} - {1})
    received: list[tuple[date, str]] = []
    for header in DATE_COLUMNS:
        col = letter(HEADERS.index(header))
        seen = 0
        for row in rows:
            cell = cells.get(f"{col}{row}")
            if cell is None or book.text(cell) == "":
                continue
            assert book.is_date_cell(cell), (header, row, book.text(cell))
            seen += 1
            if header == "Ontvangen op":
                received.append((serial_day(book.text(cell)), f"{col}{row}"))
        assert seen, header
    # A filter button on every header.
    auto = sheet.find("m:autoFilter", NS)
    assert auto is not None and auto.get("ref").startswith("A")
    assert auto.get("ref").split(":")[1].startswith(letter(len(HEADERS) - 1))
    # The overdue rule: a formula on Antwoord uiterlijk and Status against TODAY().
    due = letter(HEADERS.index("Antwoord uiterlijk"))
    formulas = [f.text for f in sheet.iter(f"{{{NS['m']}}}formula")]
    assert any(f"${due}2" in f and "TODAY()" in f and "Afgesloten" in f for f in formulas)
    # No column cut below its header: each at least as wide as its header text.
    widths = {}
    for col in sheet.findall("m:cols/m:col", NS):
        for index in range(int(col.get("min")), int(col.get("max")) + 1):
            widths[index] = float(col.get("width"))
    for index, header in enumerate(HEADERS, start=1):
        assert widths.get(index, 8.43) >= len(header), header
    assert sheet.find("m:dataValidations", NS) is not None
    return received


def test_our_file_read_as_plain_xml_has_dates_freeze_filter_and_colouring(demo):
    book = Workbook(demo)
    received = _check_dates_filter_colouring_widths(book)
    pane = book.sheet("Klachten").find("m:sheetViews/m:sheetView/m:pane", NS)
    assert pane is not None
    assert (pane.get("xSplit"), pane.get("ySplit"), pane.get("topLeftCell"), pane.get("state")) == (
        "1", "1", "B2", "frozen",
    )  # fmt: skip
    assert len(received) >= 100


def test_libreoffice_keeps_dates_filter_colouring_widths_and_notes(converted):
    book = Workbook(converted["xlsx"])
    _check_dates_filter_colouring_widths(book)
    comments = [n for n in book.zip.namelist() if re.match(r"xl/comments\d*\.xml", n)]
    notes = sum(book.zip.read(n).count(b"<comment ") for n in comments)
    assert notes >= sum(len(t.columns) for t in schema.TABS)


def test_an_independent_reader_sees_date_cells(converted, demo):
    calamine = pytest.importorskip("python_calamine")
    for path in (demo, converted["xlsx"]):
        workbook = calamine.CalamineWorkbook.from_path(str(path))
        rows = workbook.get_sheet_by_name("Klachten").to_python()
        col = rows[0].index("Ontvangen op")
        values = [r[col] for r in rows[1:] if r[col] not in ("", None)]
        assert values and all(isinstance(v, date) for v in values)


def test_sorting_by_ontvangen_op_gives_calendar_order(converted):
    """Sort as LibreOffice sorts (by the cell values) and read the dates as the CSV shows them."""
    book = Workbook(converted["xlsx"])
    with converted["Klachten"].open(encoding="utf-8") as handle:
        rows = list(csv.reader(handle))
    col = rows[0].index("Ontvangen op")
    shown = {index: row[col] for index, row in enumerate(rows[1:], start=2)}
    sheet_cells = book.cells(book.sheet("Klachten"))
    letter_ = letter(col)
    pairs = []
    for row, text in shown.items():
        if not text:
            continue
        assert re.fullmatch(r"\d{2}-\d{2}-\d{4}( \d{2}:\d{2})?", text), text
        cell = sheet_cells[f"{letter_}{row}"]
        assert parse_date(text).day == serial_day(book.text(cell))  # shown = stored
        pairs.append((float(book.text(cell)), text))
    in_order = [text for _, text in sorted(pairs)]
    days = [parse_date(text).day for text in in_order]
    assert days == sorted(days)
    # As text (the old register), the same column would not sort by the calendar.
    assert sorted(in_order) != in_order
