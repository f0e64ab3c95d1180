"""Who changed what, on Google Sheets (the fake): no version history needed, no extra request."""

from __future__ import annotations

from datetime import date

from klachtsheet import schema
from klachtsheet.config import Config
from klachtsheet.register.google import GoogleRegister
from klachtsheet.sync import run as sync
from support.fake_sheets import FakeHTTPClient

H = schema.KLACHTEN.header
HEADERS = list(schema.KLACHTEN.headers)


def _row(status: str, coordinator: str) -> list[str]:
    values = {
        "Nummer": "26-300-001", H("ontvangen_op"): "02-11-2026", H("kanaal"): "Telefoon",
        H("soort"): "Klacht", H("locatie"): "Utrecht", H("categorie"): "Niet ophalen",
        H("vertrouwelijk"): "Nee", H("bevestiging_via"): "Telefoon", H("deelnemer"): "Mevr. Q",
        H("omschrijving"): "Niet opgehaald", H("opgelost_1e_lijn"): "Nee", H("status"): status,
        H("overgedragen_op"): "03-11-2026", H("coordinator"): coordinator,
        H("bevestiging_verstuurd_op"): "03-11-2026",
    }  # fmt: skip
    return [values.get(h, "") for h in HEADERS]


def test_a_status_and_coordinator_change_on_google_is_logged_once(fake, fake_url, tmp_path):
    key = fake.create("changes")
    GoogleRegister(key, FakeHTTPClient(fake_url)).ensure_layout(schema.TABS)
    fake.put_rows(key, schema.KLACHTEN_TAB, [_row("Overgedragen", "Bram Jansen")], start=1)
    config = Config(output_dir=tmp_path / "uitvoer")
    day = date(2026, 11, 5)

    def run():
        return sync.run_sync(
            config, shared=GoogleRegister(key, FakeHTTPClient(fake_url)), today=day
        )

    run()
    # A person edits the sheet in the browser.
    row = fake.rows(key, schema.KLACHTEN_TAB)[1]
    row[HEADERS.index(H("status"))] = "In behandeling"
    row[HEADERS.index(H("coordinator"))] = "Els Bakker"
    fake.put_rows(key, schema.KLACHTEN_TAB, [row], start=1)

    fake.reset_log()
    report = run()
    assert report.extra.changes_seen == 2
    # Read; append the Logboek (after reading its Id column, so a replay adds nothing); read
    # the date columns as stored (typed dates become real ones): no extra read for changes.
    assert [r.kind for r in fake.requests] == [
        "values.batchGet",
        "values.batchGet",
        "values.append",
        "values.batchGet",
    ]
    lines = [
        r for r in fake.rows(key, schema.LOGBOEK_TAB)[1:] if r[2] == "Gewijzigd in het register"
    ]
    details = sorted(r[3].split(" (gezien")[0] for r in lines)
    assert details == [
        "Coördinator: 'Bram Jansen' → 'Els Bakker'",
        "Status: 'Overgedragen' → 'In behandeling'",
    ]
    assert all(r[1] == "26-300-001" and "Mevr. Q" not in r[3] for r in lines)

    fake.reset_log()
    again = run()
    assert again.extra.changes_seen == 0 and fake.writes() == []
