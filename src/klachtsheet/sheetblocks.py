"""A big sheet parsed in blocks of consecutive rows, each block a workbook of its own.

calamine parses a sheet whole, so to hand out the first rows before the last are parsed
(see ``readahead``), the sheet's XML is cut before a ``<row r="…">`` every so many bytes
and each piece is wrapped in a small stored zip with the workbook's other parts (styles
for dates, shared strings, the 1904 setting): calamine reads each exactly as it reads that
stretch of the whole sheet. A sheet that is small, or not laid out plainly, is parsed
whole as one block.

This runs in the read-ahead's thread while the main thread imports and reviews; what it
uses is imported before that thread starts (see readahead), and it finds the sheet's part
as the writer does (``xlsxzip.sheet_parts``). No zipfile: the main thread never needs it,
and its import holds the interpreter lock for 10 ms.
"""

from __future__ import annotations

import io
import itertools
import zlib

from klachtsheet.xlsxzip import Package, UnusualPackage, sheet_parts, stored

TYPE_CHECKING = False  # not typing's: see readahead.py
if TYPE_CHECKING:
    from collections.abc import Iterator
    from typing import Any

# Each block's workbook parses the shared strings again: blocks are worth it only while
# those are small beside the sheet (a file this program wrote holds none; one saved by
# LibreOffice or Excel holds every text there, and is parsed whole).
SHARED_STRINGS_SHARE = 0.02

# A member of a block's workbook: name, data in pieces, CRC-32.
Member = tuple[str, tuple[bytes | memoryview, ...], int]

_OPEN, _CLOSE, _ROW = b"<sheetData>", b"</sheetData>", b'<row r="'
_END = b"</sheetData></worksheet>"
_STEP = 1 << 18  # bytes of compressed XML inflated at a time


def blocks(
    raw: bytes, workbook: Any, name: str, block_bytes: int
) -> Iterator[tuple[int, list[list[Any]]]]:
    """Yield (index of the first row, its rows from column A) for each block, in order."""
    pieces = _cut(raw, name, block_bytes)
    try:
        first_piece = next(pieces, None) if pieces is not None else None
    except _NotPlain:
        first_piece = None
    if first_piece is None or pieces is None:
        yield 0, workbook.get_sheet_by_name(name).to_python(skip_empty_area=False)
        return
    import python_calamine

    for piece in itertools.chain((first_piece,), pieces):
        book = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(piece))
        sheet = book.get_sheet_by_name(name)
        if sheet.start is None:  # a block without a single cell
            continue
        first, column = sheet.start
        rows = sheet.to_python(skip_empty_area=True)
        if column:
            rows = [[*[""] * column, *row] for row in rows]
        yield first, rows


class _NotPlain(Exception):
    """The sheet's XML is not laid out as the cutting expects: parse it whole."""


def _cut(raw: bytes, name: str, block_bytes: int) -> Iterator[bytes] | None:
    """Return the workbooks of the sheet's blocks, made one at a time; None to read it whole."""
    try:
        package = Package(raw)
        part = _sheet_part(package, name)
        size = package.size(part) if part is not None else 0
        if part is None or size < 2 * block_bytes:
            return None
        sheet = package.by_name[part]
        if sheet.method not in (0, 8):
            return None
        others: list[Member] = []
        for member in package.members:
            if member.name == part or member.name.startswith(("xl/worksheets/", "xl/media/")):
                continue  # calamine needs every part but the other sheets and media
            if member.name.endswith("sharedStrings.xml") and package.size(member.name) > (
                size * SHARED_STRINGS_SHARE
            ):
                return None
            data = package.read(member.name)
            others.append((member.name, (data,), zlib.crc32(data)))
    except (KeyError, UnusualPackage, zlib.error):
        return None
    return _pieces(_inflated(sheet.compressed, sheet.method), part, others, block_bytes)


def _inflated(data: bytes, method: int) -> Iterator[bytes]:
    """Yield a member's XML a piece at a time: a 50,000-row sheet is 80 MB inflated."""
    view = memoryview(data)
    inflater = zlib.decompressobj(-15) if method == 8 else None
    for at in range(0, len(view), _STEP):
        yield (
            inflater.decompress(view[at : at + _STEP]) if inflater else bytes(view[at : at + _STEP])
        )
    if inflater is not None:
        yield inflater.flush()


def _pieces(
    chunks: Iterator[bytes], part: str, others: list[Member], block_bytes: int
) -> Iterator[bytes]:
    """Cut the sheet's rows into blocks of about ``block_bytes`` and wrap each in a workbook."""
    buffer = bytearray()
    head = b""
    close = -1
    for chunk in itertools.chain(chunks, (b"",)):
        searched = max(len(buffer) - len(_CLOSE), 0)
        buffer += chunk
        if not head:
            start = buffer.find(_OPEN)
            if start < 0:
                if not chunk:
                    raise _NotPlain("no <sheetData>")  # <sheetData/>, a prefix, …
                continue
            head, buffer[: start + len(_OPEN)] = bytes(buffer[: start + len(_OPEN)]), b""
            if b"<worksheet" not in head:
                raise _NotPlain("a prefixed worksheet")
            searched = 0
        close = buffer.find(_CLOSE, searched)
        limit = close if close >= 0 else len(buffer)
        # The values need only the rows: every block ends as the sheet's rows would.
        while (cut := buffer.find(_ROW, block_bytes, limit)) > 0:
            yield _piece(head, buffer, cut, part, others)
            del buffer[:cut]
            limit -= cut
        if close >= 0:
            yield _piece(head, buffer, limit, part, others)
            return
    raise _NotPlain("no </sheetData>")


def _piece(head: bytes, buffer: bytearray, end: int, part: str, others: list[Member]) -> bytes:
    """Return the workbook of the rows in the buffer up to ``end``."""
    rows = memoryview(buffer)[:end]  # not a copy; let go before the buffer is cut shorter
    try:
        crc = zlib.crc32(_END, zlib.crc32(rows, zlib.crc32(head)))
        sheet: Member = (part, (head, rows, _END), crc)
        return stored([*others, sheet])
    finally:
        rows.release()


def _sheet_part(package: Package, name: str) -> str | None:
    """Return the part the workbook's relations name for a tab, or None."""
    paths, _ = sheet_parts(package)
    return paths.get(name)
