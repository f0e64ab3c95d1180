"""`init` on Google: one spreadsheet batchUpdate with tabs, headers, drop-downs and protection."""

from __future__ import annotations

import json

import pytest

from klachtsheet import schema
from klachtsheet.register.google import HEADER_MARK, MARK, RULE_MARK, column_letter

KLACHTEN = schema.KLACHTEN_TAB
H = schema.KLACHTEN.header


def _requests(fake) -> list[dict]:
    (update,) = [r for r in fake.requests if r.kind == "spreadsheets.batchUpdate"]
    return update.body["requests"]


def _of(requests, kind):
    return [r[kind] for r in requests if kind in r]


def _sheet_id(fake, key, title):
    return fake.sheet(key, title).properties["sheetId"]


@pytest.fixture
def laid_out(fake, make_register):
    changes = make_register("layout").ensure_layout(schema.EXAMPLE_TABS)
    return changes


def test_google_init_is_one_batch_update(fake, laid_out):
    assert laid_out == [f"Tabblad '{t.name}' toegevoegd" for t in schema.TABS]
    assert [r.kind for r in fake.requests] == ["spreadsheets.get", "spreadsheets.batchUpdate"]
    requests = _requests(fake)
    assert [a["properties"]["title"] for a in _of(requests, "addSheet")] == [
        t.name for t in schema.TABS
    ]
    for tab in schema.EXAMPLE_TABS:
        sheet = fake.sheet("layout", tab.name)
        assert fake.rows("layout", tab.name)[0] == list(tab.headers)
        assert fake.rows("layout", tab.name)[1:] == [list(r) for r in tab.seed_rows]
        assert sheet.grid["frozenRowCount"] == 1
    # Values go in as strings, never as formulas.
    text = json.dumps(requests)
    assert "formulaValue" not in text and "numberValue" not in text


def test_google_init_adds_drop_downs_that_allow_new_values(fake, laid_out):
    sheet = fake.sheet("layout", KLACHTEN)
    by_column = {v["range"]["startColumnIndex"]: v["rule"] for v in sheet.validations}
    status = by_column[schema.KLACHTEN.headers.index(H("status"))]
    assert status["condition"]["type"] == "ONE_OF_LIST"
    assert [v["userEnteredValue"] for v in status["condition"]["values"]] == list(schema.STATUSSEN)
    assert status["strict"] is False
    categorie = by_column[schema.KLACHTEN.headers.index(H("categorie"))]
    assert categorie["condition"] == {
        "type": "ONE_OF_RANGE",
        "values": [{"userEnteredValue": "='Categorieën'!$A$2:$A"}],
    }
    assert categorie["strict"] is False
    locatie = by_column[schema.KLACHTEN.headers.index(H("locatie"))]
    assert locatie["condition"]["values"][0]["userEnteredValue"] == "='Locaties'!$A$2:$A"
    for validation in sheet.validations:
        assert validation["range"]["startRowIndex"] == 1  # never on the header row
    yes_no = fake.sheet("layout", schema.CATEGORIEEN_TAB).validations
    assert {v["range"]["startColumnIndex"] for v in yes_no} == {1, 2, 3}


def test_google_init_protects_sync_columns_with_a_warning(fake, laid_out):
    sheet = fake.sheet("layout", KLACHTEN)
    ours = [p for p in sheet.protected_ranges if p["description"].startswith(MARK)]
    assert all(p["warningOnly"] is True for p in ours)
    columns = {p["range"].get("startColumnIndex") for p in ours if p["range"].get("startRowIndex")}
    sync = {i for i, c in enumerate(schema.KLACHTEN.columns) if c.owner is schema.Owner.SYNC}
    assert columns == sync
    assert any(p["description"].startswith(HEADER_MARK) for p in ours)
    logboek = fake.sheet("layout", schema.LOGBOEK_TAB).protected_ranges
    assert len(logboek) == 1 + len(schema.LOGBOEK.columns)


def test_google_init_colours_overdue_open_complaints(fake, laid_out):
    (rule,) = fake.sheet("layout", KLACHTEN).conditional_formats
    formula = rule["booleanRule"]["condition"]["values"][0]["userEnteredValue"]
    assert rule["booleanRule"]["condition"]["type"] == "CUSTOM_FORMULA"
    due = column_letter(schema.KLACHTEN.headers.index(H("antwoord_uiterlijk")))
    status = column_letter(schema.KLACHTEN.headers.index(H("status")))
    assert formula.startswith(f"=AND({RULE_MARK}")
    assert f"${due}2" in formula and "TODAY()" in formula
    for closed in schema.CLOSED_STATUSES:
        assert f'${status}2="{closed}"' in formula
    assert rule["ranges"][0]["startRowIndex"] == 1
    assert rule["booleanRule"]["format"]["backgroundColor"]


def test_google_init_again_changes_nothing_and_writes_nothing(fake, make_register, laid_out):
    fake.reset_log()
    assert make_register("layout").ensure_layout(schema.EXAMPLE_TABS) == []
    assert fake.writes() == []
    assert fake.count() == 2  # metadata and the header rows


def test_google_init_upgrades_formatting_keeping_peoples_rules(fake, make_register, laid_out):
    sheet = fake.sheet("layout", KLACHTEN)
    people_rule = {
        "ranges": [{"sheetId": sheet.properties["sheetId"]}],
        "booleanRule": {"condition": {"type": "NOT_BLANK"}, "format": {}},
    }
    sheet.conditional_formats.append(people_rule)
    people_protection = {
        "protectedRangeId": 42,
        "description": "van de coördinator",
        "range": {"sheetId": sheet.properties["sheetId"]},
    }
    sheet.protected_ranges.append(people_protection)
    # An older klachtsheet left no marker: the next init re-applies the formatting.
    for protected in sheet.protected_ranges:
        protected["description"] = protected["description"].replace(HEADER_MARK, f"{MARK}-oud")
    ours_before = len([p for p in sheet.protected_ranges if p["description"].startswith(MARK)])
    changes = make_register("layout").ensure_layout(schema.EXAMPLE_TABS)
    assert changes == [
        f"Opmaak van tabblad '{KLACHTEN}' bijgewerkt (filterknoppen, vaste kopregel en "
        "Nummer, kolombreedtes, toelichting, datums, keuzelijsten, beveiliging, kleuren)"
    ]
    sheet = fake.sheet("layout", KLACHTEN)
    assert people_rule in sheet.conditional_formats
    assert len(sheet.conditional_formats) == 2
    assert people_protection in sheet.protected_ranges
    ours_after = [p for p in sheet.protected_ranges if p["description"].startswith(MARK)]
    assert len(ours_after) == ours_before
    assert make_register("layout").ensure_layout(schema.EXAMPLE_TABS) == []


def test_google_init_adds_missing_settings_and_columns_past_the_grid(fake, make_register):
    key = fake.create("old", sheets=(schema.INSTELLINGEN_TAB, KLACHTEN))
    fake.put_rows(
        key,
        schema.INSTELLINGEN_TAB,
        [["Instelling", "Waarde", "Toelichting"], ["Antwoordtermijn (werkdagen)", "15", "eigen"]],
    )
    headers = list(schema.KLACHTEN.headers[:20])
    fake.put_rows(key, KLACHTEN, [headers, ["26-000-017"] + ["x"] * 19])
    fake.sheet(key, KLACHTEN).grid["columnCount"] = 20
    changes = make_register(key).ensure_layout(schema.EXAMPLE_TABS)
    assert "Instelling 'Organisatie' toegevoegd" in changes
    assert "Instelling 'Antwoordtermijn (werkdagen)' toegevoegd" not in changes
    settings = fake.rows(key, schema.INSTELLINGEN_TAB)
    assert settings[1] == ["Antwoordtermijn (werkdagen)", "15", "eigen"]
    assert len(settings) == 1 + len(schema.SETTINGS)
    assert fake.rows(key, KLACHTEN)[0] == list(schema.KLACHTEN.headers)
    assert fake.rows(key, KLACHTEN)[1] == ["26-000-017"] + ["x"] * 19
    assert fake.sheet(key, KLACHTEN).grid["columnCount"] == len(schema.KLACHTEN.headers)


def test_google_confidential_register_is_its_own_spreadsheet(fake, make_register):
    changes = make_register("vertrouwelijk").ensure_layout(schema.CONFIDENTIAL_TABS)
    assert changes == [
        f"Tabblad '{KLACHTEN}' toegevoegd",
        f"Tabblad '{schema.LOGBOEK_TAB}' toegevoegd",
    ]
    sheet = fake.sheet("vertrouwelijk", KLACHTEN)
    assert all(v["rule"]["condition"]["type"] == "ONE_OF_LIST" for v in sheet.validations)


def test_google_lost_answer_to_init_is_not_applied_twice(fake, make_register, sleeps):
    fake.drop_after_apply(kind="spreadsheets.batchUpdate")
    changes = make_register("flaky").ensure_layout(schema.EXAMPLE_TABS)
    # The retry looked again, found everything in place, and reports what the first did.
    assert changes == [f"Tabblad '{t.name}' toegevoegd" for t in schema.TABS]
    assert fake.count("spreadsheets.batchUpdate") == 1
    assert [s.title for s in fake.book("flaky").sheets] == ["Blad1", *[t.name for t in schema.TABS]]
