"""Caller history on the phone service's form: earlier complaints and the Nummer look-up."""

from __future__ import annotations

import json
from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from klachtsheet.intake.history import Query, clean_nummer, history, whereabouts
from klachtsheet.model import Complaint
from klachtsheet.participants import name_key, phone_key
from klachtsheet.register.local import LocalRegister
from klachtsheet.web import create_app
from support.history import ROWS, TODAY
from support.intake import CODE, csrf, open_form, unlock


@pytest.fixture
def filled(register_path):
    LocalRegister(register_path).append("Klachten", ROWS)
    return register_path


@pytest.fixture
def app(config, filled):
    app = create_app(
        config,
        {"TESTING": True, "KLACHTSHEET_BACKGROUND_WRITER": False, "KLACHTSHEET_TODAY": TODAY},
    )
    yield app
    app.extensions["klachtsheet"].writer.stop()


def _complaints():
    return [Complaint.from_mapping(r) for r in ROWS]


# -- the pure rules ------------------------------------------------------------------------


def test_history_by_number_shows_three_not_the_confidential_nor_old_ones():
    found = history(_complaints(), Query(deelnemernummer="d-1234"), TODAY)
    assert [e.nummer for e in found] == ["26-100-003", "26-100-001"]
    found = history(_complaints(), Query(deelnemernummer="D-1234", telefoon="0301234567"), TODAY)
    assert [e.nummer for e in found] == ["26-100-003", "26-100-002", "26-100-001"]
    assert all("GEHEIM" not in str(e) for e in found)


def test_history_by_name_needs_the_whole_name():
    assert len(history(_complaints(), Query(naam="mevrouw t jansen"), TODAY)) == 3
    assert history(_complaints(), Query(naam="Jansen"), TODAY) == []
    assert history(_complaints(), Query(naam="Mevrouw Jansen"), TODAY) == []


def test_history_for_a_stranger_is_empty():
    assert history(_complaints(), Query(deelnemernummer="D-5555"), TODAY) == []
    assert history(_complaints(), Query(telefoon="030 123"), TODAY) == []  # too few digits
    assert history(_complaints(), Query(), TODAY) == []


def test_whereabouts_reads_status_and_date_but_not_a_confidential_one():
    found = whereabouts(_complaints(), "26 100 002")
    assert found is not None and found.status == "Overgedragen"
    assert found.antwoord_uiterlijk == date(2026, 12, 16)
    secret = whereabouts(_complaints(), "26-100-004")
    assert secret is not None and secret.confidential and secret.status == ""
    assert whereabouts(_complaints(), "26-999-999") is None
    assert whereabouts(_complaints(), "hallo") is None


@given(st.text(max_size=40))
def test_keys_never_crash_and_short_input_never_matches(text):
    assert clean_nummer(text) in ("", clean_nummer(text))
    key = phone_key(text)
    assert key == "" or len(key) >= 9
    assert name_key(text) == "" or " " in name_key(text)


# -- through Flask's test client -------------------------------------------------------------


def _panel(html: str) -> str:
    return html.split('id="historie"', 1)[1].split('id="waar-kop"', 1)[0]


def _post_lookup(client, **values):
    unlock(client)
    hidden = open_form(client)
    return client.post("/formulier/telefoondienst/zoeken", data={**hidden, **values})


def test_without_script_the_button_shows_the_history_and_keeps_what_was_typed(client):
    page = _post_lookup(
        client, zoek="historie", deelnemernummer="D-1234", telefoon="030-1234567",
        omschrijving="Half getypte klacht",
    )  # fmt: skip
    assert page.status_code == 200
    panel = _panel(page.text)
    for nummer in ("26-100-001", "26-100-002", "26-100-003"):
        assert nummer in panel
    assert "26-100-004" not in page.text and "Vrijwilliger met een klacht" not in panel
    assert "26-100-006" not in page.text and "24-100-005" not in page.text
    assert "GEHEIME-TEKST" not in page.text
    assert "Half getypte klacht" in page.text  # nothing typed is lost
    assert "3 eerdere meldingen" in page.text


def test_without_script_a_stranger_gets_nothing(client):
    page = _post_lookup(client, zoek="historie", deelnemernummer="D-5555")
    assert "Geen eerdere meldingen gevonden" in page.text
    assert "26-100-00" not in page.text


def test_without_script_the_nummer_lookup_reads_back_status_and_date(client):
    page = _post_lookup(client, zoek="nummer", waar_nummer="26-100-002")
    assert "status <strong>Overgedragen</strong>" in page.text
    assert "16 december 2026" in page.text
    page = _post_lookup(client, zoek="nummer", waar_nummer="26-100-004")
    assert "vertrouwelijk" in page.text and "Vertrouwenspersoon." not in page.text


def test_json_routes_need_the_access_code(client):
    page = client.get("/formulier/telefoondienst/toegang")
    token = csrf(page.text)
    answer = client.post(
        "/formulier/telefoondienst/historie.json",
        data={"csrf_token": token, "deelnemernummer": "D-1234"},
    )
    assert answer.status_code == 403
    assert "26-100" not in answer.text


def test_json_history_and_where(client):
    unlock(client)
    hidden = open_form(client)
    answer = client.post(
        "/formulier/telefoondienst/historie.json",
        data={"csrf_token": hidden["csrf_token"], "telefoon": "+31 (0)30 123 4567"},
    )
    # "+31 (0)30" is how people write it; the (0) stays, so that does not match exactly.
    data = json.loads(answer.text)
    assert answer.status_code == 200
    answer = client.post(
        "/formulier/telefoondienst/historie.json",
        data={"csrf_token": hidden["csrf_token"], "telefoon": "030 1234567"},
    )
    data = json.loads(answer.text)
    assert [m["nummer"] for m in data["meldingen"]] == ["26-100-002", "26-100-001"]
    assert set(data["meldingen"][0]) == {
        "nummer", "ontvangen", "ontvangen_tekst", "categorie", "status", "coordinator"
    }  # fmt: skip
    where = client.post(
        "/formulier/telefoondienst/waar.json",
        data={"csrf_token": hidden["csrf_token"], "waar_nummer": "26-100-003"},
    )
    melding = json.loads(where.text)["melding"]
    assert melding["status"] == "Overgedragen" and melding["antwoord_uiterlijk"] == "2026-12-16"


def test_volunteer_form_has_no_history(client):
    unlock(client, "vrijwilliger")
    page = client.get("/formulier/vrijwilliger")
    assert "historie-paneel" not in page.text
    hidden = open_form(client, "vrijwilliger")
    answer = client.post(
        "/formulier/vrijwilliger/historie.json",
        data={"csrf_token": hidden["csrf_token"], "deelnemernummer": "D-1234"},
    )
    assert answer.status_code == 403


def test_code_constant_is_used():
    assert CODE


def test_the_index_gives_the_same_answers_as_the_plain_rules():
    from klachtsheet.intake.history import HistoryIndex

    index = HistoryIndex(_complaints())
    for query in (
        Query(deelnemernummer="D-1234"),
        Query(telefoon="0301234567", naam="Meneer P. de Wit"),
        Query(naam="Jansen"),
        Query(),
    ):
        assert index.history(query, TODAY) == history(_complaints(), query, TODAY)
    for nummer in ("26-100-002", "26-100-004", "26 999 999", "x"):
        assert index.whereabouts(nummer) == whereabouts(_complaints(), nummer)
