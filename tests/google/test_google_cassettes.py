"""Recorded Sheets API traffic of the main scenarios (init, intake append, sync), replayed.

By default the cassettes in tests/google/cassettes/ are replayed (record mode "none"):
no network, no fake. Re-record them with ``--record-mode=rewrite`` (see
tests/google/README.md): against a real spreadsheet when KLACHTSHEET_TEST_SPREADSHEET
and GOOGLE_APPLICATION_CREDENTIALS are set, otherwise against the local fake.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from klachtsheet import schema
from klachtsheet.model import CellUpdate
from klachtsheet.register.google import GoogleRegister, RetryPolicy, load_credentials
from klachtsheet.sync import logbook
from support.fake_sheets import GOOGLE, FakeHTTPClient

ENV_SPREADSHEET = "KLACHTSHEET_TEST_SPREADSHEET"
ENV_CREDENTIALS = "GOOGLE_APPLICATION_CREDENTIALS"
CASSETTE_KEY = "KLACHTSHEET-TEST-SPREADSHEET"
CASSETTES = Path(__file__).parent / "cassettes"
KLACHTEN = schema.KLACHTEN_TAB
H = schema.KLACHTEN.header
FORMULA = '=IMPORTXML("http://x","//a")'


def _real_key() -> str:
    return os.environ.get(ENV_SPREADSHEET, "")


def _scrub_request(request):
    """Store every request as one to sheets.googleapis.com for the placeholder spreadsheet."""
    uri = request.uri
    if uri.startswith("http://127.0.0.1:"):
        uri = GOOGLE + "/" + uri.split("/", 3)[3]
    if _real_key():
        uri = uri.replace(_real_key(), CASSETTE_KEY)
    request.uri = uri
    return request


def _scrub_response(response):
    key = _real_key()
    body = response.get("body", {}).get("string")
    if key and isinstance(body, bytes):
        response["body"]["string"] = body.replace(key.encode(), CASSETTE_KEY.encode())
    for header in ("Set-Cookie", "set-cookie"):
        response.get("headers", {}).pop(header, None)
    return response


@pytest.fixture(scope="module")
def vcr_config():
    return {
        "serializer": "json",
        "filter_headers": [("authorization", "<ACCESS_TOKEN>")],
        "ignore_hosts": ["oauth2.googleapis.com"],  # token requests are never recorded
        "match_on": ["method", "path", "query"],
        "before_record_request": _scrub_request,
        "before_record_response": _scrub_response,
        "decode_compressed_response": True,
    }


@pytest.fixture(scope="module")
def vcr_cassette_dir():
    return str(CASSETTES)


@pytest.fixture
def connect(request, record_mode):
    """Return a function giving a fresh GoogleRegister (one per run) and its HTTP client."""
    if record_mode != "none" and _real_key():
        credentials = load_credentials(Path(os.environ[ENV_CREDENTIALS]))
        base, key = GOOGLE, _real_key()
    elif record_mode != "none":
        fake = request.getfixturevalue("fake")
        base, key, credentials = request.getfixturevalue("fake_url"), CASSETTE_KEY, None
        fake.create(CASSETTE_KEY)
    else:
        # Replaying: vcrpy answers every request, this address is never contacted.
        base, key, credentials = "http://127.0.0.1:9", CASSETTE_KEY, None

    def make() -> tuple[GoogleRegister, FakeHTTPClient]:
        client = FakeHTTPClient(base, auth=credentials)
        retry = RetryPolicy(tries=1)  # a cassette holds no retries
        return GoogleRegister(key, client, retry=retry), client

    return make


def _body(request) -> str:
    body = request.body or b""
    return body.decode("utf-8") if isinstance(body, bytes) else str(body)


def _kinds(client: FakeHTTPClient) -> list[str]:
    kinds = []
    for method, url, _, _ in client.sent:
        if ":batchUpdate" in url and "/values" not in url:
            kinds.append("spreadsheets.batchUpdate")
        elif "values:batchGet" in url:
            kinds.append("values.batchGet")
        elif "values:batchUpdate" in url:
            kinds.append("values.batchUpdate")
        elif url.endswith(":append"):
            kinds.append("values.append")
        else:
            kinds.append(f"{method} other")
    return kinds


@pytest.mark.vcr
def test_google_cassette_init(connect, vcr):
    register, client = connect()
    assert register.ensure_layout(schema.EXAMPLE_TABS) == [
        f"Tabblad '{tab.name}' toegevoegd" for tab in schema.TABS
    ]
    assert _kinds(client) == ["GET other", "spreadsheets.batchUpdate"]
    again, client = connect()
    assert again.ensure_layout(schema.EXAMPLE_TABS) == []
    assert "spreadsheets.batchUpdate" not in _kinds(client)
    assert len(vcr.requests) == 4  # metadata + batchUpdate, then metadata + headers
    for recorded in vcr.requests:
        assert recorded.headers.get("authorization", "<ACCESS_TOKEN>") == "<ACCESS_TOKEN>"
        assert recorded.uri.startswith(f"{GOOGLE}/v4/spreadsheets/{CASSETTE_KEY}")
        assert "formulaValue" not in _body(recorded)


@pytest.mark.vcr
def test_google_cassette_intake_append(connect, vcr):
    register, _ = connect()
    register.ensure_layout(schema.EXAMPLE_TABS)
    form, client = connect()
    row = {
        H("ontvangen_op"): "26-11-2026 14:05",
        H("kanaal"): "Telefoon",
        H("soort"): schema.KLACHT,
        H("deelnemer"): "Mevrouw Test",
        H("omschrijving"): FORMULA,
        H("status"): schema.NIEUW,
    }
    (nummer,) = form.append(KLACHTEN, [row])
    assert nummer
    assert _kinds(client) == ["values.batchGet", "values.append"]
    params, body = client.sent[-1][2], client.sent[-1][3]
    assert params["valueInputOption"] == "RAW"
    assert params["insertDataOption"] == "INSERT_ROWS"
    assert FORMULA in body["values"][0]
    reader, _ = connect()
    (complaint,) = reader.read([KLACHTEN])[KLACHTEN].records()
    assert complaint[H("omschrijving")] == FORMULA
    assert complaint[H("deelnemer")] == "Mevrouw Test"
    append = next(r for r in vcr.requests if ":append" in r.uri)
    assert "valueInputOption=RAW" in append.uri
    assert "insertDataOption=INSERT_ROWS" in append.uri
    assert FORMULA in json.loads(_body(append))["values"][0]


@pytest.mark.vcr
def test_google_cassette_sync(connect):
    register, _ = connect()
    register.ensure_layout(schema.EXAMPLE_TABS)
    register.append(
        KLACHTEN,
        [
            {
                H("deelnemer"): f"Deelnemer {i}",
                H("status"): "Overgedragen",
                H("overgedragen_op"): "02-11-2026",
            }
            for i in range(3)
        ],
    )
    sync, client = connect()
    tables = sync.read([tab.name for tab in schema.TABS])
    nummers = tables[KLACHTEN].column("Nummer")
    assert len(nummers) == 3
    updates = [CellUpdate(n, H("antwoord_uiterlijk"), "16-11-2026") for n in nummers]
    assert sync.update(KLACHTEN, updates).written == 3
    sync.append(schema.LOGBOEK_TAB, [logbook.entry(n, "Antwoordtermijn gezet") for n in nummers])
    assert _kinds(client) == [
        "values.batchGet",
        "values.batchGet",
        "values.batchUpdate",
        "values.batchGet",  # the Logboek's Id column: replays add no line twice
        "values.append",
    ]
    assert client.sent[2][3]["valueInputOption"] == "RAW"
    second, client = connect()
    tables = second.read([tab.name for tab in schema.TABS])
    assert tables[KLACHTEN].column(H("antwoord_uiterlijk")) == ["16-11-2026"] * 3
    assert second.update(KLACHTEN, updates).written == 0
    assert _kinds(client) == ["values.batchGet", "values.batchGet"]  # nothing written
