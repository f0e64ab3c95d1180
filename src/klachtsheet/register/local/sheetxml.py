"""One worksheet's XML, patched in place: only the rows and cells that change are rewritten.

Everything outside ``<sheetData>`` (column widths, frozen panes, autofilter, validations,
conditional formats, extensions, links to comments and drawings) is kept as bytes, and so is
every row that is not touched. A rewritten cell keeps its style; text is written as an inline
string (never a formula), a date as a serial number with a date style.
"""

from __future__ import annotations

import re
import zlib
from collections.abc import Iterator, Mapping
from functools import lru_cache
from itertools import pairwise

from klachtsheet.xlsxzip import UnusualPackage, crc32_combine

# One cell with its column letters and style picked from its start tag in the same pass
# (attributes in any order); a cell without a reference matches with group 1 empty.
_CELL_PARTS = re.compile(
    rb'<c\b(?=[^>]*?\sr="([A-Z]*)\d+")?(?=[^>]*?\ss="(\d+)")?[^>]*?(?:/>|>.*?</c>)', re.S
)
_ROW_NUMBER = re.compile(rb'\sr="(\d+)"')
_STYLE = re.compile(rb'\ss="(\d+)"')
_SPANS = re.compile(rb'\sspans="[^"]*"')
_DIMENSION = re.compile(rb'<dimension ref="([^"]*)"\s*/>')
_HEX_ESCAPE = re.compile(r"_(x[0-9A-Fa-f]{4}_)")
MAX_CELL_CHARS = 32_767  # Excel's limit for one cell


@lru_cache(maxsize=4096)
def column_letter(index: int) -> str:
    """Return the letters of a 1-based column number (1 -> A, 27 -> AA)."""
    letters = ""
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


@lru_cache(maxsize=4096)
def column_index(letters: bytes) -> int:
    index = 0
    for byte in letters:
        index = index * 26 + byte - 64
    return index


def escape_text(text: str) -> bytes:
    """Escape text for an inline string: XML entities, CR kept, '_xHHHH_' kept literally."""
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    text = text.replace("\r", "&#13;")
    if "_x" in text:
        text = _HEX_ESCAPE.sub(r"_x005F_\1", text)
    return text.encode("utf-8")


def text_cell(ref: str, style: bytes, text: str) -> bytes:
    style_attr = b' s="' + style + b'"' if style else b""
    if not text:
        return b'<c r="' + ref.encode() + b'"' + style_attr + b"/>" if style else b""
    return (
        b'<c r="'
        + ref.encode()
        + b'"'
        + style_attr
        + b' t="inlineStr"><is><t xml:space="preserve">'
        + escape_text(text)
        + b"</t></is></c>"
    )


def number_cell(ref: str, style: bytes, number: str) -> bytes:
    style_attr = b' s="' + style + b'"' if style else b""
    return b'<c r="' + ref.encode() + b'"' + style_attr + b"><v>" + number.encode() + b"</v></c>"


def _row_spans(xml: bytes, start: int, end: int) -> Iterator[tuple[int, tuple[int, int]]]:
    """Yield (row number, span) of each row between start and end, in the file's order.

    Found with bytes.find, not a regular expression: a lazy ``.*?</row>`` steps through a
    10,000-row sheet a byte at a time (a quarter of a second), find runs at memchr speed.
    Text in a row is escaped, so '</row>' only ever closes one.
    """
    find, position = xml.find, start
    while (row := find(b"<row", position, end)) >= 0:
        if xml[position:row].strip():
            raise UnusualPackage("unknown content in sheetData")
        tag_end = find(b">", row, end) + 1
        if not tag_end or xml[row + 4 : row + 5] not in _AFTER_NAME:
            raise UnusualPackage("unknown content in sheetData")
        if xml[tag_end - 2 : tag_end] == b"/>":
            position = tag_end
        elif (close := find(b"</row>", tag_end, end)) >= 0:
            position = close + 6
        else:
            raise UnusualPackage("unclosed row")
        found = _ROW_NUMBER.search(xml, row, tag_end)
        if found is None:
            raise UnusualPackage("row without a number")
        yield int(found.group(1)), (row, position)
    if xml[position:end].strip():
        raise UnusualPackage("unknown content in sheetData")


# What may follow '<row' in a row's start tag: white space, '>' or '/>'.
_AFTER_NAME = frozenset((b" ", b"\t", b"\r", b"\n", b">", b"/"))


class SheetXml:
    """The XML of one worksheet split into head, rows by number, and tail."""

    def __init__(self, xml: bytes) -> None:
        start = xml.find(b"<sheetData")
        if start < 0:
            raise UnusualPackage("no sheetData")
        open_end = xml.index(b">", start) + 1
        if xml[open_end - 2 : open_end] == b"/>":  # <sheetData/>: an empty sheet
            self.head = xml[:start] + b"<sheetData>"
            self.tail = b"</sheetData>" + xml[open_end:]
            close = open_end
        else:
            close = xml.find(b"</sheetData>", open_end)
            if close < 0:
                raise UnusualPackage("unclosed sheetData")
            self.head, self.tail = xml[:open_end], xml[close:]
        # row number -> its XML: rows read from the file are (start, end) in self._xml, so a
        # large sheet is held once; rewritten and new rows are bytes.
        self._xml = xml
        self.rows: dict[int, bytes | tuple[int, int]] = {}
        last = 0
        for number, span in _row_spans(xml, open_end, close):
            if number <= last:
                raise UnusualPackage("rows out of order")
            last = number
            self.rows[number] = span
        self._sorted = True
        self._last = last  # the highest row number: appends check it, 2,000 per first sync
        self._widest = 1
        # The rows up to a row number, joined and deflated once (ending in a full flush):
        # a save that only appends compresses the new rows and the tail, not the sheet.
        # (last row number, CRC-32 and length of those rows' XML, their deflated bytes)
        self._frozen: tuple[int, int, int, bytes | memoryview] | None = None
        self._touched_from: int | None = None

    def cells(self, number: int) -> dict[int, tuple[bytes, bytes]]:
        """Return the cells of a row: column -> (style, raw XML)."""
        row = self.row(number)
        if row is None or (row.endswith(b"/>") and b"<c" not in row):
            return {}
        result = {}
        for match in _CELL_PARTS.finditer(row):
            letters, style = match.group(1, 2)
            if not letters:
                raise UnusualPackage("cell without a reference")
            result[column_index(letters)] = (style or b"", match.group())
        return result

    def cell_style(self, number: int, ref: str) -> bytes | None:
        """Return the style of an existing cell written ``<c r="REF"``, else None.

        None also for a cell this quick look cannot find (absent, or its reference not
        its first attribute): the caller then parses the row.
        """
        span = self._cell_span(number, ref)
        if span is None:
            return None
        row, start, _ = span
        head = row[start : row.index(b">", start) + 1]
        style = _STYLE.search(head)
        return style.group(1) if style else b""

    def replace_cells(self, number: int, new_cells: Mapping[int, bytes]) -> bool:
        """Replace existing cells (column -> new XML) in place; False if one is not found."""
        row = self.row(number)
        if row is None:
            return False
        if not all(new_cells.values()):
            return False  # a cell removed: set_row also drops the row's span hint
        spans = []
        for col, xml in new_cells.items():
            span = self._cell_span(number, column_letter(col) + str(number), row)
            if span is None:
                return False
            spans.append((span[1], span[2], xml))
        spans.sort()
        if any(a[1] > b[0] for a, b in pairwise(spans)):
            return False  # overlapping: not cells as this writer knows them
        self._touch(number)
        parts, at = [], 0
        for start, end, xml in spans:
            parts += [row[at:start], xml]
            at = end
        parts.append(row[at:])
        self.rows[number] = b"".join(parts)
        return True

    def _cell_span(
        self, number: int, ref: str, row: bytes | None = None
    ) -> tuple[bytes, int, int] | None:
        row = self.row(number) if row is None else row
        if row is None:
            return None
        start = row.find(b'<c r="' + ref.encode() + b'"')
        if start < 0 or row[start + len(ref) + 7 : start + len(ref) + 8] not in (b" ", b">", b"/"):
            return None
        close = row.index(b">", start)
        if row[close - 1 : close] == b"/":
            return row, start, close + 1
        end = row.find(b"</c>", close)
        return None if end < 0 else (row, start, end + 4)

    def set_row(
        self,
        number: int,
        new_cells: Mapping[int, bytes],
        parsed: Mapping[int, tuple[bytes, bytes]] | None = None,
    ) -> None:
        """Rewrite a row: the given columns get their new cell XML (b"" removes the cell).

        ``parsed`` is what ``cells(number)`` returned, when the caller has it already.
        """
        self._touch(number)
        if parsed is None:
            parsed = self.cells(number)
        existing = {col: xml for col, (_, xml) in parsed.items()}
        existing.update(new_cells)
        self._widest = max(self._widest, *new_cells) if new_cells else self._widest
        row = self.row(number)
        if row is None:
            start = b'<row r="%d">' % number
            if self.rows and number < self._last:
                self._sorted = False
            self._last = max(self._last, number)
        else:
            start = row[: row.find(b">") + 1]
            if start.endswith(b"/>"):
                start = start[:-2].rstrip() + b">"
            start = _SPANS.sub(b"", start)  # the column span hint may no longer be right
        body = b"".join(existing[c] for c in sorted(existing) if existing[c])
        if not body and row is None:
            return
        self.rows[number] = start + body + b"</row>"

    def _touch(self, number: int) -> None:
        if self._touched_from is None or number < self._touched_from:
            self._touched_from = number

    def drop_rows_from(self, first: int) -> None:
        self._touch(first)
        for number in [n for n in self.rows if n >= first]:
            del self.rows[number]
        self._last = max(self.rows, default=0)

    def row(self, number: int) -> bytes | None:
        found = self.rows.get(number)
        return None if found is None else self._bytes(found)

    def _bytes(self, found: bytes | tuple[int, int]) -> bytes:
        return found if isinstance(found, bytes) else self._xml[found[0] : found[1]]

    def compressed(self) -> tuple[bytes, int, int]:
        """Return the sheet XML deflated (level 1), its CRC-32 and its length.

        The rows that did not change since the last save reuse their deflated bytes:
        independent deflate segments that end in a full flush concatenate into one valid
        stream, so only the head (with the new dimension), new rows and the tail are
        compressed anew.
        """
        head = self._head()
        frozen = self._frozen
        rest = b""
        if frozen is not None and (self._touched_from is None or self._touched_from > frozen[0]):
            later = []
            for number, row in reversed(self.rows.items()):
                if number <= frozen[0]:
                    break
                later.append(self._bytes(row))
            rest = b"".join(reversed(later))
        if (
            frozen is None
            or len(rest) > 1 << 20
            or (self._touched_from is not None and self._touched_from <= frozen[0])
        ):
            packer = zlib.compressobj(1, zlib.DEFLATED, -15)
            deflated_rows: list[bytes | memoryview] = []
            crc, length, chunk = 0, 0, []
            # Fed in chunks of about 1 MB, so the sheet is never joined into one copy.
            for found in self.rows.values():
                row = self._bytes(found)
                chunk.append(row)
                length += len(row)
                if len(chunk) == 2_000:
                    block = b"".join(chunk)
                    crc = zlib.crc32(block, crc)
                    deflated_rows.append(packer.compress(block))
                    chunk = []
            block = b"".join(chunk)
            crc = zlib.crc32(block, crc)
            deflated_rows += (packer.compress(block), packer.flush(zlib.Z_FULL_FLUSH))
            kept = (max(self.rows, default=0), crc, length)
            rest = b""
        else:
            kept, deflated_rows = frozen[:3], [frozen[3]]
        self._touched_from = None
        first = zlib.compressobj(1, zlib.DEFLATED, -15)
        last = zlib.compressobj(1, zlib.DEFLATED, -15)
        end = rest + self.tail
        opening = first.compress(head) + first.flush(zlib.Z_FULL_FLUSH)
        # One join for the whole member ('+' would copy the deflated sheet at each step), and
        # the deflated rows then kept as a view into it, not as a second copy: 13 MB less at
        # the peak of a save at 50,000 rows.
        data = b"".join([opening, *deflated_rows, last.compress(end), last.flush()])
        rows = memoryview(data)[len(opening) : len(opening) + sum(map(len, deflated_rows))]
        self._frozen = (*kept, rows)
        _, rows_crc, rows_length = kept
        crc = zlib.crc32(end, crc32_combine(zlib.crc32(head), rows_crc, rows_length))
        return data, crc, len(head) + rows_length + len(end)

    def _head(self) -> bytes:
        if not self._sorted:
            self.rows = dict(sorted(self.rows.items()))
            self._sorted = True
        head = self.head
        match = _DIMENSION.search(head)
        if match and self.rows:
            head = head[: match.start(1)] + self._dimension(match.group(1)) + head[match.end(1) :]
        return head

    def _dimension(self, current: bytes) -> bytes:
        last_row = max(self.rows)
        letters = re.findall(rb"([A-Z]+)\d+", current)
        widest = max([self._widest, *(column_index(r) for r in letters)])
        return b"A1:" + column_letter(widest).encode() + str(last_row).encode()
