"""A big sheet read in blocks of rows gives exactly what calamine gives reading it whole (issue 17)."""

from __future__ import annotations

import io
import sys
import zlib
from datetime import date, datetime
from pathlib import Path

import openpyxl
import pytest
import python_calamine
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from klachtsheet import readahead, schema, sheetblocks
from klachtsheet.register.local import LocalRegister
from klachtsheet.register.local.early import EarlyRead
from klachtsheet.register.local.reader import tab_text

sys.path.insert(0, str(Path(__file__).resolve().parent))

TAB = schema.KLACHTEN_TAB


def whole(path: Path, name: str = TAB) -> list[list[object]]:
    book = python_calamine.CalamineWorkbook.from_path(str(path))
    return book.get_sheet_by_name(name).to_python(skip_empty_area=False)


def read_in_blocks(path: Path, tabs=(schema.INSTELLINGEN_TAB,)) -> readahead.ReadAhead:
    return readahead.ReadAhead(str(path), tabs, TAB)


@pytest.fixture
def small_blocks(monkeypatch):
    """Cut every sheet into blocks of a few hundred bytes, shared strings or not."""
    monkeypatch.setattr(readahead, "BLOCK_BYTES", 300)
    # Inflated a few bytes at a time: the tags looked for fall across the pieces.
    monkeypatch.setattr(sheetblocks, "_STEP", 13)
    monkeypatch.setattr(sheetblocks, "SHARED_STRINGS_SHARE", float("inf"))


CELL = st.one_of(
    st.none(),
    st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")), max_size=6),
    st.sampled_from(["", " ", "Klacht", "03-12-2026", '<row r="1">', "&amp;"]),
    st.integers(-5, 5),
    st.floats(allow_nan=False, allow_infinity=False, width=32),
    st.booleans(),
    st.dates(min_value=date(1990, 1, 1), max_value=date(2040, 1, 1)),
    st.datetimes(min_value=datetime(1990, 1, 1), max_value=datetime(2040, 1, 1)),
)
# A row: None leaves the sheet row out altogether (a gap), else its cells from a column on.
ROW = st.one_of(st.none(), st.tuples(st.integers(0, 3), st.lists(CELL, max_size=7)))


def workbook(path: Path, rows) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = TAB
    sheet.append(["Nummer", "Ontvangen op", "Deelnemer"])
    for number, row in enumerate(rows, start=2):
        if row is None:
            continue
        indent, cells = row
        for column, value in enumerate(cells, start=1 + indent):
            if value is not None:
                sheet.cell(row=number, column=column, value=value)
    book.create_sheet(schema.INSTELLINGEN_TAB).append(["Instelling", "Waarde"])
    book.save(path)


@given(rows=st.lists(ROW, max_size=40))
@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
def test_blocks_put_together_are_the_sheet_read_whole(tmp_path_factory, small_blocks, rows):
    path = tmp_path_factory.mktemp("blokken") / "r.xlsx"
    workbook(path, rows)

    ahead = read_in_blocks(path)
    parsed = ahead.result()

    assert parsed is not None
    assert parsed.values[TAB] == whole(path)
    assert parsed.values[schema.INSTELLINGEN_TAB] == whole(path, schema.INSTELLINGEN_TAB)
    # The text made block by block is the text made of the whole tab.
    early = EarlyRead(ahead, TAB)
    blocks = list(early)
    made, expected = ahead.made.get(TAB), tab_text(TAB, whole(path))
    assert made is not None
    assert (made.headers, made.rows, made.typed, made.last_used) == (
        expected.headers, expected.rows, expected.typed, expected.last_used
    )  # fmt: skip
    assert early.headers == tuple(expected.headers)
    for first, texts in blocks:  # each block's rows stand where they stand in the tab
        assert texts == expected.rows[first - 2 : first - 2 + len(texts)]


def register_of(path: Path, rows: int) -> LocalRegister:
    register = LocalRegister(path)
    register.ensure_layout()
    register.append(
        TAB,
        [{"Deelnemer": f"Deelnemer {n}", "Ontvangen op": "02-12-2026", "Omschrijving": "é" * (n % 9)}
         for n in range(rows)],
    )  # fmt: skip
    return register


def test_a_register_this_program_wrote_comes_in_many_blocks(tmp_path, monkeypatch):
    monkeypatch.setattr(readahead, "BLOCK_BYTES", 2_000)
    path = tmp_path / "r.xlsx"
    register_of(path, 300)

    ahead = read_in_blocks(path)
    firsts = [first for first, _ in ahead.blocks()]

    assert len(firsts) > 10 and firsts == sorted(firsts)
    assert ahead.result().values[TAB] == whole(path)


def test_a_sheet_stored_without_compression_comes_in_blocks_alike(tmp_path, monkeypatch):
    from klachtsheet.xlsxzip import Package, stored

    monkeypatch.setattr(readahead, "BLOCK_BYTES", 2_000)
    made = tmp_path / "ingepakt.xlsx"
    register_of(made, 300)
    package = Package(made.read_bytes())
    path = tmp_path / "r.xlsx"
    path.write_bytes(stored([(m.name, (d := package.read(m.name),), zlib.crc32(d))
                             for m in package.members]))  # fmt: skip

    ahead = read_in_blocks(path)

    assert len(list(ahead.blocks())) > 10
    assert ahead.result().values[TAB] == whole(path)


def test_a_small_sheet_comes_whole_in_one_block(tmp_path):
    path = tmp_path / "r.xlsx"
    register_of(path, 30)

    ahead = read_in_blocks(path)

    assert [first for first, _ in ahead.blocks()] == [0]
    assert ahead.result().values[TAB] == whole(path)


@pytest.mark.libreoffice
def test_a_register_saved_by_libreoffice_is_read_whole_or_in_blocks_alike(
    soffice, tmp_path, monkeypatch
):
    # LibreOffice (and Excel) keep every text in the shared strings part, which each
    # block's workbook parses again: such a file is read whole, unless told otherwise.
    from test_register_libreoffice_patch import convert

    made = tmp_path / "gemaakt" / "r.xlsx"
    made.parent.mkdir()
    register_of(made, 300)
    convert(soffice, made, tmp_path / "lo", "xlsx:Calc MS Excel 2007 XML", tmp_path / "profiel")
    path = tmp_path / "lo" / "r.xlsx"
    monkeypatch.setattr(readahead, "BLOCK_BYTES", 2_000)

    ahead = read_in_blocks(path)
    assert [first for first, _ in ahead.blocks()] == [0]
    assert ahead.result().values[TAB] == whole(path)

    monkeypatch.setattr(sheetblocks, "SHARED_STRINGS_SHARE", float("inf"))
    ahead = read_in_blocks(path)
    assert len(list(ahead.blocks())) > 10
    assert ahead.result().values[TAB] == whole(path)


def test_a_wrong_guess_of_the_sheets_part_is_read_whole_by_the_register(tmp_path, monkeypatch):
    monkeypatch.setattr(readahead, "BLOCK_BYTES", 2_000)
    path = tmp_path / "r.xlsx"
    register_of(path, 300)
    # A block's workbook then holds another sheet under that name, and not the tab's own.
    monkeypatch.setattr(
        sheetblocks, "_sheet_part", lambda package, name: "xl/worksheets/sheet2.xml"
    )
    readahead.begin(path, [schema.INSTELLINGEN_TAB], TAB)

    assert readahead.peek(path).result() is None  # the read failed: nothing to take
    table = LocalRegister(path).read([TAB])[TAB]
    assert [r["Deelnemer"] for r in table.records()] == [f"Deelnemer {n}" for n in range(300)]


@pytest.mark.parametrize(
    "xml",
    [
        b"<sheetData/>",  # nothing to cut
        b"<x:sheetData xmlns:x='http://schemas.openxmlformats.org/spreadsheetml/2006/main'>"
        b"<x:row r='1'><x:c r='A1' t='inlineStr'><x:is><x:t>a</x:t></x:is></x:c></x:row>"
        b"</x:sheetData>",  # a prefixed namespace
    ],
)
def test_a_sheet_not_laid_out_plainly_is_parsed_whole(xml):
    raw = _with_sheet(b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
                      + xml + b"</worksheet>")  # fmt: skip
    book = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(raw))
    expected = book.get_sheet_by_name(TAB).to_python(skip_empty_area=False)
    assert list(sheetblocks.blocks(raw, book, TAB, 1)) == [(0, expected)]


def _with_sheet(sheet: bytes) -> bytes:
    book = openpyxl.Workbook()
    book.active.title = TAB
    buffer = io.BytesIO()
    book.save(buffer)
    from klachtsheet.xlsxzip import Package

    package = Package(buffer.getvalue())
    package.write("xl/worksheets/sheet1.xml", sheet)
    return b"".join(package.pieces())


def test_the_part_of_a_tab_is_found_whatever_the_attribute_order_quotes_and_prefix(tmp_path):
    from klachtsheet.xlsxzip import Package

    raw = _with_sheet(b"<worksheet/>")
    package = Package(raw)
    package.write(
        "xl/workbook.xml",
        b"<x:workbook xmlns:x='http://schemas.openxmlformats.org/spreadsheetml/2006/main' "
        b"xmlns:rel='http://schemas.openxmlformats.org/officeDocument/2006/relationships'>"
        b"<x:sheets><x:sheet rel:id='rId1' sheetId='1' name='Klachten'/></x:sheets></x:workbook>",
    )
    package.write(
        "xl/_rels/workbook.xml.rels",
        b'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        b'<Relationship Target="/xl/worksheets/sheet1.xml" Id="rId1" Type="x/worksheet"/>'
        b"</Relationships>",
    )
    assert (
        sheetblocks._sheet_part(Package(b"".join(package.pieces())), TAB)
        == "xl/worksheets/sheet1.xml"
    )


def test_the_background_read_imports_nothing_in_its_thread(tmp_path):
    # An import in the thread that meets the main thread importing the same module can get
    # it half made: the read then fails and the head start is lost. All is imported first.
    register_of(tmp_path / "r.xlsx", 300)
    code = """
import importlib.abc, sys, threading
imported_in_thread = []

class Spy(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path, target=None):
        if threading.current_thread() is not threading.main_thread():
            imported_in_thread.append(name)

sys.meta_path.insert(0, Spy())
from klachtsheet import readahead
readahead.BLOCK_BYTES = 2_000
ahead = readahead.ReadAhead(sys.argv[1], ["Instellingen"], "Klachten")
assert len(list(ahead.blocks())) > 10 and ahead.result() is not None
print(imported_in_thread)
"""
    import subprocess

    found = subprocess.run(
        [sys.executable, "-c", code, str(tmp_path / "r.xlsx")],
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    assert found.stdout.strip() == "[]", found.stdout
