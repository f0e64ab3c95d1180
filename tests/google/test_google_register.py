"""The Google backend against the fake: request counts, retries, lost answers, re-sorts, RAW."""

from __future__ import annotations

from urllib.parse import unquote

import pytest

from klachtsheet import schema
from klachtsheet.exceptions import RegisterBusy, RegisterError
from klachtsheet.model import CellUpdate
from klachtsheet.register.google import RetryPolicy
from klachtsheet.sync import logbook
from support.fake_sheets import FakeHTTPClient, Formula, fill_complaints

KLACHTEN = schema.KLACHTEN_TAB
H = schema.KLACHTEN.header
FORMULA = '=IMPORTXML("http://x","//a")'


@pytest.fixture
def initialised(fake, make_register):
    make_register("sync-sheet").ensure_layout(schema.EXAMPLE_TABS)
    fake.reset_log()
    return "sync-sheet"


@pytest.mark.parametrize("size", [100, 1_000, 10_000])
def test_google_sync_cycle_costs_five_requests_at_any_size(fake, make_register, initialised, size):
    nummers = fill_complaints(fake, initialised, size)
    register = make_register(initialised)
    tables = register.read([tab.name for tab in schema.TABS])
    assert len(tables[KLACHTEN].rows) == size
    chosen = nummers[:: max(1, size // 5)][:5]
    result = register.update(
        KLACHTEN, [CellUpdate(n, H("controle"), "Categorie onbekend") for n in chosen]
    )
    assert result.written == len(chosen)
    register.append(schema.LOGBOEK_TAB, [logbook.entry(n, "Controle bijgewerkt") for n in chosen])
    kinds = [r.kind for r in fake.requests]
    # The second batchGet before the append reads the Logboek's Id column: a replayed
    # batch never adds a line twice (issue 11). Still constant at any size.
    assert kinds == [
        "values.batchGet",
        "values.batchGet",
        "values.batchUpdate",
        "values.batchGet",
        "values.append",
    ]
    assert all(r.status == 200 for r in fake.requests)
    update, append = fake.writes()
    assert update.body["valueInputOption"] == "RAW"
    assert len(update.body["data"]) == len(chosen)
    assert append.query["valueInputOption"] == ["RAW"]
    assert append.query["insertDataOption"] == ["INSERT_ROWS"]
    assert unquote(append.path).endswith(f"/values/'{schema.LOGBOEK_TAB}'!A1:append")
    # every write landed on its Nummer
    controle = schema.KLACHTEN.headers.index(H("controle"))
    for row in fake.rows(initialised, KLACHTEN)[1:]:
        expected = "Categorie onbekend" if row[0] in chosen else ""
        assert (row[controle] if controle < len(row) else "") == expected


def test_google_update_with_nothing_to_change_sends_no_write(fake, make_register, initialised):
    nummers = fill_complaints(fake, initialised, 50)
    register = make_register(initialised)
    register.read([KLACHTEN])
    fake.reset_log()
    result = register.update(
        KLACHTEN, [CellUpdate(n, H("status"), schema.OVERGEDRAGEN) for n in nummers[:10]]
    )
    assert result.written == 0
    assert fake.writes() == []
    assert fake.count() == 1  # only the re-read


def test_google_three_429s_then_success_is_one_append(fake, make_register, initialised, sleeps):
    register = make_register(initialised)
    fake.fail(429, times=3, kind="values.append")
    (n,) = register.append(KLACHTEN, [{H("deelnemer"): "Eén keer", H("status"): "Nieuw"}])
    rows = [r for r in fake.rows(initialised, KLACHTEN)[1:] if r]
    assert [r[0] for r in rows] == [n]
    assert fake.count("values.append") == 4
    assert [r.status for r in fake.requests if r.kind == "values.append"] == [429, 429, 429, 200]
    assert len(sleeps) == 3
    assert sleeps == sorted(sleeps) and sleeps[0] > 0  # exponential backoff


def test_google_retry_after_is_honoured(fake, make_register, initialised, sleeps):
    register = make_register(initialised)
    fake.fail(429, times=1, kind="values.batchGet", retry_after="7")
    register.read([KLACHTEN])
    assert sleeps == [7.0]


def test_google_jitter_spreads_the_waits(fake, make_register, initialised):
    waits: list[float] = []
    jitters = iter([0.0, 1.0])
    register = make_register(
        initialised, retry=RetryPolicy(sleep=waits.append, jitter=lambda: next(jitters))
    )
    fake.fail(503, times=2, kind="values.batchGet")
    register.read([KLACHTEN])
    assert waits == [0.5, 2.0]  # first wait 1 s x (0.5..1), second 2 s x (0.5..1)


@pytest.mark.parametrize("how", ["503", "disconnect"])
def test_google_lost_answer_after_append_still_one_row(fake, make_register, initialised, how):
    register = make_register(initialised)
    fake.drop_after_apply(kind="values.append", how=how)
    nummers = register.append(KLACHTEN, [{H("deelnemer"): "A"}, {H("deelnemer"): "B"}])
    stored = [r[0] for r in fake.rows(initialised, KLACHTEN)[1:] if r]
    assert sorted(stored) == sorted(nummers)
    assert fake.count("values.append") == 1  # the re-read showed both arrived


def test_google_lost_answer_after_logbook_append_keeps_one_copy(fake, make_register, initialised):
    register = make_register(initialised)
    fake.drop_after_apply(kind="values.append")
    entries = [logbook.entry("26-555-555", "Ingevoerd"), logbook.entry("26-555-555", "Gemaild")]
    register.append(schema.LOGBOEK_TAB, entries)
    rows = fake.rows(initialised, schema.LOGBOEK_TAB)[1:]
    assert [r[2] for r in rows] == ["Ingevoerd", "Gemaild"]


def test_google_partly_arrived_append_sends_only_the_rest(fake, make_register, initialised):
    register = make_register(initialised)
    fake.fail(503, kind="values.append")
    given = "26-123-456"
    fake.put_rows(initialised, KLACHTEN, [[given, "er al"]], start=1)
    nummers = register.append(KLACHTEN, [{"Nummer": given}, {H("deelnemer"): "Nieuw"}])
    assert nummers[0] == given
    stored = [r[0] for r in fake.rows(initialised, KLACHTEN)[1:]]
    assert sorted(stored) == sorted(nummers)


def test_google_gives_up_after_a_few_tries(fake, make_register, initialised, sleeps):
    register = make_register(initialised)
    fake.fail(503, times=50, kind="values.batchGet")
    with pytest.raises(RegisterError, match="niet bereikbaar"):
        register.read([KLACHTEN])
    # Ten tries; with the middle jitter the waits add up to 113 s, beyond a quota minute.
    assert fake.count("values.batchGet") == 10
    assert len(sleeps) == 9
    assert sum(sleeps) == 113.25


def test_google_endless_429_is_register_busy_within_the_total_wait(
    fake, make_register, initialised
):
    waits: list[float] = []
    register = make_register(initialised, retry=RetryPolicy(sleep=waits.append, max_total=10))
    fake.fail(429, times=50, retry_after="4")
    with pytest.raises(RegisterBusy, match="te veel verzoeken"):
        register.append(KLACHTEN, [{H("deelnemer"): "X"}])
    assert sum(waits) <= 10
    assert fake.count() <= 4
    assert fake.rows(initialised, KLACHTEN)[1:] == []


def test_google_update_after_sort_and_insert_right_before_the_reread(
    fake, make_register, initialised
):
    nummers = fill_complaints(fake, initialised, 30)
    register = make_register(initialised)
    register.read([KLACHTEN])

    def person(fake_) -> None:
        fake_.reorder(initialised, KLACHTEN)
        fake_.insert_row(initialised, KLACHTEN, 1, ["", "", "", "", "", "", "Bovenaan ingevoegd"])

    fake.before("values.batchGet", person)
    target = nummers[7]
    register.update(KLACHTEN, [CellUpdate(target, H("aangifte_geadviseerd"), "Ja")])
    column = schema.KLACHTEN.headers.index(H("aangifte_geadviseerd"))
    hits = [
        r for r in fake.rows(initialised, KLACHTEN)[1:] if column < len(r) and r[column] == "Ja"
    ]
    assert len(hits) == 1 and hits[0][0] == target


def test_google_moved_column_is_found_again(fake, make_register, initialised):
    nummers = fill_complaints(fake, initialised, 10)
    register = make_register(initialised)
    register.read([KLACHTEN])
    sheet = fake.sheet(initialised, KLACHTEN)
    for row in sheet.cells:  # a person moves the Controle column to the front
        row.insert(
            0,
            row.pop(schema.KLACHTEN.headers.index(H("controle")))
            if len(row) > schema.KLACHTEN.headers.index(H("controle"))
            else "",
        )
    fake.reset_log()
    register.update(KLACHTEN, [CellUpdate(nummers[3], H("controle"), "verplaatst")])
    assert fake.count("values.batchGet") == 2  # the guess failed once, then it looked again
    rows = fake.rows(initialised, KLACHTEN)
    assert rows[0][0] == H("controle")
    assert [r[0] for r in rows[1:] if r and r[0]] == ["verplaatst"]
    assert next(r for r in rows[1:] if r[0] == "verplaatst")[1] == nummers[3]


def test_google_metadata_is_fetched_at_most_once(fake, make_register):
    register = make_register("meta")
    register.ensure_layout(schema.CONFIDENTIAL_TABS)
    register = make_register("meta")
    fake.reset_log()
    for _ in range(3):
        tables = register.read([tab.name for tab in schema.TABS])
        assert set(tables) == {KLACHTEN, schema.LOGBOEK_TAB}
    register.replace_rows(schema.LOGBOEK_TAB, [])
    assert fake.count("spreadsheets.get") == 1


def test_google_formula_is_sent_raw_and_read_back_as_text(
    fake, make_register, initialised, fake_url
):
    import gspread
    from google.auth.credentials import AnonymousCredentials

    register = make_register(initialised)
    register.append(KLACHTEN, [{H("omschrijving"): FORMULA}])
    append = next(r for r in fake.requests if r.kind == "values.append")
    assert append.query["valueInputOption"] == ["RAW"]
    assert FORMULA in append.body["values"][0]
    assert FORMULA in fake.rows(initialised, KLACHTEN)[1]
    row = next(make_register(initialised).read([KLACHTEN])[KLACHTEN].records())
    assert row[H("omschrijving")] == FORMULA
    # The control: gspread's update_cell sends USER_ENTERED, which the fake (like Google)
    # turns into a formula. That is why klachtsheet never uses it.
    client = gspread.Client(
        AnonymousCredentials(), http_client=lambda auth, session: FakeHTTPClient(fake_url)
    )
    sheet = client.open_by_key(initialised).worksheet(KLACHTEN)
    sheet.update_cell(2, schema.KLACHTEN.headers.index(H("notities")) + 1, FORMULA)
    stored = fake.rows(initialised, KLACHTEN)[1]
    assert isinstance(stored[schema.KLACHTEN.headers.index(H("notities"))], Formula)
    assert (
        next(make_register(initialised).read([KLACHTEN])[KLACHTEN].records())[H("notities")]
        == "#N/A"
    )


def test_google_not_shared_or_not_found_is_a_dutch_line(fake, make_register):
    register = make_register("private", account="robot@project.iam.gserviceaccount.com")
    fake.forbidden.add("private")
    with pytest.raises(RegisterError, match=r"deel hem met het serviceaccount \(robot@"):
        register.read([KLACHTEN])
    register = make_register("gone")
    del fake.spreadsheets["gone"]
    with pytest.raises(RegisterError, match="niet gevonden"):
        register.append(KLACHTEN, [{"Nummer": "26-000-001"}])


def test_google_missing_tab_on_write_says_run_init(fake, make_register):
    register = make_register("empty")
    with pytest.raises(RegisterError, match="klachtsheet init"):
        register.update(KLACHTEN, [CellUpdate("26-000-001", H("controle"), "x")])
