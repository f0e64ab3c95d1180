"""Say where a workbook is broken: the cell holding a character XML cannot hold.

openpyxl refuses a whole file when one cell holds, say, U+FFFE ("not well-formed"). This
looks into the file's XML directly and names the tab and cell, so a person can fix it.
"""

from __future__ import annotations

import html
import re
import zipfile
from pathlib import Path
from typing import IO

_ILLEGAL_RAW = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")
_REF = re.compile(r"&#(x[0-9a-fA-F]+|[0-9]+);")
_SI = re.compile(r"<si>(.*?)</si>", re.S)
_CELL = re.compile(r'<c r="([A-Z]+[0-9]+)"([^>]*)>(.*?)</c>', re.S)
_SHEET = re.compile(r"<sheet [^>]*>")
_REL = re.compile(r"<Relationship [^>]*>")


def _attribute(tag: str, name: str) -> str:
    found = re.search(rf'\s{re.escape(name)}="([^"]*)"', tag)
    return found[1] if found else ""


def _bad(text: str) -> bool:
    if _ILLEGAL_RAW.search(text):
        return True
    for ref in _REF.findall(text):
        code = int(ref[1:], 16) if ref.startswith("x") else int(ref)
        if code in (0x9, 0xA, 0xD):
            continue
        if code < 0x20 or 0xD800 <= code <= 0xDFFF or code in (0xFFFE, 0xFFFF) or code > 0x10FFFF:
            return True
    return False


def _read(archive: zipfile.ZipFile, name: str) -> str:
    return archive.read(name).decode("utf-8", errors="surrogateescape")


def broken_cells(path: Path | IO[bytes], limit: int = 5) -> list[str]:
    """Return up to ``limit`` places ('tabblad Klachten, cel F12') with illegal characters."""
    found: list[str] = []
    try:
        with zipfile.ZipFile(path) as archive:
            names = set(archive.namelist())
            shared = []
            if "xl/sharedStrings.xml" in names:
                shared = [_bad(si) for si in _SI.findall(_read(archive, "xl/sharedStrings.xml"))]
            rels = {
                _attribute(tag, "Id"): _attribute(tag, "Target")
                for tag in _REL.findall(_read(archive, "xl/_rels/workbook.xml.rels"))
            }
            for tag in _SHEET.findall(_read(archive, "xl/workbook.xml")):
                sheet_name, rel = html.unescape(_attribute(tag, "name")), _attribute(tag, "r:id")
                target = rels.get(rel, "").lstrip("/")
                member = target if target.startswith("xl/") else f"xl/{target}"
                if member not in names:
                    continue
                for ref, attributes, body in _CELL.findall(_read(archive, member)):
                    value = re.search(r"<v>([0-9]+)</v>", body)
                    if 't="s"' in attributes and value:
                        index = int(value[1])
                        bad = index < len(shared) and shared[index]
                    else:
                        bad = _bad(body)
                    if bad:
                        found.append(f"tabblad {sheet_name}, cel {ref}")
                        if len(found) >= limit:
                            return found
    except (OSError, zipfile.BadZipFile, KeyError):
        return found
    return found
