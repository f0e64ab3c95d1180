"""Header rows as people leave them: one normalisation, and a refusal when row 1 is not one.

Headers are compared after ``model.normalise_header`` (trimmed, every run of whitespace
including line breaks typed into a wrapped cell made one space), and a header that
differs from the schema's only in case gets the schema's spelling. ``check``, ``read``
and the writes all see the same names.

A header row that was deleted (row 1 now holds a complaint) or moved (a row was
inserted above it) is refused: writing headers or values by position there would put
data under the wrong names.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from klachtsheet import schema
from klachtsheet.exceptions import LayoutError
from klachtsheet.model import normalise_header

# How many rows ensure_layout and the refusal look at to find a moved header row.
SCAN_ROWS = 10


def canonical(tab: str, header: Any) -> str:
    """Return the header as compared: normalised, in the schema's spelling when it is one."""
    text = normalise_header("" if header is None else str(header))
    known = schema.TABS_BY_NAME.get(tab)
    if known is not None and text and known.by_header(text) is None:
        folded = text.casefold()
        for wanted in known.headers:
            if wanted.casefold() == folded:
                return wanted
    return text


def header_row(tab: str, values: Sequence[Any]) -> list[str]:
    """Return a tab's header names from the values of its first row."""
    headers = [canonical(tab, v) for v in values]
    while headers and not headers[-1]:
        headers.pop()
    return headers


def is_header_row(tab: str, headers: Sequence[str]) -> bool:
    """Tell whether these values look like the header row of a known tab."""
    known = schema.TABS_BY_NAME.get(tab)
    if known is None:
        return True
    present = set(headers) & set(known.headers)
    # A renamed column or two is fine; a row of complaint values matches (nearly) none.
    return len(present) * 2 >= len(known.headers)


def check_rows(tab: str, rows: Sequence[Sequence[Any]]) -> None:
    """Refuse a known tab whose first rows show a missing or moved header row.

    ``rows`` are the first rows of the tab as read (row 1 first); an entirely empty tab
    is fine (``init`` gives it headers).
    """
    if tab not in schema.TABS_BY_NAME:
        return
    first = header_row(tab, rows[0] if rows else [])
    if is_header_row(tab, first) and first:
        return
    filled = [i for i, row in enumerate(rows) if any(str(v).strip() for v in row)]
    if not filled:
        return  # an empty tab: nothing to protect
    for index, row in enumerate(rows[:SCAN_ROWS]):
        if index and is_header_row(tab, header_row(tab, row)):
            raise LayoutError(moved_message(tab, index + 1))
    raise LayoutError(missing_message(tab))


def moved_message(tab: str, row: int) -> str:
    return (
        f"Tabblad '{tab}': de kopregel staat op rij {row} in plaats van rij 1 (er is "
        "waarschijnlijk een rij boven ingevoegd). Verwijder de rij(en) boven de kopregel of "
        "zet hem terug met Ongedaan maken. klachtsheet schrijft niets in dit tabblad tot de "
        "kolomnamen weer op rij 1 staan, zodat er geen gegevens onder de verkeerde kolom komen."
    )


def missing_message(tab: str) -> str:
    return (
        f"Tabblad '{tab}': rij 1 bevat niet de kolomnamen (de kopregel is waarschijnlijk "
        "verwijderd of overschreven). Zet hem terug met Ongedaan maken of via Bestand > "
        "Versiegeschiedenis. klachtsheet schrijft niets in dit tabblad tot de kopregel "
        "hersteld is, zodat er geen gegevens worden overschreven."
    )
