"""Records convert by header name and dates are read the way people type them."""

from dataclasses import fields
from datetime import date, datetime

import pytest

from klachtsheet import schema
from klachtsheet.model import AMSTERDAM, Complaint, Table, complaints, parse_date, settings


def test_row_is_read_by_header_name_whatever_the_order_and_extra_columns_are_kept():
    headers = ["Omschrijving", "Mijn eigen kolom", "Nummer", "Status"]
    row = ["Te laat opgehaald", "eigen notitie", "26-482-713", "Nieuw"]

    complaint = Complaint.from_row(headers, row, row_number=7)

    assert complaint.nummer == "26-482-713"
    assert complaint.omschrijving == "Te laat opgehaald"
    assert complaint.status == "Nieuw"
    assert complaint.extra == (("Mijn eigen kolom", "eigen notitie"),)
    assert complaint.row_number == 7
    assert complaint.to_row(headers) == row


def test_to_row_follows_the_sheet_order_and_fills_missing_with_empty_text():
    complaint = Complaint(nummer="26-482-713", categorie="Overig")

    assert complaint.to_row(["Categorie", "Onbekend", "Nummer"]) == ["Overig", "", "26-482-713"]


def test_mapping_uses_the_dutch_headers_of_the_schema():
    mapping = Complaint(nummer="x").to_mapping()

    assert list(mapping) == list(schema.KLACHTEN.headers)


def test_complaints_skips_empty_rows_and_numbers_rows_from_two():
    table = Table("Klachten", ("Nummer", "Status"), (("a", "Nieuw"), ("", ""), ("b", "")))

    found = complaints(table)

    assert [(c.nummer, c.row_number) for c in found] == [("a", 2), ("b", 4)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("26-11-2026", date(2026, 11, 26)),
        ("26/11/2026", date(2026, 11, 26)),
        ("2026-11-26", date(2026, 11, 26)),
        ("6-1-2027", date(2027, 1, 6)),
        ("26.11.26", date(2026, 11, 26)),
        ("26 november 2026", date(2026, 11, 26)),
        ("46352", date(2026, 11, 26)),
        (" 26-11-2026 ", date(2026, 11, 26)),
    ],
)
def test_dates_as_people_type_them(text, expected):
    assert parse_date(text).value == expected
    assert parse_date(text).problem is None


def test_date_with_time_is_dutch_time():
    parsed = parse_date("26-11-2026 14:05")

    assert parsed.value == datetime(2026, 11, 26, 14, 5, tzinfo=AMSTERDAM)
    assert parsed.day == date(2026, 11, 26)


def test_serial_with_fraction_is_a_moment():
    assert parse_date("46352.5").value == datetime(2026, 11, 26, 12, 0, tzinfo=AMSTERDAM)


@pytest.mark.parametrize("text", ["gisteren", "31-02-2026", "26-13-2026", "12345678", "2026"])
def test_unreadable_dates_give_a_dutch_problem_not_an_exception(text):
    parsed = parse_date(text)

    assert parsed.value is None
    assert "geen datum" in parsed.problem
    assert "26-11-2026" in parsed.problem


def test_empty_cell_is_no_date_and_no_problem():
    assert parse_date("") == parse_date("   ")
    assert parse_date("").value is None and parse_date("").problem is None


def test_settings_fall_back_to_defaults():
    table = Table(
        "Instellingen", ("Instelling", "Waarde"), (("Antwoordtermijn (werkdagen)", "15"),)
    )

    values = settings(table)

    assert values["antwoordtermijn"] == "15"
    assert values["bewaartermijn_maanden"] == "24"


def test_complaint_fields_are_exactly_the_klachten_columns_in_their_order():
    """A column added to schema.KLACHTEN needs its Complaint field (and the reverse)."""
    text_fields = [f.name for f in fields(Complaint) if f.name not in ("extra", "row_number")]

    assert text_fields == [c.key for c in schema.KLACHTEN.columns]
    assert all(f.type in ("str", str) for f in fields(Complaint) if f.name in text_fields)


def test_complaint_of_refuses_a_key_that_is_no_column():
    assert Complaint.of({"nummer": "26-482-713"}).nummer == "26-482-713"
    with pytest.raises(TypeError, match="omschrijving_typo"):
        Complaint.of({"omschrijving_typo": "x"})
    with pytest.raises(TypeError, match="extra"):
        Complaint(nummer="x").with_values(extra="y")
