"""The one text boundary: every value that goes into a register passes :func:`storable`.

Both backends must be able to store and read back what we write: an xlsx file is XML, so
characters XML 1.0 forbids (most C0 controls, U+FFFE/U+FFFF), noncharacters and lone
surrogates would make the whole workbook unreadable; Google Sheets refuses cells over
50,000 characters. Everything else a person typed is kept exactly.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

MAX_CELL_CHARS = 50_000  # Google Sheets' limit for one cell; the smallest of both backends
# Cut text ends visibly, so nobody mistakes it for the whole story.
CUT_MARK = " … [ingekort: te lang voor één cel]"

# Line breaks of every kind become "\n": CR LF, lone CR, NEL, LINE and PARAGRAPH SEPARATOR,
# and the vertical tab / form feed (XML-illegal, but meant as breaks).
_BREAKS = re.compile("\r\n|[\r\x0b\x0c\x85\u2028\u2029]")
# XML 1.0 forbids these C0 controls (tab and newline are fine).
_XML_ILLEGAL = re.compile("[\x00-\x08\x0e-\x1f]")
# Lone surrogates (from surrogateescape or broken UTF-16) cannot be encoded at all.
_SURROGATES = re.compile("[\ud800-\udfff]")
# Noncharacters: U+FDD0..U+FDEF and the last two code points of every plane.
_NONCHARACTERS = re.compile(
    "[\ufdd0-\ufdef"
    + "".join(
        f"{chr(plane * 0x10000 + 0xFFFE)}{chr(plane * 0x10000 + 0xFFFF)}" for plane in range(17)
    )
    + "]"
)
REPLACEMENT = "\ufffd"


@dataclass(frozen=True)
class Cleaned:
    """What :func:`clean` made of a text, and whether anything beyond line breaks changed."""

    text: str
    # Characters removed or replaced (not counting line-break normalisation).
    changed: bool = False
    # The text was cut to the cell limit.
    cut: bool = False


def clean(text: object, limit: int = MAX_CELL_CHARS) -> Cleaned:
    """Return a storable version of text and what had to change."""
    value = "" if text is None else str(text)
    value = _BREAKS.sub("\n", value)
    before = len(value)
    value = _SURROGATES.sub(REPLACEMENT, value)
    replaced = value.count(REPLACEMENT) - (_BREAKS.sub("\n", str(text or "")).count(REPLACEMENT))
    value = _XML_ILLEGAL.sub("", value)
    value = _NONCHARACTERS.sub("", value)
    changed = len(value) != before or replaced > 0
    cut = len(value) > limit
    if cut:
        value = value[: limit - len(CUT_MARK)] + CUT_MARK
    return Cleaned(value, changed, cut)


def storable(text: object) -> str:
    """Return text as both backends store it: same characters, minus what cannot be stored.

    Line breaks become ``\\n``; XML-illegal characters and noncharacters are removed; lone
    surrogates become U+FFFD; text over 50,000 characters is cut (ending in CUT_MARK).
    """
    if (
        type(text) is str
        and text.isprintable()
        and len(text) <= MAX_CELL_CHARS
        and not _NONCHARACTERS.search(text)
        and not _SURROGATES.search(text)
    ):
        return text  # fast path: printable, no break or control character
    return clean(text).text


def too_long(text: str, limit: int = MAX_CELL_CHARS) -> bool:
    """Tell whether text would be cut by :func:`storable`."""
    return len(_BREAKS.sub("\n", text)) > limit
