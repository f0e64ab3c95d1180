"""The Google side of the layout for work: dates as numbers, filters, notes, widths, locale.

Dates are written as serial numbers (RAW, never a formula) in columns with a DATE
number format, so Sheets sorts and filters them as dates and FORMATTED_VALUE reads
them back as dd-mm-jjjj text.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from klachtsheet import schema
from klachtsheet.model import date_cell_value, date_serial, date_text
from klachtsheet.register import presentation as p

LOCALE = "nl_NL"
TIME_ZONE = "Europe/Amsterdam"
# Pixels per character of a column width (Sheets' default 100 px fits about 12 characters).
PIXELS_PER_CHAR = 8
# Columns that hold a date and a time (the form records when a complaint came in).
MOMENTS = frozenset({(schema.KLACHTEN_TAB, "ontvangen_op"), (schema.LOGBOEK_TAB, "tijdstip")})


def column_of(tab: str, header: str) -> schema.Column | None:
    known = schema.TABS_BY_NAME.get(tab)
    return known.by_header(header) if known is not None else None


def is_date_column(tab: str, header: str) -> bool:
    column = column_of(tab, header)
    return column is not None and column.is_date


def cell_value(tab: str, header: str, text: str) -> str | float | int:
    """Return what to send (RAW) for a value: a serial number for a date, else the text."""
    if not text or not is_date_column(tab, header):
        return text
    value = date_cell_value(text)
    return text if value is None else date_serial(value)


def row_values(tab: str, headers: Sequence[str], row: Sequence[str]) -> list[str | float | int]:
    return [cell_value(tab, h, v) for h, v in zip(headers, row, strict=False)]


def comparable(tab: str, headers: Sequence[str], row: Sequence[str]) -> list[str]:
    """Return a row as it reads back: date columns in the register's own text."""
    return [
        date_text(v) if is_date_column(tab, h) else v for h, v in zip(headers, row, strict=False)
    ]


def number_format(tab: str, column: schema.Column) -> dict[str, str] | None:
    if column.is_date:
        if (tab, column.key) in MOMENTS:
            return {"type": "DATE_TIME", "pattern": p.DATETIME_PATTERN}
        return {"type": "DATE", "pattern": p.DATE_PATTERN}
    if p.is_text(tab, column):
        return {"type": "TEXT"}
    return None


def locale_problems(properties: dict[str, Any]) -> list[str]:
    """Return a Dutch line when the spreadsheet's locale or time zone is not Dutch."""
    problems = []
    locale, zone = properties.get("locale", ""), properties.get("timeZone", "")
    if locale != LOCALE:
        problems.append(
            f"De landinstelling van de spreadsheet is '{locale}', niet '{LOCALE}': Sheets leest "
            "3-5-2026 dan misschien als 5 maart; 'klachtsheet init' zet hem goed"
        )
    if zone != TIME_ZONE:
        problems.append(
            f"De tijdzone van de spreadsheet is '{zone}', niet '{TIME_ZONE}'; "
            "'klachtsheet init' zet hem goed"
        )
    return problems


def locale_request(properties: dict[str, Any]) -> tuple[list[dict[str, Any]], list[str]]:
    if not locale_problems(properties):
        return [], []
    request = {
        "updateSpreadsheetProperties": {
            "properties": {"locale": LOCALE, "timeZone": TIME_ZONE},
            "fields": "locale,timeZone",
        }
    }
    return [request], [
        f"Landinstelling van de spreadsheet gezet op Nederland ({LOCALE}) en tijdzone {TIME_ZONE}"
    ]


def tab_requests(
    sheet_id: int, tab: schema.Tab, headers: Sequence[str], values: Sequence[Sequence[str]]
) -> list[dict[str, Any]]:
    """Return the requests for frozen panes, filter, widths, notes, formats and wrapping."""
    frozen_columns = 1 if tab.name in p.FROZEN_FIRST_COLUMN else 0
    requests: list[dict[str, Any]] = [
        {
            "updateSheetProperties": {
                "properties": {
                    "sheetId": sheet_id,
                    "gridProperties": {"frozenRowCount": 1, "frozenColumnCount": frozen_columns},
                },
                "fields": "gridProperties.frozenRowCount,gridProperties.frozenColumnCount",
            }
        },
        {
            "setBasicFilter": {
                "filter": {
                    "range": {
                        "sheetId": sheet_id,
                        "startRowIndex": 0,
                        "startColumnIndex": 0,
                        "endColumnIndex": max(len(headers), 1),
                    }
                }
            }
        },
    ]
    notes = []
    for index, header in enumerate(headers):
        column = tab.by_header(header)
        contents = [row[index] if index < len(row) else "" for row in values]
        requests.append(
            {
                "updateDimensionProperties": {
                    "range": {
                        "sheetId": sheet_id,
                        "dimension": "COLUMNS",
                        "startIndex": index,
                        "endIndex": index + 1,
                    },
                    "properties": {
                        "pixelSize": int(p.width(tab.name, header, contents) * PIXELS_PER_CHAR)
                    },
                    "fields": "pixelSize",
                }
            }
        )
        notes.append({"note": p.note(tab.name, column)} if column is not None else {})
        if column is None:
            continue
        fmt: dict[str, Any] = {}
        fields = []
        numbers = number_format(tab.name, column)
        if numbers is not None:
            fmt["numberFormat"] = numbers
            fields.append("userEnteredFormat.numberFormat")
        if p.is_long(tab.name, column):
            fmt["wrapStrategy"] = "WRAP"
            fmt["verticalAlignment"] = "TOP"
            fields += ["userEnteredFormat.wrapStrategy", "userEnteredFormat.verticalAlignment"]
        if fmt:
            requests.append(
                {
                    "repeatCell": {
                        "range": {
                            "sheetId": sheet_id,
                            "startRowIndex": 1,
                            "startColumnIndex": index,
                            "endColumnIndex": index + 1,
                        },
                        "cell": {"userEnteredFormat": fmt},
                        "fields": ",".join(fields),
                    }
                }
            )
    requests.append(
        {
            "updateCells": {
                "start": {"sheetId": sheet_id, "rowIndex": 0, "columnIndex": 0},
                "rows": [{"values": notes}],
                "fields": "note",
            }
        }
    )
    return requests
