"""The one text boundary (cells.storable) and Logboek lines that a replay never adds twice."""

from __future__ import annotations

import openpyxl
from hypothesis import given, settings
from hypothesis import strategies as st

from klachtsheet import schema
from klachtsheet.cells import CUT_MARK, MAX_CELL_CHARS, clean, storable
from klachtsheet.register.local import LocalRegister
from klachtsheet.sync import logbook

ANY_TEXT = st.text(st.characters(codec=None, exclude_categories=()), max_size=300)


def test_line_separators_become_newlines_and_the_rest_is_kept():
    assert storable("a\u2028b\u2029c\x85d\r\ne\rf") == "a\nb\nc\nd\ne\nf"
    assert storable("Zoë 😀 ﷺ \t tab") == "Zoë 😀 ﷺ \t tab"
    assert storable("=IMPORTXML(1)") == "=IMPORTXML(1)"


def test_what_xml_cannot_hold_is_removed_or_replaced():
    assert storable("a\x00b\x1fc\ufffe\uffff\U0001fffe\ufdd0d") == "abcd"
    assert storable("a\ud800b") == "a\ufffdb"
    assert clean("a\x01").changed and not clean("a\u2028").changed


def test_the_cell_limit_cuts_with_an_ellipsis():
    text = storable("x" * 60_000)
    assert len(text) == MAX_CELL_CHARS and text.endswith(CUT_MARK)


@settings(max_examples=60, deadline=None)
@given(ANY_TEXT)
def test_storable_is_idempotent_and_encodable(text):
    once = storable(text)
    assert storable(once) == once
    once.encode("utf-8")  # no lone surrogate left
    assert "\r" not in once and "\u2028" not in once


def test_a_workbook_with_any_text_still_opens(tmp_path):
    path = tmp_path / "r.xlsx"
    register = LocalRegister(path)
    register.ensure_layout(schema.TABS)
    nasty = "".join(chr(c) for c in range(0, 0x3000) if not 0xD800 <= c <= 0xDFFF)
    nasty += "\ud800\udfff\ufffe\uffff\U0010ffff\U0001f600"
    register.append(schema.KLACHTEN_TAB, [{"Omschrijving": nasty, "Deelnemer": "x\u2028y"}])
    book = openpyxl.load_workbook(path)
    sheet = book[schema.KLACHTEN_TAB]
    headers = [c.value for c in sheet[1]]
    row = {h: c.value for h, c in zip(headers, sheet[2], strict=False)}
    assert row["Deelnemer"] == "x\ny"
    assert row["Omschrijving"] == storable(nasty)


def test_a_replayed_logboek_batch_adds_nothing_local(tmp_path):
    path = tmp_path / "r.xlsx"
    register = LocalRegister(path)
    register.ensure_layout(schema.TABS)
    lines = [logbook.entry("K-1", "Ingevoerd via formulier"), logbook.entry("K-2", "Iets")]
    register.append(schema.LOGBOEK_TAB, lines)
    register.append(schema.LOGBOEK_TAB, lines)
    register.append(schema.LOGBOEK_TAB, [lines[1], logbook.entry("K-3", "Nieuw")])
    rows = register.read([schema.LOGBOEK_TAB])[schema.LOGBOEK_TAB]
    assert rows.column("Nummer") == ["K-1", "K-2", "K-3"]
    assert len(set(rows.column("Id"))) == 3


def test_an_old_logboek_without_the_id_column_still_takes_lines(tmp_path):
    path = tmp_path / "r.xlsx"
    register = LocalRegister(path)
    old = schema.Tab(schema.LOGBOEK_TAB, schema.LOGBOEK.columns[:-1])
    register.ensure_layout((schema.KLACHTEN, old))
    register.append(schema.LOGBOEK_TAB, [logbook.entry("K-1", "Iets")])
    rows = register.read([schema.LOGBOEK_TAB])[schema.LOGBOEK_TAB]
    assert rows.column("Nummer") == ["K-1"]


def test_a_workbook_broken_elsewhere_names_the_cell(tmp_path):
    import zipfile

    import pytest

    from klachtsheet.exceptions import RegisterError

    path = tmp_path / "r.xlsx"
    register = LocalRegister(path)
    register.ensure_layout(schema.TABS)
    register.append(schema.KLACHTEN_TAB, [{"Omschrijving": "PLEKHOUDER"}])
    broken = tmp_path / "kapot.xlsx"
    with zipfile.ZipFile(path) as source, zipfile.ZipFile(broken, "w") as target:
        for item in source.infolist():
            data = source.read(item.filename)
            target.writestr(item, data.replace(b"PLEKHOUDER", "kapot\uffff".encode()))
    headers = list(schema.KLACHTEN.headers)
    column = openpyxl.utils.get_column_letter(headers.index("Omschrijving") + 1)
    # The fast reader (calamine) still reads such a file: the register stays usable...
    [row] = LocalRegister(broken).read([schema.KLACHTEN_TAB])[schema.KLACHTEN_TAB].records()
    assert row["Omschrijving"].startswith("kapot")
    # ...and what needs openpyxl (init) says which cell to repair instead of failing blind.
    with pytest.raises(RegisterError, match=f"tabblad Klachten, cel {column}2"):
        LocalRegister(broken).ensure_layout(schema.TABS)
