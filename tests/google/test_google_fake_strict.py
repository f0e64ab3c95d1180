"""Item 5 of issue 14: the fake is as strict as Google where it matters, and klachtsheet copes.

Each test shows the fake refusing or parsing as Google does, then (where it applies) the
register working within that.
"""

from __future__ import annotations

import json

import gspread
import pytest

from klachtsheet import schema
from klachtsheet.model import CellUpdate
from klachtsheet.register.google import GoogleRegister
from support.fake_limits import DateSerial, ManualClock, Quota, serial
from support.fake_sheets import FakeHTTPClient

KLACHTEN = schema.KLACHTEN_TAB
H = schema.KLACHTEN.header


@pytest.fixture
def client(fake, fake_url):
    fake.create("streng")
    return FakeHTTPClient(fake_url)


def _error(call) -> tuple[int, str]:
    with pytest.raises(gspread.exceptions.APIError) as caught:
        call()
    return caught.value.response.status_code, str(caught.value.error.get("message"))


def test_reads_past_the_grid_fail(client):
    status, message = _error(lambda: client.values_batch_get("streng", ["Blad1!A1001:A1001"]))
    assert status == 400 and "exceeds grid limits" in message
    status, message = _error(lambda: client.values_batch_get("streng", ["Blad1!AF2:AF"]))
    assert status == 400 and "exceeds grid limits" in message
    assert client.values_batch_get("streng", ["Blad1!A1:ZZ5000"])["valueRanges"]  # clamped


def test_a_register_narrower_than_the_schema_is_read_and_written(fake, fake_url):
    fake.create("smal", sheets=(KLACHTEN,))  # 26 columns: fewer than Klachten has
    headers = list(schema.KLACHTEN.headers[:20])
    fake.put_rows("smal", KLACHTEN, [headers, ["26-000-001", "02-11-2026"]])
    fake.sheet("smal", KLACHTEN).grid["columnCount"] = 20
    register = GoogleRegister("smal", FakeHTTPClient(fake_url))
    (n,) = register.append(KLACHTEN, [{H("deelnemer"): "A"}])
    assert n
    result = register.update(KLACHTEN, [CellUpdate("26-000-001", H("kanaal"), "Post")])
    assert result.written == 1


def test_cells_over_50000_characters_are_refused(client):
    body = {"valueInputOption": "RAW", "data": [{"range": "Blad1!A1", "values": [["x" * 50_001]]}]}
    status, message = _error(lambda: client.values_batch_update("streng", body))
    assert status == 400 and "50000 characters" in message
    body["data"][0]["values"] = [["x" * 50_000]]
    client.values_batch_update("streng", body)


def test_request_bodies_over_the_payload_limit_are_refused(fake, client):
    fake.max_payload = 1_000_000  # as Google's 10 MB, scaled down to keep the test quick
    rows = [["y" * 1000] for _ in range(1200)]
    body = {"valueInputOption": "RAW", "data": [{"range": "Blad1!A1", "values": rows}]}
    assert len(json.dumps(body)) > fake.max_payload
    status, message = _error(lambda: client.values_batch_update("streng", body))
    assert status == 400 and "payload size exceeds the limit" in message
    assert fake.rows("streng", "Blad1") == []  # nothing applied


def test_values_people_type_are_parsed_by_the_locale(fake, client):
    fake.type_in("streng", "Blad1", 0, 0, "0612345678")
    fake.type_in("streng", "Blad1", 0, 1, "03-05-2026")
    fake.type_in("streng", "Blad1", 0, 2, "3,5")
    fake.type_in("streng", "Blad1", 0, 3, "Utrecht")
    stored = fake.sheet("streng", "Blad1").cells[0]
    assert stored[0] == 612345678  # the leading zero is gone
    assert isinstance(stored[1], DateSerial) and stored[1] == serial(
        __import__("datetime").date(2026, 5, 3)
    )
    assert stored[2] == 3.5
    (shown,) = client.values_batch_get("streng", ["Blad1!A1:D1"])["valueRanges"][0]["values"]
    assert [shown[0], shown[1], shown[3]] == ["612345678", "3-5-2026", "Utrecht"]
    fake.book("streng").locale = "en_US"
    fake.type_in("streng", "Blad1", 1, 0, "3-5-2026")
    assert fake.sheet("streng", "Blad1").cells[1][0].shown == "3/5/2026"  # 5 March there
    # USER_ENTERED writes through the API are parsed the same way; RAW ones are not.
    body = {
        "valueInputOption": "USER_ENTERED",
        "data": [{"range": "Blad1!A3", "values": [["007"]]}],
    }
    client.values_batch_update("streng", body)
    assert fake.sheet("streng", "Blad1").cells[2][0] == 7
    body = {"valueInputOption": "RAW", "data": [{"range": "Blad1!A4", "values": [["007"]]}]}
    client.values_batch_update("streng", body)
    assert fake.sheet("streng", "Blad1").cells[3][0] == "007"


def test_per_minute_quota_answers_429_without_retry_after(fake, client):
    clock = ManualClock()
    fake.quota = Quota(60, clock)
    for _ in range(60):
        client.values_batch_get("streng", ["Blad1!A1"])
    with pytest.raises(gspread.exceptions.APIError) as caught:
        client.values_batch_get("streng", ["Blad1!A1"])
    assert caught.value.response.status_code == 429
    assert "Retry-After" not in caught.value.response.headers
    assert "Read requests per minute per user" in str(caught.value.error.get("message"))
    # Writes have their own quota; the minute passing refills both.
    body = {"valueInputOption": "RAW", "data": [{"range": "Blad1!A1", "values": [["x"]]}]}
    client.values_batch_update("streng", body)
    clock.sleep(60)
    client.values_batch_get("streng", ["Blad1!A1"])


def test_appends_after_a_blank_row_follow_googles_table_detection(fake, fake_url, make_register):
    make_register("gat").ensure_layout(schema.TABS)
    rows = [["26-000-001", "a"], ["26-000-002", "b"], [], ["26-000-003", "c"]]
    fake.put_rows("gat", KLACHTEN, rows, start=1)
    register = make_register("gat")
    (n,) = register.append(KLACHTEN, [{H("deelnemer"): "Nieuw"}])
    stored = [r[0] if r else "" for r in fake.rows("gat", KLACHTEN)[1:]]
    # Google puts the new row right after the first table, above the blank row.
    assert stored == ["26-000-001", "26-000-002", n, "", "26-000-003"]
    # The register finds every row by Nummer anyway, and nothing was overwritten.
    table = register.read([KLACHTEN])[KLACHTEN]
    assert {"26-000-001", "26-000-002", "26-000-003", n} <= set(table.column("Nummer"))
    # A tab whose first rows are blank: the table below them is found, not overwritten.
    fake.create("leeg-boven", sheets=("Blad1",))
    fake.put_rows("leeg-boven", "Blad1", [["kop"], ["waarde"]], start=2)
    client = FakeHTTPClient(fake_url)
    client.values_append(
        "leeg-boven", "Blad1!A1", {"valueInputOption": "RAW"}, {"values": [["nieuw"]]}
    )
    assert [r[0] if r else "" for r in fake.rows("leeg-boven", "Blad1")] == [
        "", "", "kop", "waarde", "nieuw"
    ]  # fmt: skip
