"""The Google register laid out for work: real dates, filter, frozen Nummer, notes, locale."""

from __future__ import annotations

import pytest

from klachtsheet import schema
from klachtsheet.model import CellUpdate
from klachtsheet.register import presentation

KLACHTEN = schema.KLACHTEN_TAB
HEADERS = list(schema.KLACHTEN.headers)


def test_init_sets_dutch_locale_and_time_zone_and_says_so(fake, make_register):
    fake.create("engels")
    fake.book("engels").locale, fake.book("engels").time_zone = "en_US", "America/New_York"
    register = make_register("engels")
    assert len(register.spreadsheet_problems()) == 2
    assert "en_US" in register.spreadsheet_problems()[0]

    changes = register.ensure_layout(schema.TABS)

    assert changes[-1] == (
        "Landinstelling van de spreadsheet gezet op Nederland (nl_NL) en tijdzone Europe/Amsterdam"
    )
    assert (fake.book("engels").locale, fake.book("engels").time_zone) == (
        "nl_NL",
        "Europe/Amsterdam",
    )
    assert make_register("engels").spreadsheet_problems() == []
    assert make_register("engels").ensure_layout(schema.TABS) == []


def test_klachten_has_filter_frozen_nummer_notes_widths_and_formats(fake, make_register):
    make_register("werk").ensure_layout(schema.TABS)
    sheet = fake.sheet("werk", KLACHTEN)

    grid = sheet.properties["gridProperties"]
    assert (grid["frozenRowCount"], grid["frozenColumnCount"]) == (1, 1)
    assert sheet.basic_filter["range"]["startRowIndex"] == 0
    assert sheet.basic_filter["range"]["endColumnIndex"] == len(HEADERS)
    for index, column in enumerate(schema.KLACHTEN.columns):
        assert column.help in sheet.notes[(0, index)], column.header
        if column.owner is schema.Owner.SYNC:
            assert presentation.SYNC_NOTE in sheet.notes[(0, index)]
        # No header cut off: 8 pixels per character and room for the filter button.
        assert sheet.widths[index] >= 8 * (len(column.header) + 2), column.header
        fmt = sheet.number_format(1, index)
        if column.is_date:
            assert fmt["type"] in ("DATE", "DATE_TIME"), column.header
        elif column.key in ("telefoon", "deelnemernummer"):
            assert fmt == {"type": "TEXT"}
        else:
            assert fmt is None, column.header
    [rule] = sheet.conditional_formats
    formula = rule["booleanRule"]["condition"]["values"][0]["userEnteredValue"]
    assert "ISNUMBER" in formula and "TODAY()" in formula


def test_dates_are_written_as_numbers_raw_and_read_back_as_dutch_text(fake, make_register):
    register = make_register("datums")
    register.ensure_layout(schema.TABS)
    [nummer] = register.append(
        KLACHTEN,
        [{"Ontvangen op": "3-5-2026 14:20", "Telefoon": "0612345678", "Omschrijving": "x"}],
    )
    register.update(KLACHTEN, [CellUpdate(nummer, "Antwoord uiterlijk", "24/9/26")])

    sheet = fake.sheet("datums", KLACHTEN)
    row = dict(zip(HEADERS, sheet.cells[1], strict=False))
    assert row["Ontvangen op"] == pytest.approx(46145 + 14 / 24 + 20 / 1440)  # 3 May 2026
    assert row["Antwoord uiterlijk"] == 46289
    assert row["Telefoon"] == "0612345678"
    writes = [r for r in fake.requests if r.kind in ("values.append", "values.batchUpdate")]
    assert all(r.query.get("valueInputOption") == ["RAW"] or r.body.get("valueInputOption") == "RAW"
               for r in writes)  # fmt: skip
    table = register.read([KLACHTEN])[KLACHTEN]
    assert table.column("Ontvangen op") == ["03-05-2026 14:20"]
    assert table.column("Antwoord uiterlijk") == ["24-09-2026"]


def test_normalise_turns_typed_text_into_date_numbers(fake, make_register):
    register = make_register("getypt")
    register.ensure_layout(schema.TABS)
    register.append(KLACHTEN, [{"Omschrijving": "a"}, {"Omschrijving": "b"}, {"Omschrijving": "c"}])
    sheet = fake.sheet("getypt", KLACHTEN)
    col = HEADERS.index("Datum activiteit")
    for row, text in ((1, "2026-07-29"), (2, "12 augustus 2026"), (3, "ooit")):
        sheet.set(row, col, text)  # typed as text (a sheet in another locale, or RAW)

    assert register.normalise_dates(KLACHTEN) == 2
    assert [sheet.get(r, col) for r in (1, 2, 3)] == [46232, 46246, "ooit"]
    assert register.normalise_dates(KLACHTEN) == 0
    assert register.read([KLACHTEN])[KLACHTEN].column("Datum activiteit") == [
        "29-07-2026",
        "12-08-2026",
        "ooit",
    ]
