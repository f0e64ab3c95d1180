"""The real sync (klachtsheet.sync.run_sync) against the fake: requests do not grow with rows."""

from __future__ import annotations

from datetime import date

import pytest

from klachtsheet import schema
from klachtsheet.config import Config
from klachtsheet.register.google import GoogleRegister
from klachtsheet.sync import run as sync
from support.fake_sheets import FakeHTTPClient

H = schema.KLACHTEN.header
TODAY = date(2026, 11, 20)
OPEN_ROWS = 5


def _rows(count: int) -> list[list[str]]:
    """Return complaints: a few handed over and waiting for the sync, the rest closed."""
    headers = list(schema.KLACHTEN.headers)
    rows = []
    for i in range(count):
        values = {
            "Nummer": f"26-{i // 1000:03d}-{i % 1000:03d}",
            H("ontvangen_op"): "02-11-2026",
            H("kanaal"): "Telefoon",
            H("soort"): "Klacht",
            H("locatie"): "Utrecht",
            H("categorie"): "Niet ophalen",
            H("vertrouwelijk"): "Nee",
            H("bevestiging_via"): "Telefoon",
            H("deelnemer"): f"Deelnemer {i}",
            H("omschrijving"): "Niet opgehaald",
            H("opgelost_1e_lijn"): "Nee",
            H("status"): "Overgedragen",
            H("overgedragen_op"): "03-11-2026",
            H("coordinator"): "Bram Jansen",
        }
        if i >= OPEN_ROWS:
            values.update(
                {
                    H("status"): "Afgesloten",
                    H("antwoord_uiterlijk"): "17-11-2026",
                    H("bevestiging_verstuurd_op"): "03-11-2026",
                    H("aangifte_geadviseerd"): "Nee",
                    H("teruggekoppeld_deelnemer_op"): "10-11-2026",
                    H("teruggekoppeld_medewerker_op"): "10-11-2026",
                    H("tevredenheid"): "Tevreden",
                    H("afgesloten_op"): "10-11-2026",
                }
            )
        rows.append([values.get(h, "") for h in headers])
    return rows


@pytest.mark.parametrize("size", [100, 1_000, 10_000])
def test_google_sync_requests_are_constant_and_a_second_sync_writes_nothing(
    fake, fake_url, tmp_path, size
):
    key = fake.create("sync-requests")
    GoogleRegister(key, FakeHTTPClient(fake_url)).ensure_layout(schema.EXAMPLE_TABS)
    fake.put_rows(key, schema.KLACHTEN_TAB, _rows(size), start=1)
    config = Config(output_dir=tmp_path / "uitvoer")

    fake.reset_log()
    report = sync.run_sync(
        config, shared=GoogleRegister(key, FakeHTTPClient(fake_url)), today=TODAY
    )
    kinds = [r.kind for r in fake.requests]
    # Read, re-read the sync columns, write (a few parts for very big runs: every request
    # stays under Google's 2 MB), then the Logboek: its Id column first, so a replayed batch
    # never adds a line twice (issue 11), and the append. Last the date columns as stored
    # and one write turning the dates typed as text (put_rows) into date numbers.
    assert kinds[:2] == ["values.batchGet", "values.batchGet"]
    assert kinds[-4:] == [
        "values.batchGet",
        "values.append",
        "values.batchGet",
        "values.batchUpdate",
    ]
    assert kinds[2:-4] == ["values.batchUpdate"] * len(kinds[2:-4]) and 1 <= len(kinds[2:-4]) <= 2
    assert all(r.status == 200 for r in fake.requests)
    assert max(r.size for r in fake.requests) < 2_000_000
    *parts, append, dates = fake.writes()
    assert dates.body["valueInputOption"] == "RAW"
    assert all(p.body["valueInputOption"] == "RAW" for p in parts)
    assert append.query["valueInputOption"] == ["RAW"]
    due = schema.KLACHTEN.headers.index(H("antwoord_uiterlijk"))
    stored = fake.rows(key, schema.KLACHTEN_TAB)[1:]
    assert all(row[due] for row in stored[:OPEN_ROWS])  # the open ones got an answer-by date
    assert report is not None

    fake.reset_log()
    sync.run_sync(config, shared=GoogleRegister(key, FakeHTTPClient(fake_url)), today=TODAY)
    assert fake.writes() == []
    assert [r.kind for r in fake.requests] == ["values.batchGet", "values.batchGet"]
