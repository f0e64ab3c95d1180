"""The calamine reader gives the tables openpyxl gave, and text survives write -> read."""

from __future__ import annotations

import zipfile
from datetime import date, datetime, time
from pathlib import Path

import openpyxl
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from klachtsheet import schema
from klachtsheet.cells import storable
from klachtsheet.model import Table, cell_text
from klachtsheet.register.local import LocalRegister

VALUES = [
    "tekst",
    "  spaties rondom  ",
    "regel\neen en twee",
    "€ 12,50 & <meer>",
    "0612345678",
    1,
    -7,
    1.5,
    0.1 + 0.2,
    12345678901234567890,
    True,
    False,
    date(2026, 12, 2),
    datetime(2026, 12, 2, 20, 41),
    datetime(2026, 12, 2),
    time(14, 5),
    None,
]


def openpyxl_table(path: Path, tab: str) -> Table:
    """The table as the openpyxl reader of before issue 17 built it."""
    sheet = openpyxl.load_workbook(path)[tab]
    rows = sheet.iter_rows(values_only=True)
    headers = [cell_text(v).strip() for v in next(rows, ())]
    while headers and not headers[-1]:
        headers.pop()
    data = []
    for row in rows:
        values = tuple(cell_text(v) for v in row[: len(headers)])
        data.append(values + ("",) * (len(headers) - len(values)))
    while data and not any(data[-1]):
        data.pop()
    return Table(tab, tuple(headers), tuple(data))


def test_calamine_reads_varied_cells_as_openpyxl_did(tmp_path):
    path = tmp_path / "soorten.xlsx"
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "Soorten"
    sheet.append(["", " Kop B ", "Kop C", None, "Kop E"])  # an empty first header, a gap
    for index, value in enumerate(VALUES):
        sheet.append([value, index, None, value, f"rij {index}"])
    sheet.cell(row=40, column=9, value="ver buiten de koppen")
    sheet.cell(row=3, column=2).number_format = "0.00%"
    workbook.save(path)  # openpyxl writes strings as shared strings, as Excel does

    assert LocalRegister(path).read(["Soorten"])["Soorten"] == openpyxl_table(path, "Soorten")


def test_rich_text_shared_strings_and_formulas_from_excel(tmp_path):
    path = tmp_path / "excel.xlsx"
    workbook = openpyxl.Workbook()
    workbook.active.title = "Blad"
    workbook.active.append(["Kop", "Som", "Tekst"])
    workbook.save(path)
    with zipfile.ZipFile(path) as archive:
        parts = {n: archive.read(n) for n in archive.namelist()}
    strings = (
        b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="4" '
        b'uniqueCount="4"><si><t>Kop</t></si><si><t>Som</t></si><si><t>Tekst</t></si>'
        b'<si><r><rPr><b/></rPr><t>vet</t></r><r><t xml:space="preserve"> en gewoon</t></r>'
        b"</si></sst>"
    )
    parts["xl/sharedStrings.xml"] = strings
    sheet = parts["xl/worksheets/sheet1.xml"]
    sheet = sheet.replace(
        b"</row></sheetData>",
        b'</row><row r="2"><c r="A2" t="s"><v>3</v></c><c r="B2"><f>1+1</f><v>2</v></c>'
        b'<c r="C2" t="str"><f>A2&amp;"!"</f><v>vet en gewoon!</v></c></row></sheetData>',
    )
    parts["xl/worksheets/sheet1.xml"] = sheet
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in parts.items():
            archive.writestr(name, data)

    table = LocalRegister(path).read(["Blad"])["Blad"]

    assert table.headers == ("Kop", "Som", "Tekst")
    # Decided: a formula reads as the value last calculated, what a person sees in the sheet.
    assert table.rows == (("vet en gewoon", "2", "vet en gewoon!"),)


def test_openpyxl_formulas_without_a_value_read_empty_and_escapes_read_as_excel_shows(tmp_path):
    path = tmp_path / "openpyxl.xlsx"
    workbook = openpyxl.Workbook()
    workbook.active.title = "Blad"
    workbook.active.append(["Kop", "Formule", "Escape"])
    workbook.active.append(["x", "=SUM(A1:A2)", "a_x0041_b"])
    workbook.save(path)

    # openpyxl stores no calculated value, so there is nothing a person would see yet;
    # Excel shows the XML escape _x0041_ as "A", and so does the reader.
    assert LocalRegister(path).read(["Blad"])["Blad"].rows == (("x", "", "aAb"),)


def test_text_that_looks_like_an_xml_escape_is_written_so_it_reads_back_literally(register):
    register.append("Klachten", [{"Omschrijving": "a_x0041_b _x005F_ =1+1", "Notities": "\r\n"}])

    [row] = LocalRegister(register.path).read(["Klachten"])["Klachten"].records()
    assert row["Omschrijving"] == "a_x0041_b _x005F_ =1+1"
    assert row["Notities"] == "\n"  # the one boundary normalises every line break


def _clean(text: str) -> str:
    return storable(text)


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.lists(st.text(max_size=200), min_size=1, max_size=3))
def test_any_text_comes_back_as_written(register_path, texts):
    writer = LocalRegister(register_path)
    nummers = writer.append("Klachten", [{"Omschrijving": t, "Notities": t} for t in texts])

    table = LocalRegister(register_path).read(["Klachten"])["Klachten"]
    by_nummer = {r["Nummer"]: r for r in table.records()}
    for number, text in zip(nummers, texts, strict=True):
        assert by_nummer[number]["Omschrijving"] == _clean(text)
        assert by_nummer[number]["Notities"] == _clean(text)
    # The copy kept in memory agrees with the file.
    assert writer.read(["Klachten"])["Klachten"] == table
    assert table.headers == schema.KLACHTEN.headers


@settings(max_examples=50, deadline=None)
@given(st.binary(max_size=3000), st.binary(max_size=3000))
def test_crc32_combine_is_the_crc_of_the_concatenation(first, second):
    import zlib

    from klachtsheet.xlsxzip import crc32_combine

    combined = crc32_combine(zlib.crc32(first), zlib.crc32(second), len(second))
    assert combined == zlib.crc32(first + second)


def test_many_saves_of_one_sheet_stay_a_valid_zip(register):
    for index in range(30):
        register.append("Klachten", [{"Omschrijving": f"klacht {index}"}])
        if index % 7 == 3:  # a change above the rows appended since: the sheet is packed anew
            first = register.read(["Klachten"])["Klachten"].rows[0][0]
            from klachtsheet.model import CellUpdate

            register.update("Klachten", [CellUpdate(first, "Notities", f"keer {index}")])
    with zipfile.ZipFile(register.path) as archive:
        assert archive.testzip() is None
    table = LocalRegister(register.path).read(["Klachten"])["Klachten"]
    assert [r["Omschrijving"] for r in table.records()] == [f"klacht {i}" for i in range(30)]
    assert next(table.records())["Notities"] == "keer 24"


CELL = st.one_of(
    st.sampled_from([*VALUES[:-1], "", "", "3-12-2026", 1.0, 0, 0.0, -0.0]),
    st.text(max_size=8),
    st.dates(min_value=date(1990, 1, 1), max_value=date(2040, 1, 1)),
    st.integers(-3, 3),
    st.floats(allow_nan=False, allow_infinity=False, width=32),
    st.booleans(),
)


@given(width=st.integers(1, 6), extra=st.integers(0, 2), data=st.data())
@settings(max_examples=120, deadline=None)
def test_reading_by_column_gives_the_text_and_typed_dates_of_reading_by_row(width, extra, data):
    # Columns are turned into text a whole column at a time (issue 17); the row-by-row
    # reading, which it replaces for rectangular tabs, is the reference.
    from klachtsheet.register.local.reader import _by_row, tab_text

    dates = [c.header for c in schema.KLACHTEN.columns if c.is_date]
    names = [c.header for c in schema.KLACHTEN.columns if not c.is_date]
    headers = [dates[i] if i % 2 else names[i] for i in range(width)]
    rows = data.draw(st.lists(st.lists(CELL, min_size=width + extra, max_size=width + extra)))
    values = [headers + [""] * extra, *rows]
    read = tab_text(schema.KLACHTEN_TAB, values)
    by_row, typed = _by_row(rows, width, {i for i in range(width) if i % 2}, 2)
    assert read.rows == by_row
    assert read.typed == typed
    used = [n for n, row in enumerate(rows, start=2) if any(v != "" for v in row)]
    assert read.last_used == (max(used) if used else 1)
