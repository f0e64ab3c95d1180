"""A big sheet parsed in blocks of consecutive rows, each block a workbook of its own.

calamine parses a sheet whole, so to hand out the first rows before the last are parsed
(see ``readahead``), the sheet's XML is cut before a ``<row r="…">`` every so many bytes
and each piece is wrapped in a small stored zip with the workbook's other parts (styles
for dates, shared strings, the 1904 setting): calamine reads each exactly as it reads that
stretch of the whole sheet. A sheet that is small, or not laid out plainly, is parsed
whole as one block.

This runs in the read-ahead's thread while the main thread imports and reviews, so it
imports nothing beyond what is already loaded (no zipfile, no ElementTree: their imports
would hold the interpreter lock for 10 ms each).
"""

from __future__ import annotations

import io
import itertools
import posixpath
import re
import zlib

from klachtsheet.xlsxzip import Package, UnusualPackage, stored

TYPE_CHECKING = False  # not typing's: see readahead.py
if TYPE_CHECKING:
    from collections.abc import Iterator
    from typing import Any

# Each block's workbook parses the shared strings again: blocks are worth it only while
# those are small beside the sheet (a file this program wrote holds none; one saved by
# LibreOffice or Excel holds every text there, and is parsed whole).
SHARED_STRINGS_SHARE = 0.02

_OPEN, _CLOSE, _ROW = b"<sheetData>", b"</sheetData>", b'<row r="'
_WORKBOOK, _RELS = "xl/workbook.xml", "xl/_rels/workbook.xml.rels"
_TAG = re.compile(rb"<(?:\w+:)?(sheet|Relationship)\s([^>]*)>")
_ATTRIBUTE = re.compile(rb"""(?:(\w+):)?(\w+)\s*=\s*(?:"([^"]*)"|'([^']*)')""")


def blocks(
    raw: bytes, workbook: Any, name: str, block_bytes: int
) -> Iterator[tuple[int, list[list[Any]]]]:
    """Yield (index of the first row, its rows from column A) for each block, in order."""
    pieces = _cut(raw, name, block_bytes)
    if pieces is None:
        yield 0, workbook.get_sheet_by_name(name).to_python(skip_empty_area=False)
        return
    import python_calamine

    for piece in pieces:
        book = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(piece))
        sheet = book.get_sheet_by_name(name)
        if sheet.start is None:  # a block without a single cell
            continue
        first, column = sheet.start
        rows = sheet.to_python(skip_empty_area=True)
        if column:
            rows = [[*[""] * column, *row] for row in rows]
        yield first, rows


def _cut(raw: bytes, name: str, block_bytes: int) -> Iterator[bytes] | None:
    """Return the workbooks of the sheet's blocks, made one at a time; None to read it whole."""
    try:
        package = Package(raw)
        part = _sheet_part(package, name)
        size = package.size(part) if part is not None else 0
        if part is None or size < 2 * block_bytes:
            return None
        others = []
        for member in package.members:
            if member.name == part or member.name.startswith(("xl/worksheets/", "xl/media/")):
                continue  # calamine needs every part but the other sheets and media
            if member.name.endswith("sharedStrings.xml") and package.size(member.name) > (
                size * SHARED_STRINGS_SHARE
            ):
                return None
            data = package.read(member.name)
            others.append((member.name, data, zlib.crc32(data)))
        xml = package.read(part)
    except (KeyError, UnusualPackage, zlib.error):
        return None
    start, end = xml.find(_OPEN), xml.rfind(_CLOSE)
    if start < 0 or end < start:
        return None  # <sheetData/>, a prefixed namespace, …: parsed whole
    start += len(_OPEN)
    cuts = [start]
    while (cut := xml.find(_ROW, cuts[-1] + block_bytes, end)) > 0:
        cuts.append(cut)
    cuts.append(end)
    return _pieces(xml, cuts, part, others)


def _pieces(
    xml: bytes, cuts: list[int], part: str, others: list[tuple[str, bytes, int]]
) -> Iterator[bytes]:
    head, tail = xml[: cuts[0]], xml[cuts[-1] :]
    for begin, end in itertools.pairwise(cuts):
        sheet = b"".join((head, xml[begin:end], tail))
        yield stored([*others, (part, sheet, zlib.crc32(sheet))])


def _sheet_part(package: Package, name: str) -> str | None:
    """Return the part the workbook names for a tab, found the common way, or None.

    Only a guess, and safe: a block's workbook holds no other sheet, so calamine, which
    finds the tab's part itself, fails on a wrong guess and the sheet is read whole.
    """
    wanted = name.encode("utf-8").replace(b"&", b"&amp;").replace(b"<", b"&lt;")
    rel_id = None
    for tag, attributes in _TAG.findall(package.read(_WORKBOOK)):
        found = _attributes(attributes)
        if tag == b"sheet" and found.get(b"name") == wanted:
            rel_id = found.get(b"r:id")
    for tag, attributes in _TAG.findall(package.read(_RELS)):
        found = _attributes(attributes)
        if tag == b"Relationship" and rel_id is not None and found.get(b"Id") == rel_id:
            target = found.get(b"Target", b"").decode("utf-8")
            return posixpath.normpath(target[1:] if target.startswith("/") else "xl/" + target)
    return None


def _attributes(text: bytes) -> dict[bytes, bytes]:
    # The relationship's prefix is "r" by custom only: any prefixed "id" is taken as it.
    return {
        (b"r:id" if prefix and key == b"id" else key): double or single
        for prefix, key, double, single in _ATTRIBUTE.findall(text)
    }
