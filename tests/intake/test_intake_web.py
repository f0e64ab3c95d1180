"""The web form through Flask's test client: access, validation, security, routing, queue."""

from __future__ import annotations

import json
import logging
import re
from pathlib import Path

import pytest

from klachtsheet import schema
from klachtsheet.config import Config, ServerConfig
from klachtsheet.exceptions import ConfigError
from klachtsheet.web import create_app
from support.intake import (
    COMPLAINT,
    REPORT,
    SECRET,
    csrf,
    make_config,
    open_form,
    post,
    rows,
    unlock,
)


def test_form_asks_for_the_access_code_first(client):
    response = client.get("/formulier/telefoondienst")
    assert response.status_code == 303
    assert response.headers["Location"].endswith("/formulier/telefoondienst/toegang")


def test_right_code_opens_the_form_wrong_code_does_not(client):
    wrong = unlock(client, code="fout-fout")
    assert wrong.status_code == 401
    assert "klopt niet" in wrong.text
    assert client.get("/formulier/telefoondienst").status_code == 303
    assert unlock(client).status_code == 303
    page = client.get("/formulier/telefoondienst")
    assert page.status_code == 200
    assert "Klacht of navraag invoeren" in page.text
    # Access is per form.
    assert client.get("/formulier/vrijwilliger").status_code == 303


def test_repeated_wrong_codes_are_answered_with_429(client):
    statuses = [unlock(client, code=f"fout-{i}").status_code for i in range(7)]
    assert statuses[:5] == [401] * 5
    assert statuses[5:] == [429, 429]
    assert "Even wachten" in unlock(client, code="fout-x").text


def test_post_without_csrf_token_is_400(client):
    unlock(client)
    hidden = open_form(client)
    response = client.post(
        "/formulier/telefoondienst", data={"inzending": hidden["inzending"], **COMPLAINT}
    )
    assert response.status_code == 400
    assert "verlopen" in response.text
    response = client.post("/formulier/telefoondienst/toegang", data={"code": "x"})
    assert response.status_code == 400


def test_a_100_kb_body_is_413(client):
    unlock(client)
    hidden = open_form(client)
    response = client.post(
        "/formulier/telefoondienst", data={**hidden, **COMPLAINT, "omschrijving": "x" * 100_000}
    )
    assert response.status_code == 413
    assert "Te veel tekst" in response.text


def test_a_field_over_its_own_limit_is_refused_beside_the_field(client, register_path):
    response = post(client, **{**COMPLAINT, "deelnemer": "x" * 201})
    assert response.status_code == 422
    assert "te lang: 201 tekens, maximaal 200" in response.text
    assert rows(register_path) == []


def test_submissions_are_rate_limited(config):
    app = create_app(
        config,
        {
            "TESTING": True,
            "KLACHTSHEET_BACKGROUND_WRITER": False,
            "KLACHTSHEET_SUBMIT_LIMIT": "2 per minute",
        },
    )
    client = app.test_client()
    statuses = [post(client, **{**COMPLAINT, "deelnemer": ""}).status_code for _ in range(3)]
    assert statuses == [422, 422, 429]


@pytest.mark.parametrize(
    "path",
    [
        "/",
        "/formulier/telefoondienst",
        "/formulier/telefoondienst/toegang",
        "/static/klachtsheet.css",
        "/static/formulier.js",
        "/health",
        "/bestaat-niet",
    ],
)
def test_security_headers_on_every_response(client, path):
    response = client.get(path)
    response.close()  # a static file is streamed: close it, or the file leaks (ResourceWarning)
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    csp = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "frame-ancestors 'none'" in csp
    assert "unsafe-inline" not in csp
    assert response.headers["Referrer-Policy"] == "no-referrer"


def test_security_headers_also_on_error_responses(client):
    unlock(client)
    hidden = open_form(client)
    errors = [
        client.post("/formulier/telefoondienst", data=COMPLAINT),  # 400
        client.post("/formulier/telefoondienst", data={**hidden, "omschrijving": "x" * 100_000}),
        client.delete("/formulier/telefoondienst"),  # 405
    ]
    assert [r.status_code for r in errors] == [400, 413, 405]
    for response in errors:
        assert response.headers["X-Content-Type-Options"] == "nosniff"
        assert "frame-ancestors 'none'" in response.headers["Content-Security-Policy"]


def test_pages_have_no_inline_script(client):
    unlock(client)
    page = client.get("/formulier/telefoondienst").text
    assert re.findall(r"<script(?![^>]*\bsrc=)", page) == []
    assert re.findall(r"<[^>]+\son[a-z]+=", page) == []


def test_session_cookie_is_secure_httponly_samesite(tmp_path, register_path):
    config = make_config(tmp_path, register_path, secure_cookies=True)
    app = create_app(config, {"TESTING": True, "KLACHTSHEET_BACKGROUND_WRITER": False})
    response = unlock(app.test_client())
    cookie = response.headers["Set-Cookie"]
    assert "Secure" in cookie and "HttpOnly" in cookie and "SameSite=Lax" in cookie


def test_refuses_to_start_without_a_strong_secret_key(tmp_path, register_path):
    weak = make_config(tmp_path, register_path, secret_key="kort")
    with pytest.raises(ConfigError, match="KLACHTSHEET_SECRET_KEY"):
        create_app(weak, {"KLACHTSHEET_BACKGROUND_WRITER": False})
    # In debug or test mode it runs with a temporary key.
    assert create_app(weak, {"TESTING": True, "KLACHTSHEET_BACKGROUND_WRITER": False})


def test_missing_required_fields_get_a_summary_and_messages_beside_the_fields(client):
    response = post(client, **{**COMPLAINT, "deelnemer": "", "omschrijving": ""})
    assert response.status_code == 422
    page = response.text
    assert page.count('class="foutenoverzicht"') == 1
    assert '<a href="#veld-deelnemer">Vul &#39;Naam van de deelnemer&#39; in</a>' in page
    assert 'id="fout-deelnemer"' in page
    field = re.search(r'<input id="veld-deelnemer"[^>]*>', page)[0]
    assert 'aria-describedby="fout-deelnemer"' in field and 'aria-invalid="true"' in field
    # What was typed is kept.
    assert 'value="Mia de Boer"' in page


def test_required_if_and_show_if_are_applied_on_the_server(client, register_path):
    # Confirmation by letter: the address becomes required; by phone: the phone number.
    page = post(client, **{**COMPLAINT, "bevestiging_via": "Brief", "telefoon": ""}).text
    assert "Vul &#39;Postadres van de deelnemer&#39; in" in page
    page = post(client, **{**COMPLAINT, "telefoon": ""}).text
    assert "Vul &#39;Telefoonnummer van de deelnemer&#39; in" in page
    # Without script every question is shown, its condition written in the help text.
    assert "Alleen invullen als &#39;Hoe wil de deelnemer de bevestiging krijgen&#39; is" in page
    # An answer to a question that does not apply is not stored.
    response = post(client, **{**COMPLAINT, "adres": "Dorpsstraat 1"})
    assert response.status_code == 303
    assert rows(register_path)[0]["Adres"] == ""


def test_a_complaint_handed_over_is_stored_as_typed(client, register_path):
    response = post(client, **COMPLAINT)
    assert response.status_code == 303
    result = client.get(response.headers["Location"])
    nummer = re.search(r'<p class="nummer" id="nummer">([\d-]+)</p>', result.text)[1]
    assert "De melding staat in het klachtenregister" in result.text
    assert "binnen\n    10 werkdagen" in result.text or "10 werkdagen" in result.text
    [row] = rows(register_path)
    assert row["Nummer"] == nummer
    for key, value in COMPLAINT.items():
        header = schema.KLACHTEN.header(key)
        expected = "20-11-2026" if key == "datum_activiteit" else value
        assert row[header] == expected, header
    assert row["Status"] == "Overgedragen"
    assert row["Overgedragen op"] == row["Ontvangen op"][:10]
    assert row["Vertrouwelijk"] == "Nee"
    [entry] = rows(register_path, "Logboek")
    assert entry["Nummer"] == nummer and entry["Actie"] == "Ingevoerd via formulier"
    assert entry["Door"] == "formulier"
    for key in ("ingevoerd_door", "deelnemer", "telefoon", "omschrijving", "email_invoerder"):
        assert COMPLAINT[key] not in entry["Details"]


def test_an_inquiry_needs_nothing_further(client, register_path):
    values = {**COMPLAINT, "soort": "Navraag"}
    response = post(client, **values)
    page = client.get(response.headers["Location"]).text
    assert "er is verder niets nodig" in page
    [row] = rows(register_path)
    assert row["Status"] == "Afgehandeld"
    # The complaint-only questions did not apply.
    assert row["Categorie"] == row["Opgelost in 1e lijn"] == row["Bevestiging via"] == ""


def test_solved_in_first_line(client, register_path):
    values = {**COMPLAINT, "opgelost_1e_lijn": "Ja", "oplossing_1e_lijn": "Taxi geregeld."}
    page = client.get(post(client, **values).headers["Location"]).text
    assert "De klacht is opgelost" in page
    [row] = rows(register_path)
    assert row["Status"] == "Opgelost 1e lijn" and row["Overgedragen op"] == ""
    assert row["Oplossing 1e lijn"] == "Taxi geregeld."


def test_police_advice_for_loss_or_theft(client):
    values = {**COMPLAINT, "omschrijving": "Haar tas is gestolen in de pauze."}
    page = client.get(post(client, **values).headers["Location"]).text
    assert "aangifte te doen bij de politie" in page
    page = client.get(post(client, **COMPLAINT).headers["Location"]).text
    assert "aangifte" not in page


def test_formula_text_is_stored_as_text(client, register_path):
    formula = '=IMPORTXML("http://x","//a")'
    post(client, **{**COMPLAINT, "omschrijving": formula})
    import openpyxl

    sheet = openpyxl.load_workbook(register_path)["Klachten"]
    column = list(schema.KLACHTEN.headers).index("Omschrijving") + 1
    cell = sheet.cell(row=2, column=column)
    assert cell.value == formula and cell.data_type == "s"


def test_volunteer_report_enters_as_new(client, register_path):
    response = post(client, "vrijwilliger", **REPORT)
    assert response.status_code == 303
    page = client.get(response.headers["Location"]).text
    assert "De telefoondienst neemt contact op" in page
    [row] = rows(register_path)
    assert (row["Kanaal"], row["Soort"], row["Status"]) == ("Vrijwilliger", "Klacht", "Nieuw")
    assert row["Deelnemer"] == REPORT["deelnemer"]


@pytest.mark.parametrize(
    "values",
    [{"vertrouwelijk": "Ja"}, {"categorie": "Vrijwilliger met een klacht"}],
    ids=["box-ticked", "category-confidential"],
)
def test_confidential_goes_to_the_confidential_register(client, config, register_path, values):
    response = post(client, **{**COMPLAINT, **values})
    assert response.status_code == 303
    [shared] = rows(register_path)
    [full] = rows(config.confidential_register)
    assert shared["Nummer"] == full["Nummer"]
    assert full["Deelnemer"] == COMPLAINT["deelnemer"]
    assert full["Omschrijving"] == COMPLAINT["omschrijving"]
    for header in ("Deelnemer", "Telefoon", "Ingevoerd door", "E-mail invoerder"):
        assert shared[header] == ""
    assert COMPLAINT["omschrijving"] not in shared["Omschrijving"]
    assert shared["Vertrouwelijk"] == full["Vertrouwelijk"] == "Ja"
    assert shared["Status"] == "Overgedragen"
    assert len(rows(config.confidential_register, "Logboek")) == 1


def test_double_submit_gives_one_row_and_the_same_nummer(client, register_path):
    unlock(client)
    data = {**open_form(client), **COMPLAINT}
    first = client.post("/formulier/telefoondienst", data=data)
    second = client.post("/formulier/telefoondienst", data=data)
    assert first.headers["Location"] == second.headers["Location"]
    assert len(rows(register_path)) == 1
    assert len(rows(register_path, "Logboek")) == 1


def test_locked_register_queues_then_writes_exactly_once(client, app, register_path):
    lock = register_path.with_name(f".~lock.{register_path.name}#")
    lock.write_text("Iemand,pc,01.01.2026 10:00,")
    response = post(client, **COMPLAINT)
    assert response.status_code == 303
    page = client.get(response.headers["Location"]).text
    nummer = re.search(r'id="nummer">([\d-]+)<', page)[1]
    assert "niet\nbereikbaar" in page or "niet bereikbaar" in page
    assert rows(register_path) == []
    desk = app.extensions["klachtsheet"]
    assert desk.pending_count() == 1
    # Still locked: another attempt writes nothing and loses nothing.
    desk.write_now()
    assert rows(register_path) == [] and desk.pending_count() == 1
    lock.unlink()
    desk.write_now()
    desk.write_now()
    [row] = rows(register_path)
    assert row["Nummer"] == nummer and row["Deelnemer"] == COMPLAINT["deelnemer"]
    assert len(rows(register_path, "Logboek")) == 1
    assert desk.pending_count() == 0
    assert "staat in het klachtenregister" in client.get(response.headers["Location"]).text


def test_no_personal_data_in_log_lines(client, caplog):
    caplog.set_level(logging.DEBUG)
    post(client, **{**COMPLAINT, "deelnemer": ""})
    post(client, **COMPLAINT)
    post(client, **{**COMPLAINT, "omschrijving": "x" * 100_000})
    text = caplog.text
    assert "queued" in text  # something was logged, but nothing personal
    for key in (
        "ingevoerd_door",
        "email_invoerder",
        "deelnemer",
        "telefoon",
        "omschrijving",
        "deelnemernummer",
    ):
        assert COMPLAINT[key] not in text


def test_health_reports_the_queue(client):
    assert client.get("/health").get_json() == {"status": "ok", "wachtrij": 0}


def test_form_without_access_code_is_closed(tmp_path, register_path):
    config = Config(
        register=str(register_path),
        queue_dir=tmp_path / "q",
        server=ServerConfig(secret_key=SECRET, secure_cookies=False),
    )
    app = create_app(config, {"TESTING": True, "KLACHTSHEET_BACKGROUND_WRITER": False})
    response = app.test_client().get("/formulier/telefoondienst/toegang")
    assert response.status_code == 403
    assert "nog niet opengesteld" in response.text


def test_choices_come_from_the_register(client, register):
    register.append(schema.LOCATIES_TAB, [{"Locatie": "Zwolle", "Regio": "Oost"}])
    app = client.application
    app.extensions["klachtsheet"].writer.refresh()
    unlock(client)
    page = client.get("/formulier/telefoondienst").text
    assert '<option value="Zwolle"' in page
    assert '<option value="Niet ophalen"' in page
    response = post(client, **{**COMPLAINT, "locatie": "Atlantis"})
    assert "&#39;Atlantis&#39; is geen keuze" in response.text


def test_path_tokens_cannot_be_guessed_into_other_pages(client):
    unlock(client)
    assert client.get("/formulier/telefoondienst/ontvangen/" + "a" * 32).status_code == 404
    assert client.get("/formulier/bestaat-niet").status_code == 404
    csrf(client.get("/formulier/telefoondienst/toegang").text)


def test_written_queue_keeps_no_personal_data(client, config):
    post(client, **COMPLAINT)
    for path in Path(config.queue_dir).iterdir():
        data = path.read_bytes()
        for text in (COMPLAINT["deelnemer"], COMPLAINT["omschrijving"]):
            assert text.encode() not in data, path
            assert json.dumps(text).encode()[1:-1] not in data, path


def test_behind_a_proxy_wrong_codes_count_per_person(tmp_path, register_path):
    config = make_config(tmp_path, register_path, behind_proxy=True)
    app = create_app(config, {"TESTING": True, "KLACHTSHEET_BACKGROUND_WRITER": False})
    one, other = app.test_client(), app.test_client()
    one.environ_base["HTTP_X_FORWARDED_FOR"] = "192.0.2.10"
    other.environ_base["HTTP_X_FORWARDED_FOR"] = "192.0.2.20"

    blocked = [unlock(one, code=f"fout-{i}").status_code for i in range(6)]
    allowed = unlock(other)

    assert blocked[-1] == 429
    assert allowed.status_code in (302, 303)
