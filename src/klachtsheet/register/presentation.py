"""How the register looks, the same in both backends: notes, widths, text and date columns.

Backend-neutral facts only; ``xlsx_layout`` (openpyxl) and the Google backend turn them
into their own formatting.
"""

from __future__ import annotations

from collections.abc import Sequence

from klachtsheet import schema

# Columns of running text: wide and wrapped.
LONG_TEXT: frozenset[tuple[str, str]] = frozenset(
    {
        (schema.KLACHTEN_TAB, "adres"),
        (schema.KLACHTEN_TAB, "omschrijving"),
        (schema.KLACHTEN_TAB, "oplossing_1e_lijn"),
        (schema.KLACHTEN_TAB, "oplossing"),
        (schema.KLACHTEN_TAB, "notities"),
        (schema.KLACHTEN_TAB, "controle"),
        (schema.CATEGORIEEN_TAB, "ook_bekend_als"),
        (schema.INSTELLINGEN_TAB, "toelichting"),
        (schema.LOGBOEK_TAB, "details"),
        (schema.AGENDA_TAB, "regel"),
    }
)
# Columns that look like numbers but are text: a leading 0 must survive.
TEXT_COLUMNS: frozenset[tuple[str, str]] = frozenset(
    {(schema.KLACHTEN_TAB, "telefoon"), (schema.KLACHTEN_TAB, "deelnemernummer")}
)
# Tabs whose first column (the Nummer) stays in view while scrolling right.
FROZEN_FIRST_COLUMN = frozenset({schema.KLACHTEN_TAB})

DATE_PATTERN = "dd-mm-yyyy"
DATETIME_PATTERN = "dd-mm-yyyy hh:mm"

LONG_WIDTH = 50
MAX_WIDTH = 40
MIN_WIDTH = 8
# Room for the bold header and its filter button.
HEADER_EXTRA = 4
SAMPLE_ROWS = 2000

SYNC_TITLE = "Gevuld door klachtsheet"
SYNC_NOTE = (
    "Deze kolom vult de dagelijkse controle (klachtsheet sync); wat u hier typt, "
    "wordt bij de volgende controle overschreven."
)
FILLS_EMPTY_NOTE = "Leeg vult de dagelijkse controle hem in; wat u zelf invult, blijft staan."


def is_long(tab: str, column: schema.Column | None) -> bool:
    return column is not None and (tab, column.key) in LONG_TEXT


def is_text(tab: str, column: schema.Column | None) -> bool:
    return column is not None and (tab, column.key) in TEXT_COLUMNS


def note(tab: str, column: schema.Column) -> str:
    """Return the header note of a column: what it is, and who fills it."""
    parts = [column.help]
    if column.owner is schema.Owner.SYNC:
        parts.append(SYNC_NOTE)
    elif column.sync_fills_empty:
        parts.append(FILLS_EMPTY_NOTE)
    return " ".join(p for p in parts if p)


def width(tab: str, header: str, values: Sequence[str]) -> float:
    """Return a column width in characters that shows the header and most of the content."""
    column = schema.TABS_BY_NAME[tab].by_header(header) if tab in schema.TABS_BY_NAME else None
    head = len(header) + HEADER_EXTRA
    if is_long(tab, column):
        return float(max(head, LONG_WIDTH))
    longest = 0
    for value in values[:SAMPLE_ROWS]:
        for line in str(value).splitlines() or [""]:
            longest = max(longest, len(line))
    return float(max(MIN_WIDTH, head, min(MAX_WIDTH, longest + 2)))


def overdue_formula(headers: Sequence[str], letter, *, mark: str = "") -> str | None:
    """Return the conditional-format formula (row 2) that marks an overdue complaint.

    ``letter`` turns a 0-based column index into its letter. True when Antwoord
    uiterlijk is a date (a real one, or dd-mm-jjjj text) before today and the status
    is not closed. None when the tab lacks those columns.
    """
    due_header = schema.KLACHTEN.header("antwoord_uiterlijk")
    status_header = schema.KLACHTEN.header("status")
    if due_header not in headers or status_header not in headers:
        return None
    due = f"${letter(headers.index(due_header))}2"
    status = f"${letter(headers.index(status_header))}2"
    closed = ",".join(f'{status}="{s}"' for s in schema.CLOSED_STATUSES)
    as_date = (
        f"IF(ISNUMBER({due}),{due},DATE(VALUE(RIGHT({due},4)),VALUE(MID({due},4,2)),"
        f"VALUE(LEFT({due},2))))"
    )
    terms = [mark] if mark else []
    terms += [f"LEN({due})>0", f"NOT(OR({closed}))", f"IFERROR({as_date},TODAY()+1)<TODAY()"]
    return "AND(" + ",".join(terms) + ")"


# An always-true first term that tells our conditional-format rules from people's own.
RULE_MARK = 'N("klachtsheet")=0'
