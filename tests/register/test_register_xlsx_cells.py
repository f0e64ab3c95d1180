"""Replacing a row's cells in place gives the same row as parsing and rebuilding it."""

from __future__ import annotations

import zlib

from hypothesis import given, settings
from hypothesis import strategies as st

from klachtsheet.register.local.sheetxml import SheetXml, column_letter, text_cell

TEXT = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=["Cs", "Cc"]), max_size=12)


@st.composite
def rows(draw):
    """A row as LibreOffice, Excel or this writer may have saved it."""
    number = draw(st.integers(1, 3000))
    columns = sorted(draw(st.sets(st.integers(1, 40), min_size=1, max_size=12)))
    cells = []
    for col in columns:
        ref = f"{column_letter(col)}{number}"
        style = draw(st.sampled_from(["", ' s="3"', ' s="12"']))
        kind = draw(st.sampled_from(["inline", "empty", "number", "shared", "style-first"]))
        if kind == "inline":
            cells.append(text_cell(ref, style[4:-1].encode(), draw(TEXT) or "x").decode())
        elif kind == "empty":
            cells.append(f'<c r="{ref}"{style}/>')
        elif kind == "number":
            cells.append(f'<c r="{ref}"{style}><v>{draw(st.integers(0, 99999))}</v></c>')
        elif kind == "shared":
            cells.append(f'<c r="{ref}"{style} t="s"><v>{draw(st.integers(0, 99))}</v></c>')
        else:  # the reference not first: the quick look cannot find it
            first = style or ' s="1"'
            cells.append(f'<c{first} r="{ref}"><v>1</v></c>')
    spans = draw(st.sampled_from(["", f' spans="1:{max(columns)}"']))
    return number, columns, f'<row r="{number}"{spans}>{"".join(cells)}</row>'.encode()


def sheet(row: bytes) -> SheetXml:
    return SheetXml(b"<worksheet><sheetData>" + row + b"</sheetData></worksheet>")


@settings(max_examples=300, deadline=None)
@given(rows(), st.data())
def test_cells_replaced_in_place_equal_the_rebuilt_row(row, data):
    number, columns, xml = row
    targets = data.draw(st.lists(st.sampled_from(columns), unique=True, min_size=1, max_size=5))
    new = {
        c: text_cell(f"{column_letter(c)}{number}", b"7", data.draw(TEXT) or "y") for c in targets
    }
    quick, slow = sheet(xml), sheet(xml)
    slow.set_row(number, new)
    replaced = quick.replace_cells(number, new)
    assert quick.cells(number) == slow.cells(number) if replaced else quick.row(number) == xml
    reachable = all(sheet(xml).cell_style(number, f"{column_letter(c)}{number}") is not None
                    for c in targets)  # fmt: skip
    assert replaced == reachable
    for col in columns:
        ref = f"{column_letter(col)}{number}"
        found = sheet(xml).cell_style(number, ref)
        if found is not None:
            assert found == sheet(xml).cells(number)[col][0]


@st.composite
def sheets(draw):
    """sheetData as a program may have saved it: rows with gaps, white space, empty rows.

    Returns the XML and each row's own bytes by its number.
    """
    numbers = sorted(draw(st.sets(st.integers(1, 3000), max_size=8)))
    parts, expected = [], {}
    for number in numbers:
        _, _, xml = draw(rows())
        xml = xml.replace(xml[: xml.index(b">") + 1], b"", 1)  # keep the cells, new start tag
        attributes = draw(st.sampled_from(['r="{n}"', 'r="{n}" ht="15"', 'ht="15" r="{n}"']))
        start = draw(st.sampled_from(["<row ", "<row\n  "])) + attributes.format(n=number)
        empty = draw(st.booleans())
        xml = f"{start}/>".encode() if empty else f"{start}>".encode() + xml
        expected[number] = xml
        parts.append(draw(st.sampled_from([b"", b"\n", b"\r\n  "])) + xml)
    return b"".join(parts), expected


@settings(max_examples=200, deadline=None)
@given(sheets())
def test_rows_are_found_as_written_and_kept_byte_for_byte(drawn):
    data, expected = drawn
    xml = b'<worksheet x="1"><sheetData>' + data + b"</sheetData><mergeCells/></worksheet>"
    found = SheetXml(xml)
    assert {n: found.row(n) for n in found.rows} == expected
    # Saved byte for byte, less the white space between rows.
    deflated, crc, length = found.compressed()
    saved = zlib.decompress(deflated, -15)
    assert saved == xml.replace(data, b"".join(expected.values()))
    assert (crc, length) == (zlib.crc32(saved), len(saved))


@given(st.sampled_from([b"<rowx r='1'/>", b"<row r=\"1\"><c/>", b"<row/>", b"text<row r=\"1\"/>",
                        b'<row r="2"/><row r="1"/>', b'<row r="1"/>x']))  # fmt: skip
def test_sheet_data_not_as_rows_is_unusual(data):
    import pytest

    from klachtsheet.xlsxzip import UnusualPackage

    with pytest.raises(UnusualPackage):
        SheetXml(b"<worksheet><sheetData>" + data + b"</sheetData></worksheet>")
