"""One bad row never stops the sync: bad addresses and a name with a line break."""

from __future__ import annotations

from email import message_from_bytes
from email.policy import default

import pytest

from klachtsheet import schema
from klachtsheet.cli import cli
from klachtsheet.sync.run import run_sync

BAD_ADDRESSES = ["a,b@voorbeeld.nl", "jan@voorbeeld.nl,", "a..b@voorbeeld.nl", "jösé@voorbeeld.nl"]


def _row(name: str, email: str) -> dict[str, str]:
    return {
        "Nummer": "@nummer", "Ontvangen op": "23-11-2026", "Kanaal": "Telefoon",
        "Soort": "Klacht", "Deelnemer": name, "E-mail deelnemer": email,
        "Bevestiging via": "E-mail", "Locatie": "Rotterdam", "Categorie": "Overig",
        "Omschrijving": "De bus kwam niet.", "Status": "Overgedragen",
        "Overgedragen op": "18-12-2026",
    }  # fmt: skip


GOOD = [_row(f"Goed {i}", f"goed{i}@voorbeeld.nl") for i in range(3)]
BAD = [_row(f"Fout {i}", address) for i, address in enumerate(BAD_ADDRESSES)]
# Alt+Enter in the sheet: a valid address, but the name cannot go into a header.
BROKEN_NAME = _row("Jan\nJansen", "jan.jansen@voorbeeld.nl")


@pytest.fixture
def hostile(sh, register_path, messy):
    sh.type_rows(register_path, [*GOOD, *BAD, BROKEN_NAME])
    return register_path


def _rows(sh, path):
    return {r["Deelnemer"]: r for r in sh.read_rows(path)}


def test_bad_rows_get_controle_and_every_other_row_its_confirmation(
    smtp_config, smtp_server, register, hostile, sh
):
    _, handler = smtp_server
    report = run_sync(smtp_config, shared=register, today=sh.TODAY)

    assert report.ok  # the run itself did not fail
    assert report.not_done == len(BAD) + 1
    assert f"{len(BAD) + 1} rijen niet afgehandeld" in report.summary()
    received = {
        message_from_bytes(e.content, policy=default)["To"].addresses[0].addr_spec
        for e in handler.messages
    }
    for i in range(3):
        assert f"goed{i}@voorbeeld.nl" in received
    assert "jan.jansen@voorbeeld.nl" not in received
    rows = _rows(sh, hostile)
    for i in range(3):
        assert rows[f"Goed {i}"]["Bevestiging verstuurd op"]
    for i in range(len(BAD)):
        bad = rows[f"Fout {i}"]
        assert not bad["Bevestiging verstuurd op"]
        assert "E-mail deelnemer" in bad["Controle"]
    broken = rows["Jan\nJansen"]
    assert not broken["Bevestiging verstuurd op"]
    assert "regeleinde" in broken["Controle"]
    logboek = sh.read_rows(hostile, schema.LOGBOEK_TAB)
    failed = [line for line in logboek if line["Actie"] == "Versturen mislukt"]
    assert [line["Nummer"] for line in failed] == [broken["Nummer"]]
    assert "Jan" not in failed[0]["Details"]  # no personal data in the Logboek

    # The next run sends nothing twice and keeps the Controle messages.
    handler.messages.clear()
    again = run_sync(smtp_config, shared=register, today=sh.TODAY)
    assert again.not_done == len(BAD) + 1
    assert not any(
        "goed" in str(message_from_bytes(e.content, policy=default)["To"]) for e in handler.messages
    )
    assert "regeleinde" in _rows(sh, hostile)["Jan\nJansen"]["Controle"]
    # The same failure on the same day is logged once, however often the sync runs.
    logboek = sh.read_rows(hostile, schema.LOGBOEK_TAB)
    assert len([line for line in logboek if line["Actie"] == "Versturen mislukt"]) == 1


def test_the_command_says_how_many_rows_and_exits_3(runner, tmp_path, hostile):
    path = tmp_path / "klachtsheet.toml"
    path.write_text(f'[register]\nlocatie = "{hostile.name}"\n[mappen]\nuitvoer = "uitvoer"\n')
    result = runner.invoke(cli, ["--config", str(path), "sync", "--datum", "26-11-2026"])
    assert result.exit_code == 3, result.output
    assert "5 rijen niet afgehandeld (zie Controle)" in result.output
    assert "5 rijen konden niet worden afgehandeld" in result.output


def test_a_hand_typed_row_never_gets_a_nummer_the_queue_has_pending(monkeypatch, sh):
    from klachtsheet import nummer
    from klachtsheet.model import Table
    from klachtsheet.rules import build_context
    from klachtsheet.sync.plan import plan

    draws = iter([12345, 12345, 67890])
    monkeypatch.setattr(nummer.secrets, "randbelow", lambda _n: next(draws))
    headers = schema.KLACHTEN.headers
    row = tuple(
        "Klacht" if h == "Soort" else "Mevr. Hand" if h == "Deelnemer" else "" for h in headers
    )
    klachten = Table(schema.KLACHTEN_TAB, headers, (row,))
    ctx = build_context({schema.KLACHTEN_TAB: klachten}, sh.TODAY)
    pending = nummer.new_nummer(set(), sh.TODAY)  # the draw 12345: the queue has it
    the_plan = plan(klachten, None, ctx, {}, {}, None, reserved={pending})
    [given] = the_plan.new_nummers
    assert given != pending and given.replace("-", "").startswith("26678")


def test_a_row_the_rules_cannot_review_gets_controle_and_the_rest_goes_on(
    config, register, hostile, sh, monkeypatch
):
    # One row at a time: sync/rows.py reviews each row and keeps a failure to that row.
    from klachtsheet.sync import rows as plan_module

    real = plan_module.review

    def fragile(complaint, ctx, **kw):
        if complaint.deelnemer == "Goed 1":
            raise ZeroDivisionError("a bug for this row only")
        return real(complaint, ctx, **kw)

    monkeypatch.setattr(plan_module, "review", fragile)
    report = run_sync(config, shared=register, today=sh.TODAY)
    assert report.ok
    rows = _rows(sh, hostile)
    assert "kon niet worden gecontroleerd" in rows["Goed 1"]["Controle"]
    assert rows["Goed 0"]["Bevestiging verstuurd op"] and rows["Goed 2"]["Bevestiging verstuurd op"]
    assert report.not_done == len(BAD) + 2
