"""Real dates in the date columns: what people type becomes a date cell, read back as text."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import openpyxl
import pytest
from hypothesis import given
from hypothesis import strategies as st

from klachtsheet import schema
from klachtsheet.model import cell_text, date_cell_value, date_serial, date_text, format_date

DAYS = st.dates(min_value=date(1971, 1, 1), max_value=date(2098, 12, 31))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("3-5-2026", date(2026, 5, 3)),
        ("03-05-2026", date(2026, 5, 3)),
        ("03-05-2026 14:20", datetime(2026, 5, 3, 14, 20)),
        ("2026-05-03", date(2026, 5, 3)),
        ("3 mei 2026", date(2026, 5, 3)),
        ("12 augustus 2026", date(2026, 8, 12)),
        ("24/9/26", date(2026, 9, 24)),
        ("3.5.2026", date(2026, 5, 3)),
        ("", None),
        ("volgende week", None),
        ("31-02-2026", None),
        ("2026", None),
    ],
)
def test_dutch_texts_give_real_dates(text, expected):
    assert date_cell_value(text) == expected


@given(DAYS)
def test_a_date_written_and_read_back_is_the_same_text(day):
    text = format_date(day)
    assert cell_text(date_cell_value(text)) == text
    assert date_text(day.isoformat()) == text
    assert date_text(f"{day.day}-{day.month}-{day.year}") == text


@given(DAYS, st.integers(0, 23), st.integers(0, 59))
def test_a_moment_keeps_its_minutes(day, hour, minute):
    text = f"{format_date(day)} {hour:02d}:{minute:02d}"
    value = date_cell_value(text)
    assert isinstance(value, datetime) and value.tzinfo is None
    # Midnight reads back as the day alone (a date cell shows no time).
    assert cell_text(value) == (text if (hour, minute) != (0, 0) else format_date(day))


@given(st.text(max_size=40))
def test_any_text_is_either_a_date_or_left_alone(text):
    value = date_cell_value(text)
    assert value is None or isinstance(value, date)
    assert date_text(text) == (text if value is None else cell_text(value))
    assert date_text(date_text(text)) == date_text(text)


@given(DAYS)
def test_serials_count_days_as_spreadsheets_do(day):
    assert date_serial(day) == (day - date(1899, 12, 30)).days
    assert date_serial(datetime(day.year, day.month, day.day, 12)) == pytest.approx(
        date_serial(day) + 0.5
    )
    assert date(1899, 12, 30) + timedelta(days=date_serial(day)) == day


def test_the_form_and_the_sync_write_date_cells_with_a_dutch_format(register, register_path):
    [nummer] = register.append(
        "Klachten",
        [
            {
                "Ontvangen op": "02-12-2026 20:41",
                "Datum activiteit": "3 mei 2026",
                "Telefoon": "0612",
            }
        ],
    )
    register.append("Klachten", [{"Ontvangen op": "geen idee"}])

    sheet = openpyxl.load_workbook(register_path)["Klachten"]
    headers = [c.value for c in sheet[1]]
    row = {h: c for h, c in zip(headers, sheet[2], strict=False)}
    assert row["Ontvangen op"].value == datetime(2026, 12, 2, 20, 41)
    assert row["Ontvangen op"].number_format == "dd-mm-yyyy hh:mm"
    assert row["Datum activiteit"].value == datetime(2026, 5, 3)
    assert row["Datum activiteit"].number_format == "dd-mm-yyyy"
    assert (row["Telefoon"].value, row["Telefoon"].number_format) == ("0612", "@")
    # Text that is no date stays the text typed; the sync's check reports it.
    assert sheet.cell(row=3, column=headers.index("Ontvangen op") + 1).value == "geen idee"
    read = register.read(["Klachten"])["Klachten"]
    assert read.column("Ontvangen op") == ["02-12-2026 20:41", "geen idee"]
    assert read.column("Datum activiteit") == ["03-05-2026", ""]
    assert read.column("Nummer")[0] == nummer


def test_normalise_turns_typed_text_into_dates_and_leaves_the_rest(register, register_path):
    workbook = openpyxl.load_workbook(register_path)
    sheet = workbook["Klachten"]
    headers = list(schema.KLACHTEN.headers)
    col = headers.index("Ontvangen op") + 1
    for offset, text in enumerate(["2026-07-29", "12 augustus 2026", "24/9/26", "later"]):
        sheet.cell(row=2 + offset, column=1, value=f"26-000-00{offset}")
        sheet.cell(row=2 + offset, column=col, value=text)
    workbook.save(register_path)

    assert register.normalise_dates("Klachten") == 3
    assert register.normalise_dates("Klachten") == 0

    cells = [c.value for (c,) in openpyxl.load_workbook(register_path)["Klachten"].iter_rows(
        min_row=2, min_col=col, max_col=col)]  # fmt: skip
    assert cells == [datetime(2026, 7, 29), datetime(2026, 8, 12), datetime(2026, 9, 24), "later"]
