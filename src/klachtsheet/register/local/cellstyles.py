"""Date styles in styles.xml: a cell's own style with the Dutch date format added.

A date cell is a number with a style whose number format is a date. To keep a person's
colours and fonts, a date written into a styled cell gets a copy of that cell's style with
only the number format changed; the copy is added to ``cellXfs`` once and reused.
"""

from __future__ import annotations

import re

from klachtsheet.xlsxzip import UnusualPackage

DATE_FORMAT = "dd-mm-yyyy"
DATETIME_FORMAT = "dd-mm-yyyy hh:mm"
TEXT_FORMAT = "@"
# Formats every spreadsheet program knows by number: text is 49.
BUILTIN_FORMATS = {TEXT_FORMAT: 49}

_NUMFMTS = re.compile(rb"<numFmts\b[^>]*?(?:/>|>.*?</numFmts>)", re.S)
_NUMFMT = re.compile(rb'<numFmt\b[^>]*numFmtId="(\d+)"[^>]*formatCode="([^"]*)"[^>]*/>')
_CELLXFS = re.compile(rb"<cellXfs\b[^>]*>(.*?)</cellXfs>", re.S)
_XF = re.compile(rb"<xf\b[^>]*?(?:/>|>.*?</xf>)", re.S)
_COUNT = re.compile(rb'\scount="\d+"')


class Styles:
    """styles.xml, changed only when a new date style is needed."""

    def __init__(self, xml: bytes) -> None:
        self.xml = xml
        self.changed = False
        self._memo: dict[tuple[bytes, str], bytes] = {}
        xfs = _CELLXFS.search(xml)
        if xfs is None:
            raise UnusualPackage("styles without cellXfs")
        self._xfs = [m.group() for m in _XF.finditer(xfs.group(1))]

    def date_style(self, base: bytes, code: str) -> bytes:
        """Return the index of the style 'base' with number format 'code'."""
        key = (base, code)
        if key not in self._memo:
            self._memo[key] = self._find_or_add(int(base or b"0"), code)
        return self._memo[key]

    def _find_or_add(self, base: int, code: str) -> bytes:
        format_id = self._format_id(code)
        template = self._xfs[base] if base < len(self._xfs) else b"<xf/>"
        wanted = _set_attribute(template, b"numFmtId", str(format_id).encode())
        wanted = _set_attribute(wanted, b"applyNumberFormat", b"1")
        if wanted in self._xfs:
            return str(self._xfs.index(wanted)).encode()
        self._xfs.append(wanted)
        match = _CELLXFS.search(self.xml)
        assert match is not None
        start, end = match.span()
        block = match.group()
        opening = block[: block.find(b">") + 1]
        opening = _COUNT.sub(b' count="%d"' % len(self._xfs), opening)
        self.xml = self.xml[:start] + opening + b"".join(self._xfs) + b"</cellXfs>" + self.xml[end:]
        self.changed = True
        return str(len(self._xfs) - 1).encode()

    def _format_id(self, code: str) -> int:
        if code in BUILTIN_FORMATS:
            return BUILTIN_FORMATS[code]
        encoded = code.encode()
        block = _NUMFMTS.search(self.xml)
        existing = (
            {m.group(2): int(m.group(1)) for m in _NUMFMT.finditer(block.group())} if block else {}
        )
        if encoded in existing:
            return existing[encoded]
        new_id = max([163, *existing.values()]) + 1
        entry = b'<numFmt numFmtId="%d" formatCode="%s"/>' % (new_id, encoded)
        if block is None:
            opening_end = self.xml.index(b">", self.xml.index(b"<styleSheet")) + 1
            self.xml = (
                self.xml[:opening_end]
                + b'<numFmts count="1">'
                + entry
                + b"</numFmts>"
                + self.xml[opening_end:]
            )
        else:
            text = block.group()
            if text.endswith(b"/>"):
                text = text[:-2].rstrip() + b"></numFmts>"
            text = text.replace(b"</numFmts>", entry + b"</numFmts>")
            text = _COUNT.sub(b' count="%d"' % (len(existing) + 1), text, count=1)
            self.xml = self.xml[: block.start()] + text + self.xml[block.end() :]
        self.changed = True
        return new_id


def _set_attribute(element: bytes, name: bytes, value: bytes) -> bytes:
    pattern = re.compile(rb"\s" + name + rb'="[^"]*"')
    replacement = b" " + name + b'="' + value + b'"'
    if pattern.search(element):
        return pattern.sub(replacement, element, count=1)
    cut = 3  # after "<xf"
    return element[:cut] + replacement + element[cut:]
