"""Item 1 of issue 14: headers that survive people, on the strict fake.

A deleted or moved header row is refused (never "repaired" over data); a header typed
with a line break is the same header everywhere; a renamed column never blocks the
other fields of a submission, and check, the Logboek and the log say what to fix.
"""

from __future__ import annotations

import logging
from dataclasses import replace
from datetime import date
from urllib.parse import unquote

import pytest
from google.auth.credentials import AnonymousCredentials

from klachtsheet import schema
from klachtsheet.config import Config
from klachtsheet.exceptions import LayoutError
from klachtsheet.register import google as google_backend
from klachtsheet.register.layout import layout_problems
from klachtsheet.sync import run as sync
from klachtsheet.web import create_app
from support.fake_sheets import FakeHTTPClient, fill_complaints
from support.intake import COMPLAINT, make_config, post

KLACHTEN = schema.KLACHTEN_TAB
H = schema.KLACHTEN.header
TODAY = date(2026, 11, 20)


@pytest.fixture
def register_with_rows(fake, make_register):
    make_register("mensen").ensure_layout(schema.EXAMPLE_TABS)
    fill_complaints(fake, "mensen", 30)
    fake.reset_log()
    return "mensen"


def _cells(fake, key):
    return [list(r) for r in fake.rows(key, KLACHTEN)]


def test_deleted_header_row_then_init_is_refused_and_nothing_is_written(
    fake, make_register, register_with_rows
):
    fake.delete_row(register_with_rows, KLACHTEN, 0)  # row 1 is now a complaint
    before = _cells(fake, register_with_rows)
    register = make_register(register_with_rows)
    with pytest.raises(LayoutError, match="rij 1 bevat niet de kolomnamen") as refused:
        register.ensure_layout(schema.EXAMPLE_TABS)
    assert "Versiegeschiedenis" in str(refused.value)
    assert fake.writes() == []
    with pytest.raises(LayoutError, match="kopregel"):
        register.read([KLACHTEN])
    fake.reset_log()
    with pytest.raises(LayoutError, match="kopregel"):
        make_register(register_with_rows).append(KLACHTEN, [{H("deelnemer"): "Nieuw"}])
    # The form writer retries this every few seconds: it looks at the first rows only.
    ranges = [unquote(r) for q in fake.requests for r in q.query.get("ranges", [])]
    assert f"'{KLACHTEN}'" not in ranges and f"'{KLACHTEN}'!1:10" in ranges
    assert fake.writes() == []
    assert _cells(fake, register_with_rows) == before


def test_moved_header_row_is_refused_naming_the_row(fake, make_register, register_with_rows):
    fake.insert_row(register_with_rows, KLACHTEN, 0, ["Overzicht november"])
    before = _cells(fake, register_with_rows)
    with pytest.raises(LayoutError, match="staat op rij 2 in plaats van rij 1"):
        make_register(register_with_rows).ensure_layout(schema.EXAMPLE_TABS)
    with pytest.raises(LayoutError, match="staat op rij 2"):
        make_register(register_with_rows).append(KLACHTEN, [{H("deelnemer"): "Nieuw"}])
    with pytest.raises(LayoutError, match="staat op rij 2"):
        sync.run_sync(Config(), shared=make_register(register_with_rows), today=TODAY)
    assert fake.writes() == []
    assert _cells(fake, register_with_rows) == before


def test_header_with_a_line_break_is_the_same_header_everywhere(
    fake, make_register, register_with_rows, tmp_path
):
    headers = list(schema.KLACHTEN.headers)
    due = headers.index(H("antwoord_uiterlijk"))
    fake.put_rows(
        register_with_rows,
        KLACHTEN,
        [[" ontvangen  OP" if h == H("ontvangen_op") else h for h in headers]],
    )  # case and spacing differ too
    fake.sheet(register_with_rows, KLACHTEN).cells[0][due] = "Antwoord\nuiterlijk "
    tables = make_register(register_with_rows).read([t.name for t in schema.TABS])
    assert tables[KLACHTEN].headers == schema.KLACHTEN.headers
    assert [p for p in layout_problems(tables) if KLACHTEN in p] == []
    changes = make_register(register_with_rows).ensure_layout(schema.EXAMPLE_TABS)
    assert not any("toegevoegd aan tabblad 'Klachten'" in c for c in changes)
    sync.run_sync(
        Config(output_dir=tmp_path / "uit"), shared=make_register(register_with_rows), today=TODAY
    )
    rows = fake.rows(register_with_rows, KLACHTEN)
    assert len(rows[0]) == len(headers)  # no duplicate column
    assert all(row[due] for row in rows[1:])


def test_renamed_column_keeps_the_value_in_notities_and_says_what_to_fix(
    fake, make_register, register_with_rows, caplog
):
    headers = list(schema.KLACHTEN.headers)
    phone = headers.index(H("telefoon"))
    fake.sheet(register_with_rows, KLACHTEN).cells[0][phone] = "Tel. nr"
    register = make_register(register_with_rows)
    with caplog.at_level(logging.WARNING, logger="klachtsheet.register.google"):
        (n,) = register.append(
            KLACHTEN,
            [{H("deelnemer"): "Mevrouw Jansen", H("telefoon"): "030 123 4567", H("adres"): ""}],
        )
    record = {
        r["Nummer"]: r
        for r in make_register(register_with_rows).read([KLACHTEN])[KLACHTEN].records()
    }[n]
    assert record[H("deelnemer")] == "Mevrouw Jansen"
    assert record[H("notities")] == "[Telefoon] 030 123 4567"
    assert "mist kolom(men) Telefoon" in caplog.text
    assert "030 123 4567" not in caplog.text  # the log never holds personal data
    logboek = fake.rows(register_with_rows, schema.LOGBOEK_TAB)[1:]
    assert [r[1:3] for r in logboek] == [[n, "Kolom ontbreekt"]]
    assert "Telefoon" in logboek[0][3] and "030" not in logboek[0][3]
    # check says what to fix; init does not add a second Telefoon column beside the old.
    tables = make_register(register_with_rows).read([t.name for t in schema.TABS])
    (problem,) = [p for p in layout_problems(tables) if "Telefoon" in p]
    assert "'Tel. nr'" in problem and "naam 'Telefoon' terug" in problem
    again = make_register(register_with_rows)
    changes = again.ensure_layout(schema.EXAMPLE_TABS)
    assert not any("Kolom 'Telefoon' toegevoegd" in c for c in changes)
    assert any("hernoemd" in w for w in again.layout_warnings)


def test_renamed_form_column_never_blocks_a_submission(
    monkeypatch, fake, fake_url, make_register, tmp_path
):
    monkeypatch.setattr(google_backend, "load_credentials", lambda path: AnonymousCredentials())
    monkeypatch.setattr(google_backend, "connect", lambda credentials: FakeHTTPClient(fake_url))
    make_register("formulier").ensure_layout(schema.EXAMPLE_TABS)
    make_register("formulier-geheim").ensure_layout(schema.CONFIDENTIAL_TABS)
    activity = list(schema.KLACHTEN.headers).index(H("activiteit"))
    fake.sheet("formulier", KLACHTEN).cells[0][activity] = "Voorstelling"
    config = replace(
        make_config(tmp_path, tmp_path / "niet-gebruikt.xlsx"),
        register="google:formulier",
        confidential_register="google:formulier-geheim",
    )
    app = create_app(config, {"TESTING": True, "KLACHTSHEET_BACKGROUND_WRITER": False})
    response = post(app.test_client(), **COMPLAINT)
    assert response.status_code in (302, 303)
    [row] = list(make_register("formulier").read([KLACHTEN])[KLACHTEN].records())
    assert row[H("omschrijving")] == COMPLAINT["omschrijving"]
    assert f"[Activiteit] {COMPLAINT['activiteit']}" in row[H("notities")]


def test_check_explains_a_deleted_header_row_and_init_writes_nothing(
    monkeypatch, fake, fake_url, make_register, register_with_rows, runner, tmp_path
):
    from klachtsheet.cli import cli

    monkeypatch.setattr(google_backend, "load_credentials", lambda path: AnonymousCredentials())
    monkeypatch.setattr(google_backend, "connect", lambda credentials: FakeHTTPClient(fake_url))
    monkeypatch.chdir(tmp_path)
    fake.delete_row(register_with_rows, KLACHTEN, 0)
    before = _cells(fake, register_with_rows)
    args = ["--register", f"google:{register_with_rows}"]
    env = {"KLACHTSHEET_CONFIG": ""}
    checked = runner.invoke(cli, [*args, "check"], env=env)
    assert checked.exit_code == 1
    assert "rij 1 bevat niet de kolomnamen" in checked.output
    fake.reset_log()
    init = runner.invoke(cli, [*args, "init", "--zonder-vertrouwelijk"], env=env)
    assert init.exit_code != 0
    assert "kopregel" in init.output
    assert fake.writes() == []
    assert _cells(fake, register_with_rows) == before


def test_with_notities_renamed_too_the_value_goes_to_omschrijving(
    fake, make_register, register_with_rows
):
    cells = fake.sheet(register_with_rows, KLACHTEN).cells[0]
    headers = list(schema.KLACHTEN.headers)
    cells[headers.index(H("telefoon"))] = "Tel"
    cells[headers.index(H("notities"))] = "Opmerkingen"
    (n,) = make_register(register_with_rows).append(
        KLACHTEN, [{H("omschrijving"): "Niet opgehaald", H("telefoon"): "030 1"}]
    )
    table = make_register(register_with_rows).read([KLACHTEN])[KLACHTEN]
    record = {r["Nummer"]: r for r in table.records()}[n]
    assert record[H("omschrijving")] == "Niet opgehaald\n[Telefoon] 030 1"


def test_submissions_wait_while_the_header_row_is_gone_and_are_written_after(
    monkeypatch, fake, fake_url, make_register, tmp_path
):
    monkeypatch.setattr(google_backend, "load_credentials", lambda path: AnonymousCredentials())
    monkeypatch.setattr(google_backend, "connect", lambda credentials: FakeHTTPClient(fake_url))
    make_register("wacht").ensure_layout(schema.EXAMPLE_TABS)
    make_register("wacht-geheim").ensure_layout(schema.CONFIDENTIAL_TABS)
    fill_complaints(fake, "wacht", 5)
    config = replace(
        make_config(tmp_path, tmp_path / "niet-gebruikt.xlsx"),
        register="google:wacht",
        confidential_register="google:wacht-geheim",
    )
    app = create_app(config, {"TESTING": True, "KLACHTSHEET_BACKGROUND_WRITER": False})
    client = app.test_client()
    assert post(client, **COMPLAINT).status_code in (302, 303)  # the form server is running
    header = list(fake.rows("wacht", KLACHTEN)[0])
    fake.delete_row("wacht", KLACHTEN, 0)  # then someone deletes the header row
    response = post(client, **{**COMPLAINT, "omschrijving": "Tijdens de storing"})
    assert response.status_code in (302, 303)  # accepted: it waits in the queue
    desk = app.extensions["klachtsheet"]
    assert desk.writer.queue.pending()
    assert "kopregel" in (desk.writer.last_error or "")
    assert len(fake.rows("wacht", KLACHTEN)) == 6  # nothing written over the data
    fake.insert_row("wacht", KLACHTEN, 0, header)  # the back office restores it
    assert desk.writer.flush() == 1
    rows = list(make_register("wacht").read([KLACHTEN])[KLACHTEN].records())
    assert len(rows) == 7
    assert rows[-1][H("omschrijving")] == "Tijdens de storing"


def test_a_deleted_logboek_header_row_is_refused_by_the_append_after_a_read(
    fake, make_register, register_with_rows
):
    register = make_register(register_with_rows)
    register.append(schema.LOGBOEK_TAB, [{"Tijdstip": "20-11-2026 10:00", "Actie": "Eerste"}])
    fake.delete_row(register_with_rows, schema.LOGBOEK_TAB, 0)
    fresh = make_register(register_with_rows)
    fresh.read([KLACHTEN])  # also fetches the Logboek header row, which is now a line
    with pytest.raises(LayoutError, match="Logboek"):
        fresh.append(schema.LOGBOEK_TAB, [{"Tijdstip": "20-11-2026 11:00", "Actie": "Tweede"}])
    assert [r[2] for r in fake.rows(register_with_rows, schema.LOGBOEK_TAB)] == ["Eerste"]
