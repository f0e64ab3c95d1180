"""Creating and upgrading the layout with openpyxl, the right tool for building a workbook.

Used by ``init`` (new tabs, headers, settings, header styles, drop-downs) and as the
fallback that rewrites a file the fast writer does not patch (see package.UnusualPackage).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import openpyxl
from openpyxl.styles import PatternFill
from openpyxl.workbook import Workbook
from openpyxl.worksheet.worksheet import Worksheet

from klachtsheet import schema
from klachtsheet.cells import storable
from klachtsheet.exceptions import RegisterError
from klachtsheet.model import cell_text
from klachtsheet.register.local.reader import unreadable_because

LAST_ROW = 1_048_576
HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
SYNC_FILL = PatternFill("solid", fgColor="EDEDED")


def load(path: Path) -> Workbook:
    try:
        # Our own handle, closed even when openpyxl gives up half-way through a broken file.
        with open(path, "rb") as handle:
            return openpyxl.load_workbook(handle, read_only=False, data_only=False)
    except FileNotFoundError:
        raise RegisterError(f"Register {path} bestaat niet") from None
    except PermissionError:
        raise RegisterError(f"Geen toegang tot register {path}") from None
    except Exception as error:  # openpyxl raises many kinds for a damaged file
        raise RegisterError(
            f"Register {path.name} is geen leesbaar .xlsx-bestand{unreadable_because(path, error)}"
        ) from None


def ensure_layout(workbook: Workbook, tabs: Sequence[schema.Tab]) -> list[str]:
    changes = []
    for tab in tabs:
        if tab.name not in workbook.sheetnames:
            sheet = workbook.create_sheet(tab.name)
            for col, header in enumerate(tab.headers, start=1):
                set_text(sheet.cell(row=1, column=col), header)
            for row_index, row in enumerate(tab.seed_rows, start=2):
                for col, value in enumerate(row, start=1):
                    set_text(sheet.cell(row=row_index, column=col), value)
            changes.append(f"Tabblad '{tab.name}' toegevoegd")
            continue
        sheet = workbook[tab.name]
        headers = headers_of(sheet)
        present = {h.strip() for h in headers if h}
        for header in tab.headers:
            if header not in present:
                set_text(sheet.cell(row=1, column=len(headers) + 1), header)
                headers = headers_of(sheet)
                changes.append(f"Kolom '{header}' toegevoegd aan tabblad '{tab.name}'")
        if tab.name == schema.INSTELLINGEN_TAB:
            changes.extend(_ensure_settings(sheet, headers))
    return changes


def _ensure_settings(sheet: Worksheet, headers: list[str]) -> list[str]:
    name_col = headers.index("Instelling") + 1
    names = {
        cell_text(v).strip()
        for (v,) in sheet.iter_rows(min_row=2, min_col=name_col, max_col=name_col, values_only=True)
    }
    changes = []
    next_row = _last_used_row(sheet) + 1
    for setting in schema.SETTINGS:
        if setting.name not in names:
            values = {
                "Instelling": setting.name,
                "Waarde": setting.default,
                "Toelichting": setting.help,
            }
            for header, value in values.items():
                if header in headers:
                    set_text(sheet.cell(row=next_row, column=headers.index(header) + 1), value)
            next_row += 1
            changes.append(f"Instelling '{setting.name}' toegevoegd")
    return changes


def headers_of(sheet: Worksheet) -> list[str]:
    first = next(sheet.iter_rows(min_row=1, max_row=1, values_only=True), ())
    headers = [cell_text(v).strip() for v in first]
    while headers and not headers[-1]:
        headers.pop()
    return headers


def _last_used_row(sheet: Worksheet) -> int:
    row = sheet.max_row
    while row > 1 and all(
        c.value in (None, "") for c in next(sheet.iter_rows(min_row=row, max_row=row))
    ):
        row -= 1
    return row


def set_text(cell, value: object) -> None:
    """Write a value as a string cell; text starting with '=' stays text, never a formula."""
    # Values arrive through the boundary (cells.storable); this is the last guard.
    cell.value = storable(value)
    cell.data_type = "s"
