"""The workbook laid out for work (openpyxl): filters, frozen Nummer, widths, notes, colours.

Called from ``LocalRegister.ensure_layout``; also turns a date column's text into a
real date cell when a value is written, and normalises dates people typed as text.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from openpyxl.comments import Comment
from openpyxl.formatting.rule import FormulaRule
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.workbook import Workbook
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from klachtsheet import schema
from klachtsheet.model import cell_text, date_cell_value
from klachtsheet.register import presentation as p

LAST_ROW = 1_048_576
HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
SYNC_FILL = PatternFill("solid", fgColor="EDEDED")
OVERDUE_FILL = PatternFill("solid", start_color="FCD1D1", end_color="FCD1D1", bgColor="FCD1D1")
WRAP = Alignment(wrap_text=True, vertical="top")
TOP = Alignment(vertical="top")
AUTHOR = "klachtsheet"
TEXT_FORMAT = "@"


def column_of(tab: str, header: str) -> schema.Column | None:
    """Return the schema column of a header, None for a tab or column people added."""
    known = schema.TABS_BY_NAME.get(tab)
    return known.by_header(header) if known is not None else None


def put_date(cell, text: str, column: schema.Column | None) -> bool:
    """Write a date column's text as a real date cell; False when it is no date column or date."""
    if column is None or not column.is_date:
        return False
    value = date_cell_value(text)
    if value is None:
        return False
    cell.value = value
    cell.number_format = p.DATETIME_PATTERN if isinstance(value, datetime) else p.DATE_PATTERN
    return True


def style_text_cell(cell, tab: str, column: schema.Column | None) -> None:
    """Give a text cell the format of its column: text (@) or wrapped."""
    if p.is_text(tab, column):
        cell.number_format = TEXT_FORMAT
    if p.is_long(tab, column):
        cell.alignment = WRAP


def normalise_dates(sheet: Worksheet) -> int:
    """Turn dates typed as text in the date columns into real date cells; return how many."""
    headers = _headers(sheet)
    changed = 0
    for index, header in enumerate(headers, start=1):
        column = column_of(sheet.title, header)
        if column is None or not column.is_date:
            continue
        for (cell,) in sheet.iter_rows(min_row=2, min_col=index, max_col=index):
            text = cell.value
            if isinstance(text, str) and text.strip() and put_date(cell, text, column):
                changed += 1
    return changed


def apply(workbook: Workbook, tabs: Sequence[schema.Tab]) -> list[str]:
    """Lay out every tab for work; return a Dutch line per tab that lacked the layout."""
    changes = []
    for tab in tabs:
        if tab.name not in workbook.sheetnames:
            continue
        sheet = workbook[tab.name]
        laid_out = _is_laid_out(sheet, tab)
        if not laid_out:
            changes.append(
                f"Tabblad '{tab.name}' opgemaakt: filterknoppen, vaste kopregel, "
                "kolombreedtes en toelichting bij elke kolom"
            )
        widened = _lay_out(workbook, sheet, tab)
        if laid_out and widened:
            changes.append(f"Kolombreedtes van tabblad '{tab.name}' aangepast aan de inhoud")
    return changes


def _is_laid_out(sheet: Worksheet, tab: schema.Tab) -> bool:
    headers = _headers(sheet)
    if sheet.auto_filter.ref is None or sheet.freeze_panes != _freeze(tab):
        return False
    for index, header in enumerate(headers, start=1):
        if column_of(tab.name, header) and sheet.cell(row=1, column=index).comment is None:
            return False
    if tab.name == schema.KLACHTEN_TAB:
        return any(_is_ours(rule) for cf in sheet.conditional_formatting for rule in cf.rules)
    return True


def _freeze(tab: schema.Tab) -> str:
    return "B2" if tab.name in p.FROZEN_FIRST_COLUMN else "A2"


def _lay_out(workbook: Workbook, sheet: Worksheet, tab: schema.Tab) -> bool:
    """Apply the layout; return whether a column had to be widened for its content."""
    headers = _headers(sheet)
    widened = False
    sheet.freeze_panes = _freeze(tab)
    last = get_column_letter(max(len(headers), 1))
    sheet.auto_filter.ref = f"A1:{last}{LAST_ROW}"
    sheet.data_validations.dataValidation = []
    values = _column_values(sheet, len(headers))
    for index, header in enumerate(headers, start=1):
        letter = get_column_letter(index)
        column = tab.by_header(header)
        cell = sheet.cell(row=1, column=index)
        cell.font = Font(bold=True)
        cell.fill = SYNC_FILL if column and column.owner is schema.Owner.SYNC else HEADER_FILL
        cell.alignment = WRAP
        dimension = sheet.column_dimensions[letter]
        wanted = p.width(tab.name, header, values[index - 1])
        # Only ever wider: a column a person made wider stays so.
        if dimension.width is None or dimension.width < wanted - 0.5:
            widened = widened or bool(dimension.width)
            dimension.width = wanted
        if column is None:
            continue
        text = p.note(tab.name, column)
        if text:
            comment = Comment(text, AUTHOR)
            comment.width, comment.height = 260, 90
            cell.comment = comment
        if column.is_date:
            dimension.number_format = (
                p.DATETIME_PATTERN if tab.name == schema.LOGBOEK_TAB else p.DATE_PATTERN
            )
        elif p.is_text(tab.name, column):
            dimension.number_format = TEXT_FORMAT
        if p.is_long(tab.name, column):
            dimension.alignment = WRAP
            for (data_cell,) in sheet.iter_rows(min_row=2, min_col=index, max_col=index):
                if data_cell.value not in (None, ""):
                    data_cell.alignment = WRAP
        _add_validation(workbook, sheet, column, letter)
    if tab.name == schema.KLACHTEN_TAB:
        _overdue_rule(sheet, headers)
    return widened


def _column_values(sheet: Worksheet, width: int) -> list[list[str]]:
    columns: list[list[str]] = [[] for _ in range(width)]
    for row in sheet.iter_rows(min_row=2, max_row=min(sheet.max_row, p.SAMPLE_ROWS + 1)):
        for index, cell in enumerate(row[:width]):
            columns[index].append(cell_text(cell.value))
    return columns


def _add_validation(
    workbook: Workbook, sheet: Worksheet, column: schema.Column, letter: str
) -> None:
    formula = None
    if column.allowed:
        formula = '"' + ",".join(column.allowed) + '"'
    elif column.choices_from and column.choices_from[0] in workbook.sheetnames:
        source_tab, source_header = column.choices_from
        source_headers = _headers(workbook[source_tab])
        if source_header in source_headers:
            source_letter = get_column_letter(source_headers.index(source_header) + 1)
            formula = f"{quote_sheetname(source_tab)}!${source_letter}$2:${source_letter}$1000"
    synced = column.owner is schema.Owner.SYNC
    if formula is None and not synced:
        return
    # A warning, not a stop: an unknown category must be typeable so the sync can propose it.
    validation = DataValidation(
        type="list" if formula else None,
        formula1=formula,
        allow_blank=True,
        errorStyle="warning",
        showErrorMessage=formula is not None,
        errorTitle="Onbekende waarde",
        error=f"Kies een waarde uit de lijst voor '{column.header}'.",
        showInputMessage=synced,
        promptTitle=p.SYNC_TITLE if synced else None,
        prompt=p.SYNC_NOTE if synced else None,
    )
    validation.add(f"{letter}2:{letter}{LAST_ROW}")
    sheet.add_data_validation(validation)


def _overdue_rule(sheet: Worksheet, headers: list[str]) -> None:
    formula = p.overdue_formula(headers, lambda i: get_column_letter(i + 1), mark=p.RULE_MARK)
    kept = []
    for cf in sheet.conditional_formatting:
        rules = [rule for rule in cf.rules if not _is_ours(rule)]
        if rules:
            kept.append((cf.sqref, rules))
    sheet.conditional_formatting = type(sheet.conditional_formatting)()
    for sqref, rules in kept:
        for rule in rules:
            sheet.conditional_formatting.add(str(sqref), rule)
    if formula is None:
        return
    last = get_column_letter(len(headers))
    rule = FormulaRule(formula=[formula], fill=OVERDUE_FILL, stopIfTrue=False)
    sheet.conditional_formatting.add(f"A2:{last}{LAST_ROW}", rule)


def _is_ours(rule) -> bool:
    return any(p.RULE_MARK in str(f) for f in (rule.formula or ()))


def _headers(sheet: Worksheet) -> list[str]:
    first = next(sheet.iter_rows(min_row=1, max_row=1, values_only=True), ())
    headers = [cell_text(v).strip() for v in first]
    while headers and not headers[-1]:
        headers.pop()
    return headers
