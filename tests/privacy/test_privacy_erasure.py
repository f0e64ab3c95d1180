"""Erasure on request: confirmation, dry run, and the same blanking as retention."""

from __future__ import annotations

import pytest

from klachtsheet import schema
from klachtsheet.cli import cli
from klachtsheet.exceptions import KlachtsheetError
from klachtsheet.model import complaints
from klachtsheet.privacy.access import PersonQuery
from klachtsheet.privacy.anonymise import is_anonymised, marker
from klachtsheet.privacy.erasure import Selection, apply_erasure, plan_erasure, prepare_erasure


def snapshot(world) -> tuple[bytes, bytes, list[str]]:
    outbox = sorted(str(p) for p in world.config.outbox_dir.rglob("*"))
    return world.shared.path.read_bytes(), world.confidential.path.read_bytes(), outbox


def rows(register):
    table = register.read([schema.KLACHTEN_TAB])[schema.KLACHTEN_TAB]
    return {c.nummer: c for c in complaints(table)}


def invoke(runner, world, *args, input=None):
    return runner.invoke(cli, ["--config", str(world.config_path), "verwijder", *args], input=input)


def test_declining_the_prompt_changes_nothing(kit, populated, runner):
    before = snapshot(populated)

    result = invoke(runner, populated, "--naam", kit.GERRITDINA.naam, input="n\n")

    assert result.exit_code == 0, result.output
    assert "[j/N]" in result.output and "Niets gewijzigd." in result.output
    assert snapshot(populated) == before


def test_an_empty_answer_is_no(kit, populated, runner):
    before = snapshot(populated)
    result = invoke(runner, populated, "--nummer", kit.make_nummer(1), input="\n")
    assert "Niets gewijzigd." in result.output
    assert snapshot(populated) == before


def test_confirming_erases_every_complaint_of_the_person(kit, populated, runner):
    result = invoke(runner, populated, "--deelnemernummer", "DN-740213", input="ja\n")

    assert result.exit_code == 0, result.output
    # The list to confirm shows Nummers and facts, never who it is.
    assert kit.make_nummer(3) in result.output and "nog niet afgesloten" in result.output
    for secret in kit.GERRITDINA.secrets():
        assert secret not in result.output
    shared, hidden = rows(populated.shared), rows(populated.confidential)
    for n in (1, 3):
        assert is_anonymised(shared[kit.make_nummer(n)])
        assert shared[kit.make_nummer(n)].omschrijving.endswith("(op verzoek)")
    assert is_anonymised(hidden[kit.make_nummer(4)])
    # Hendrikus keeps everything; the status of the open complaint is untouched.
    assert shared[kit.make_nummer(2)].deelnemer == kit.HENDRIKUS.naam
    assert hidden[kit.make_nummer(6)].deelnemer == kit.HENDRIKUS.naam
    assert shared[kit.make_nummer(3)].status == schema.IN_BEHANDELING
    assert not (populated.config.outbox_dir / kit.make_nummer(1)).exists()
    assert (populated.config.outbox_dir / kit.make_nummer(2)).exists()
    log = list(populated.shared.read([schema.LOGBOEK_TAB])[schema.LOGBOEK_TAB].records())
    assert {e["Nummer"] for e in log} == {kit.make_nummer(1), kit.make_nummer(3)}
    assert all(e["Door"] == "verwijder" for e in log)


def test_ja_skips_the_prompt_and_nummers_may_be_typed_loosely(kit, populated, runner):
    typed = kit.make_nummer(2).replace("-", " ")

    result = invoke(runner, populated, "--nummer", typed, "--nummer", "24-999-999", "--ja")

    assert result.exit_code == 0, result.output
    assert "[j/N]" not in result.output
    assert "Niet gevonden: 24-999-999" in result.output
    assert is_anonymised(rows(populated.shared)[kit.make_nummer(2)])


def test_dry_run_shows_and_changes_nothing(kit, populated, runner):
    before = snapshot(populated)

    result = invoke(runner, populated, "--telefoon", "020 271 8281", "--dry-run")

    assert result.exit_code == 0, result.output
    assert "Proefdraai" in result.output and "[j/N]" not in result.output
    assert kit.make_nummer(6) in result.output
    assert snapshot(populated) == before


def test_nothing_found_is_an_error(populated, runner):
    result = invoke(runner, populated, "--naam", "Niemand Bekend", "--ja")
    assert result.exit_code == 1 and "Fout: Geen meldingen gevonden" in result.output


def test_a_selection_needs_nummers_or_a_person_not_both():
    with pytest.raises(KlachtsheetError):
        Selection()
    with pytest.raises(KlachtsheetError):
        Selection(("24-000-012",), PersonQuery(naam="Iemand Anders"))


def test_erasing_twice_changes_nothing_the_second_time(kit, populated):
    selection = Selection((kit.make_nummer(1),))
    plan = prepare_erasure(populated.shared, populated.confidential, selection, today=kit.TODAY)
    apply_erasure(populated.config, populated.shared, populated.confidential, plan)
    before = snapshot(populated)

    again = prepare_erasure(populated.shared, populated.confidential, selection, today=kit.TODAY)
    report = apply_erasure(populated.config, populated.shared, populated.confidential, again)

    assert again.cells == 0 and report.rows == 0
    assert snapshot(populated) == before


def test_plan_blanks_the_same_columns_as_retention(kit, world):
    kit.fill(world.shared, [kit.complaint(1, kit.GERRITDINA)])
    tables = {"gedeeld": world.shared.read([schema.KLACHTEN_TAB])}

    plan = plan_erasure(tables, Selection((kit.make_nummer(1),)), today=kit.TODAY)

    updates = plan.updates["gedeeld"][kit.make_nummer(1)]
    personal = {c.header for c in schema.KLACHTEN.columns if c.personal}
    assert {u.header for u in updates} == personal
    assert next(u.value for u in updates if u.header == "Omschrijving") == marker(
        kit.TODAY, "op verzoek"
    )


@pytest.mark.parametrize("bad", ["../buiten", "..", "/etc", "a/b", "", ".verborgen"])
def test_a_strange_nummer_never_deletes_outside_the_outbox(tmp_path, bad):
    from klachtsheet.privacy.scrub import delete_outbox

    outbox = tmp_path / "postvak-uit"
    outbox.mkdir()
    outside = tmp_path / "buiten"
    outside.mkdir()
    (outside / "bewaren.txt").write_text("blijft")
    (outbox / ".verborgen").mkdir()

    assert delete_outbox(outbox, bad) == 0
    assert (outside / "bewaren.txt").exists() and (outbox / ".verborgen").exists()
