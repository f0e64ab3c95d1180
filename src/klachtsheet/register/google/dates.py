"""Dates people typed as text in a Google register, turned into date numbers."""

from __future__ import annotations

from typing import TYPE_CHECKING

from klachtsheet.register.google import formats
from klachtsheet.register.google.ranges import _header_row, _quoted, column_letter

if TYPE_CHECKING:
    from klachtsheet.register.google.register import GoogleRegister


def normalise_dates(register: GoogleRegister, tab: str) -> int:
    """Turn dates typed as text in a tab's date columns into serial numbers; return how many.

    One read of the date columns as stored (UNFORMATTED_VALUE: a real date is a number,
    typed text a string) and at most one RAW write of serial numbers.
    """
    headers = register._guess_headers(tab)
    if not headers:
        return 0
    dated = [(i, h) for i, h in enumerate(headers) if formats.is_date_column(tab, h)]
    if not dated:
        return 0
    q = _quoted(tab)
    ranges = [f"{q}!1:1"] + [f"{q}!{column_letter(i)}2:{column_letter(i)}" for i, _ in dated]
    answers = register._batch_get(ranges, unformatted=True)
    actual = _header_row((answers[0].get("values") or [[]])[0])
    if [actual[i] if i < len(actual) else "" for i, _ in dated] != [h for _, h in dated]:
        return 0  # columns moved since we looked; the next sync tries again
    cells: dict[tuple[int, str], str] = {}
    for (_, header), answer in zip(dated, answers[1:], strict=True):
        for offset, row in enumerate(answer.get("values", [])):
            value = row[0] if row else ""
            typed = isinstance(value, str) and value.strip()
            if typed and formats.cell_value(tab, header, value) != value:
                cells[(offset, header)] = value
    if cells:
        register._write_cells(tab, actual, cells)
    return len(cells)
