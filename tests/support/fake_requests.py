"""The spreadsheet batchUpdate requests the fake applies (each on a copy: all or nothing)."""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

from support.fake_model import ApiError, Formula, Sheet, Spreadsheet, _check_cell, _inside

# -- spreadsheet batchUpdate requests ---------------------------------------------------------


def _add_sheet(book: Spreadsheet, args: dict) -> dict:
    props = copy.deepcopy(args.get("properties", {}))
    title = props.get("title") or f"Blad{len(book.sheets) + 1}"
    if book.by_title(title) is not None:
        raise ApiError(
            400, f'A sheet with the name "{title}" already exists. Please enter another name.'
        )
    if "sheetId" not in props:
        book.next_id += 1
        props["sheetId"] = book.next_id
    if any(s.properties["sheetId"] == props["sheetId"] for s in book.sheets):
        raise ApiError(400, f"Sheet with id {props['sheetId']} already exists.")
    props["title"] = title
    props.setdefault("index", len(book.sheets))
    props["sheetType"] = "GRID"
    grid = props.setdefault("gridProperties", {})
    grid.setdefault("rowCount", 1000)
    grid.setdefault("columnCount", 26)
    book.sheets.append(Sheet(props))
    return {"addSheet": {"properties": copy.deepcopy(props)}}


def _update_sheet_properties(book: Spreadsheet, args: dict) -> dict:
    props = args.get("properties", {})
    sheet = book.by_id(props.get("sheetId", 0))
    for path in (args.get("fields") or "").split(","):
        path = path.strip()
        if not path:
            continue
        source, target = props, sheet.properties
        keys = path.split(".")
        for key in keys[:-1]:
            source = source.get(key, {})
            target = target.setdefault(key, {})
        if keys[-1] in source:
            target[keys[-1]] = copy.deepcopy(source[keys[-1]])
    return {}


def _append_dimension(book: Spreadsheet, args: dict) -> dict:
    sheet = book.by_id(args.get("sheetId", 0))
    key = "rowCount" if args.get("dimension") == "ROWS" else "columnCount"
    length = int(args.get("length", 0))
    if length <= 0:
        raise ApiError(400, "length must be positive")
    sheet.grid[key] += length
    return {}


def _cell_value(cell: dict) -> Any:
    entered = cell.get("userEnteredValue", {})
    _check_cell(entered.get("stringValue"))
    if "formulaValue" in entered:
        return Formula(entered["formulaValue"])
    if "stringValue" in entered:
        return entered["stringValue"]
    if "numberValue" in entered:
        return entered["numberValue"]
    if "boolValue" in entered:
        return entered["boolValue"]
    return ""


def _update_cells(book: Spreadsheet, args: dict) -> dict:
    if "start" in args:
        start = args["start"]
        sheet = book.by_id(start.get("sheetId", 0))
        row0, col0 = start.get("rowIndex", 0), start.get("columnIndex", 0)
    else:
        area = args.get("range", {})
        sheet = book.by_id(area.get("sheetId", 0))
        row0, col0 = area.get("startRowIndex", 0), area.get("startColumnIndex", 0)
    fields = {f.strip() for f in (args.get("fields") or "").split(",")}
    if not fields & {"userEnteredValue", "note"}:
        raise ApiError(400, "fields must include userEnteredValue or note")
    rows = args.get("rows", [])
    for r, row in enumerate(rows):
        for c, cell in enumerate(row.get("values", [])):
            _inside(sheet, row0 + r, col0 + c)
            if "userEnteredValue" in fields:
                sheet.set(row0 + r, col0 + c, _cell_value(cell))
            if "note" in fields:
                if cell.get("note"):
                    sheet.notes[(row0 + r, col0 + c)] = cell["note"]
                else:
                    sheet.notes.pop((row0 + r, col0 + c), None)
    return {}


def _append_cells(book: Spreadsheet, args: dict) -> dict:
    sheet = book.by_id(args.get("sheetId", 0))
    start = sheet.used_rows()
    rows = args.get("rows", [])
    sheet.grid["rowCount"] = max(sheet.grid["rowCount"], start + len(rows))
    for r, row in enumerate(rows):
        for c, cell in enumerate(row.get("values", [])):
            _inside(sheet, 0, c)
            sheet.set(start + r, c, _cell_value(cell))
    return {}


def _repeat_cell(book: Spreadsheet, args: dict) -> dict:
    sheet = book.by_id(args.get("range", {}).get("sheetId", 0))
    sheet.formats.append(copy.deepcopy(args))
    return {}


def _update_spreadsheet_properties(book: Spreadsheet, args: dict) -> dict:
    props = args.get("properties", {})
    fields = {f.strip() for f in (args.get("fields") or "").split(",") if f.strip()}
    if not fields:
        raise ApiError(400, "fields is required")
    unknown = fields - {"locale", "timeZone", "title"}
    if unknown:
        raise ApiError(400, f"The fake does not update {sorted(unknown)}")
    if "locale" in fields:
        book.locale = props.get("locale", "")
    if "timeZone" in fields:
        book.time_zone = props.get("timeZone", "")
    if "title" in fields:
        book.title = props.get("title", "")
    return {}


def _set_basic_filter(book: Spreadsheet, args: dict) -> dict:
    basic = copy.deepcopy(args.get("filter", {}))
    area = basic.get("range", {})
    sheet = book.by_id(area.get("sheetId", 0))
    if area.get("sheetId") == 0:
        del area["sheetId"]
    sheet.basic_filter = basic
    return {}


def _update_dimension_properties(book: Spreadsheet, args: dict) -> dict:
    area = args.get("range", {})
    sheet = book.by_id(area.get("sheetId", 0))
    if area.get("dimension") != "COLUMNS" or "pixelSize" not in (args.get("fields") or ""):
        raise ApiError(400, "The fake only sets column pixelSize")
    size = int(args.get("properties", {}).get("pixelSize", 0))
    for col in range(area.get("startIndex", 0), area.get("endIndex", 0)):
        sheet.widths[col] = size
    return {}


def _set_data_validation(book: Spreadsheet, args: dict) -> dict:
    area = args.get("range", {})
    sheet = book.by_id(area.get("sheetId", 0))
    rule = args.get("rule")
    condition = (rule or {}).get("condition", {})
    if rule is not None and condition.get("type") not in ("ONE_OF_LIST", "ONE_OF_RANGE", "BOOLEAN"):
        raise ApiError(400, f"unsupported condition {condition.get('type')}")
    sheet.validations = [v for v in sheet.validations if v["range"] != area]
    if rule is not None:
        sheet.validations.append({"range": copy.deepcopy(area), "rule": copy.deepcopy(rule)})
    return {}


def _proto(value: Any) -> Any:
    """Drop what protobuf's JSON leaves out: nulls, false and empty lists."""
    if isinstance(value, dict):
        return {
            k: _proto(v) for k, v in value.items() if v is not None and v is not False and v != []
        }
    if isinstance(value, list):
        return [_proto(v) for v in value]
    return value


def _add_protected_range(book: Spreadsheet, args: dict) -> dict:
    protected = _proto(copy.deepcopy(args.get("protectedRange", {})))
    sheet = book.by_id(protected.setdefault("range", {}).get("sheetId", 0))
    book.next_id += 1
    protected = {"protectedRangeId": book.next_id, **protected}
    protected["requestingUserCanEdit"] = True  # the caller may always edit what it protects
    protected.setdefault("editors", {})
    if protected["range"].get("sheetId") == 0:
        del protected["range"]["sheetId"]  # a default value, left out as Google does
    sheet.protected_ranges.append(protected)
    reply = copy.deepcopy(protected)
    return {"addProtectedRange": {"protectedRange": reply}}


def _delete_protected_range(book: Spreadsheet, args: dict) -> dict:
    wanted = args.get("protectedRangeId")
    for sheet in book.sheets:
        for protected in sheet.protected_ranges:
            if protected["protectedRangeId"] == wanted:
                sheet.protected_ranges.remove(protected)
                return {}
    raise ApiError(400, f"No protected range with id: {wanted}")


def _add_conditional_format_rule(book: Spreadsheet, args: dict) -> dict:
    rule = copy.deepcopy(args.get("rule", {}))
    ranges = rule.get("ranges") or []
    if not ranges:
        raise ApiError(400, "rule.ranges is required")
    sheet = book.by_id(ranges[0].get("sheetId", 0))
    sheet.conditional_formats.insert(int(args.get("index", 0)), rule)
    return {}


def _delete_conditional_format_rule(book: Spreadsheet, args: dict) -> dict:
    sheet = book.by_id(args.get("sheetId", 0))
    index = int(args.get("index", 0))
    if not 0 <= index < len(sheet.conditional_formats):
        raise ApiError(400, f"No conditional format on sheet {sheet.title} at index {index}")
    del sheet.conditional_formats[index]
    return {}


def _delete_sheet(book: Spreadsheet, args: dict) -> dict:
    sheet = book.by_id(args.get("sheetId", 0))
    book.sheets.remove(sheet)
    return {}


_REQUESTS: dict[str, Callable[[Spreadsheet, dict], dict]] = {
    "addSheet": _add_sheet,
    "deleteSheet": _delete_sheet,
    "updateSheetProperties": _update_sheet_properties,
    "appendDimension": _append_dimension,
    "updateCells": _update_cells,
    "appendCells": _append_cells,
    "repeatCell": _repeat_cell,
    "updateSpreadsheetProperties": _update_spreadsheet_properties,
    "setBasicFilter": _set_basic_filter,
    "updateDimensionProperties": _update_dimension_properties,
    "setDataValidation": _set_data_validation,
    "addProtectedRange": _add_protected_range,
    "deleteProtectedRange": _delete_protected_range,
    "addConditionalFormatRule": _add_conditional_format_rule,
    "deleteConditionalFormatRule": _delete_conditional_format_rule,
}
