"""Retention: expired complaints lose exactly their personal data, once, in both registers."""

from __future__ import annotations

import importlib
import importlib.util
from datetime import date

import pytest

from klachtsheet import schema
from klachtsheet.cli import cli
from klachtsheet.model import CellUpdate, Complaint, Table, complaints
from klachtsheet.privacy.anonymise import is_anonymised, is_marker, marker
from klachtsheet.privacy.confidential import personal_keys
from klachtsheet.privacy.retention import (
    add_months,
    apply_retention,
    closing_date,
    cutoff,
    plan_retention,
)

PERSONAL_HEADERS = {schema.KLACHTEN.header(k) for k in personal_keys()}
KEPT_HEADERS = [h for h in schema.KLACHTEN.headers if h not in PERSONAL_HEADERS]


def rows_by_nummer(register) -> dict[str, Complaint]:
    table = register.read([schema.KLACHTEN_TAB])[schema.KLACHTEN_TAB]
    return {c.nummer: c for c in complaints(table)}


def kept_columns(register) -> dict[str, tuple[str, ...]]:
    """Return every non-personal value per Nummer: what all figures are computed from."""
    table = register.read([schema.KLACHTEN_TAB])[schema.KLACHTEN_TAB]
    return {c.nummer: tuple(c.to_mapping()[h] for h in KEPT_HEADERS) for c in complaints(table)}


def figures(register, today: date):
    """Return the agenda and the annual overviews computed from the register, when they exist."""
    if importlib.util.find_spec("klachtsheet.reports.agenda") is None:
        return None  # built in parallel; the column comparison covers it meanwhile
    agenda = importlib.import_module("klachtsheet.reports.agenda")
    annual = importlib.import_module("klachtsheet.reports.annual")
    tables = register.read([t.name for t in schema.TABS])
    return (
        agenda.build_agenda(tables, meeting=today),
        [annual.build_annual(tables, year=year) for year in range(2023, today.year + 1)],
    )


def logboek(register) -> list[dict[str, str]]:
    return list(register.read([schema.LOGBOEK_TAB])[schema.LOGBOEK_TAB].records())


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (date(2026, 11, 26), -24, date(2024, 11, 26)),
        (date(2026, 3, 31), -1, date(2026, 2, 28)),
        (date(2024, 3, 31), -1, date(2024, 2, 29)),
        (date(2026, 1, 15), -13, date(2024, 12, 15)),
        (date(2026, 12, 31), 1, date(2027, 1, 31)),
    ],
)
def test_add_months_uses_calendar_months(day, months, expected):
    assert add_months(day, months) == expected


def test_closing_date_prefers_afgesloten_op_and_falls_back_to_latest_date(kit):
    closed = kit.complaint(1, kit.GERRITDINA, afgesloten_op="10-01-2024")
    solved = kit.complaint(
        2,
        kit.GERRITDINA,
        status=schema.OPGELOST_1E_LIJN,
        afgesloten_op="",
        overgedragen_op="",
        antwoord_uiterlijk="",
        datum_activiteit="",
        ontvangen_op="05-02-2024",
    )
    still_open = kit.complaint(3, kit.GERRITDINA, status=schema.IN_BEHANDELING)
    unreadable = kit.complaint(4, kit.GERRITDINA, afgesloten_op="ergens in januari")

    assert closing_date(closed) == (date(2024, 1, 10), None)
    assert closing_date(solved) == (date(2024, 2, 5), None)
    assert closing_date(still_open) == (None, None)
    assert closing_date(unreadable)[0] is None
    assert "Afgesloten op" in closing_date(unreadable)[1]


def test_only_complaints_closed_longer_than_the_term_are_blanked(kit, world):
    rows = [
        kit.closed_months_ago(23, kit.GERRITDINA, 23),
        kit.closed_months_ago(25, kit.GERRITDINA, 25),
        kit.closed_months_ago(36, kit.HENDRIKUS, 36),
    ]
    kit.fill(world.shared, rows)
    before = kept_columns(world.shared)
    figures_before = figures(world.shared, kit.TODAY)

    report = apply_retention(world.config, world.shared, world.confidential, today=kit.TODAY)

    after = rows_by_nummer(world.shared)
    young, old, older = (after[c.nummer] for c in rows)
    assert young == rows[0]  # 23 months: untouched, every column
    for row in (old, older):
        assert all(row.get(k) == "" for k in personal_keys() if k != "omschrijving")
        assert row.omschrijving == marker(kit.TODAY, "bewaartermijn")
        assert is_anonymised(row)
    # Every column the agenda and the annual figures use is identical.
    assert kept_columns(world.shared) == before
    assert figures(world.shared, kit.TODAY) == figures_before
    assert report.rows == 2
    assert set(report.nummers) == {rows[1].nummer, rows[2].nummer}


def test_second_run_changes_nothing(kit, world):
    kit.fill(world.shared, [kit.closed_months_ago(30, kit.GERRITDINA, 30)])
    apply_retention(world.config, world.shared, world.confidential, today=kit.TODAY)
    workbook = world.shared.path.read_bytes()
    entries = logboek(world.shared)

    # A later day too: the marker's date must not be rewritten.
    second = apply_retention(
        world.config, world.shared, world.confidential, today=add_months(kit.TODAY, 2)
    )

    assert second.rows == 0 and second.cells == 0 and second.documents == 0
    assert world.shared.path.read_bytes() == workbook
    assert logboek(world.shared) == entries


def test_plan_is_pure_and_skips_what_is_already_anonymised(kit):
    expired = kit.closed_months_ago(40, kit.GERRITDINA, 40)
    blank = {k: "" for k in personal_keys()}
    blank["omschrijving"] = "Geanonimiseerd op 01-01-2026 (op verzoek)"
    done = kit.closed_months_ago(41, kit.HENDRIKUS, 41).with_values(**blank)
    headers = schema.KLACHTEN.headers
    tables = {
        schema.KLACHTEN_TAB: Table(
            schema.KLACHTEN_TAB,
            headers,
            (tuple(expired.to_row(headers)), tuple(done.to_row(headers))),
        )
    }

    updates = plan_retention(tables, today=kit.TODAY)

    assert {u.nummer for u in updates} == {expired.nummer}
    assert {u.header for u in updates} == PERSONAL_HEADERS
    assert CellUpdate(expired.nummer, "Omschrijving", marker(kit.TODAY, "bewaartermijn")) in updates
    assert is_marker(done.omschrijving)


def test_term_comes_from_instellingen(kit, world):
    _set_setting(world, "Bewaartermijn (maanden)", "12")
    row = kit.closed_months_ago(13, kit.GERRITDINA, 13)
    kit.fill(world.shared, [row])

    report = apply_retention(world.config, world.shared, None, today=kit.TODAY)

    assert report.months == 12
    assert report.first_kept == cutoff(kit.TODAY, 12)
    assert is_anonymised(rows_by_nummer(world.shared)[row.nummer])
    assert "Geen vertrouwelijk register" in report.summary()


def test_a_term_of_zero_months_erases_nothing(kit, world):
    _set_setting(world, "Bewaartermijn (maanden)", "0")
    row = kit.closed_months_ago(40, kit.GERRITDINA, 40)
    kit.fill(world.shared, [row])

    report = apply_retention(world.config, world.shared, world.confidential, today=kit.TODAY)

    assert report.rows == 0
    assert rows_by_nummer(world.shared)[row.nummer] == row
    assert "0 maanden" in report.summary()


def _set_setting(world, name: str, value: str) -> None:
    # Instellingen has no Nummer column, so write through openpyxl as a person would.
    import openpyxl

    workbook = openpyxl.load_workbook(world.shared.path)
    sheet = workbook[schema.INSTELLINGEN_TAB]
    for row in sheet.iter_rows(min_row=2):
        if row[0].value == name:
            row[1].value = value
    workbook.save(world.shared.path)


def test_both_registers_outbox_and_logboek(kit, populated):
    gerritdina_1, hendrikus_2 = kit.make_nummer(1), kit.make_nummer(2)
    secret = kit.make_nummer(4)

    report = apply_retention(
        populated.config, populated.shared, populated.confidential, today=kit.TODAY
    )

    shared = rows_by_nummer(populated.shared)
    hidden = rows_by_nummer(populated.confidential)
    # Closed 10-01-2024, more than 24 months before 26-11-2026.
    assert is_anonymised(shared[gerritdina_1]) and is_anonymised(shared[hendrikus_2])
    assert is_anonymised(hidden[secret])
    # Open complaints keep everything.
    assert shared[kit.make_nummer(3)].deelnemer == kit.GERRITDINA.naam
    assert shared[kit.make_nummer(5)].deelnemer == kit.HENDRIKUS.naam
    # The stub keeps its pointer text; it never held personal data.
    assert shared[secret].omschrijving.startswith("Vertrouwelijk")
    outbox = populated.config.outbox_dir
    assert not (outbox / gerritdina_1).exists() and not (outbox / secret).exists()
    assert report.documents == 4

    shared_log = logboek(populated.shared)
    hidden_log = logboek(populated.confidential)
    assert {e["Nummer"] for e in shared_log} == {gerritdina_1, hendrikus_2}
    assert {e["Nummer"] for e in hidden_log} == {secret, kit.make_nummer(6)}
    for entry in shared_log + hidden_log:
        assert entry["Door"] == "bewaartermijn" and entry["Tijdstip"] and entry["Actie"]
        assert "Deelnemer" in entry["Details"]
    text = repr(shared_log + hidden_log)
    for person in kit.PEOPLE:
        for secret_text in person.secrets():
            assert secret_text not in text


def test_dry_run_changes_nothing_and_counts_what_would_go(kit, populated):
    before = populated.shared.path.read_bytes(), populated.confidential.path.read_bytes()

    report = apply_retention(
        populated.config, populated.shared, populated.confidential, today=kit.TODAY, dry_run=True
    )

    assert report.rows == 4 and report.documents == 4
    assert (populated.shared.path.read_bytes(), populated.confidential.path.read_bytes()) == before
    assert (populated.config.outbox_dir / kit.make_nummer(1) / "coordinator.eml").exists()
    assert "Proefdraai" in report.summary()


def test_unreadable_closing_date_is_skipped_with_a_note(kit, world):
    row = kit.complaint(9, kit.GERRITDINA, afgesloten_op="vorig jaar")
    kit.fill(world.shared, [row])

    report = apply_retention(world.config, world.shared, world.confidential, today=kit.TODAY)

    assert rows_by_nummer(world.shared)[row.nummer] == row
    assert any(row.nummer in note and "Afgesloten op" in note for note in report.notes)
    assert "vorig jaar" not in report.summary()


def test_cli_bewaartermijn_dry_run_then_real(kit, populated, runner):
    args = ["--config", str(populated.config_path), "bewaartermijn", "--datum", "26-11-2026"]

    dry = runner.invoke(cli, [*args, "--dry-run"])
    assert dry.exit_code == 0, dry.output
    assert "Proefdraai" in dry.output and kit.make_nummer(1) in dry.output
    assert rows_by_nummer(populated.shared)[kit.make_nummer(1)].deelnemer

    real = runner.invoke(cli, args)
    assert real.exit_code == 0, real.output
    assert "2 meldingen geanonimiseerd" in real.output
    assert is_anonymised(rows_by_nummer(populated.shared)[kit.make_nummer(1)])

    again = runner.invoke(cli, args)
    assert "0 meldingen geanonimiseerd" in again.output


def test_cli_rejects_a_bad_date(populated, runner):
    result = runner.invoke(
        cli, ["--config", str(populated.config_path), "bewaartermijn", "--datum", "morgen"]
    )
    assert result.exit_code == 2  # a usage error, as for every bad option value
    assert "Fout:" in result.output and "geen datum" in result.output
