"""A scenario over weeks: escalation, changes people make, duplicate hints, each exactly once."""

from __future__ import annotations

from collections import Counter
from datetime import date, timedelta

import filelock
import openpyxl

from klachtsheet import schema
from klachtsheet.model import now
from klachtsheet.register.local import LocalRegister
from klachtsheet.reports.agenda import READ_TABS, build_agenda
from klachtsheet.sync.changes import first_contacts, parse_details
from klachtsheet.sync.run import run_sync

A, B, C = "26-200-001", "26-200-002", "26-200-003"
BASE = {
    "Kanaal": "Telefoon", "Soort": "Klacht", "Ontvangen op": "02-11-2026",
    "Categorie": "Niet ophalen", "Omschrijving": "Niemand kwam.", "Bevestiging via": "Telefoon",
}  # fmt: skip
ROWS = [
    {**BASE, "Nummer": A, "Deelnemer": "Mevr. Aalders", "Telefoon": "06-10000001",
     "Locatie": "Utrecht", "Status": "Overgedragen", "Coördinator": "Bram Jansen",
     "Overgedragen op": "02-11-2026", "Bevestiging verstuurd op": "02-11-2026"},
    # A volunteer's report and the participant's own call about the same outing.
    {**BASE, "Nummer": B, "Kanaal": "Vrijwilliger", "Deelnemer": "Dhr. Bos",
     "Deelnemernummer": "D-77", "Telefoon": "06-20000002", "Locatie": "Amsterdam",
     "Datum activiteit": "10-11-2026", "Ontvangen op": "09-11-2026", "Status": "Overgedragen",
     "Coördinator": "Anna de Vries", "Overgedragen op": "09-11-2026",
     "Bevestiging verstuurd op": "09-11-2026"},
    {**BASE, "Nummer": C, "Deelnemer": "Meneer Bos", "Deelnemernummer": "d77",
     "Telefoon": "020-3000003", "Locatie": "Amsterdam", "Datum activiteit": "11-11-2026",
     "Ontvangen op": "09-11-2026", "Status": "Overgedragen", "Coördinator": "Anna de Vries",
     "Overgedragen op": "09-11-2026", "Bevestiging verstuurd op": "09-11-2026"},
]  # fmt: skip


def set_cell(path, nummer: str, header: str, value: str) -> None:
    """Change one cell as a person would."""
    with filelock.FileLock(str(path) + ".lock", timeout=30):
        workbook = openpyxl.load_workbook(path)
        sheet = workbook[schema.KLACHTEN_TAB]
        headers = [c.value for c in sheet[1]]
        for row in sheet.iter_rows(min_row=2):
            if row[0].value == nummer:
                row[headers.index(header)].value = value
        workbook.save(path)


def logboek(path) -> list[dict[str, str]]:
    return list(LocalRegister(path).read([schema.LOGBOEK_TAB])[schema.LOGBOEK_TAB].records())


def actions(path) -> Counter:
    return Counter((r["Nummer"], r["Actie"]) for r in logboek(path))


def sync(config, path, day: date):
    report = run_sync(config, shared=LocalRegister(path), today=day)
    after_first = logboek(path)
    # A second run on the same day writes no Logboek line and sends nothing.
    again = run_sync(config, shared=LocalRegister(path), today=day)
    assert logboek(path) == after_first, "the second run wrote Logboek lines"
    assert again.messages == 0 and again.written == 0
    assert again.extra.changes_seen == 0 and again.extra.escalated == 0
    return report


def test_weeks_of_escalation_changes_and_duplicates(config, register_path, sh):
    sh.set_settings(
        register_path,
        {**sh.SETTINGS, "Klachtmanager": "Kim Manager", "E-mail klachtmanager": "km@voorbeeld.nl"},
    )
    sh.type_rows(register_path, ROWS)

    # Week 1: the sync sees the duplicate pair; nothing is overdue yet.
    sync(config, register_path, date(2026, 11, 9))
    rows = {r["Nummer"]: r for r in sh.read_rows(register_path)}
    assert f"Mogelijk dezelfde melding als {C}" in rows[B]["Controle"]
    assert f"Mogelijk dezelfde melding als {B}" in rows[C]["Controle"]
    assert "Mogelijk dezelfde" not in rows[A]["Controle"]
    assert not any(a == "Gewijzigd in het register" for _, a in actions(register_path))

    # People work: B is picked up, A is reassigned.
    set_cell(register_path, B, "Status", "In behandeling")
    set_cell(register_path, A, "Coördinator", "Els Bakker")
    report = sync(config, register_path, date(2026, 11, 10))
    assert report.extra.changes_seen == 2
    changes = [r for r in logboek(register_path) if r["Actie"] == "Gewijzigd in het register"]
    assert {(r["Nummer"], parse_details(r["Details"])) for r in changes} == {
        (B, ("Status", "Overgedragen", "In behandeling")),
        (A, ("Coördinator", "Bram Jansen", "Els Bakker")),
    }
    assert all("gezien bij de sync van" in r["Details"] for r in changes)
    assert all(r["Door"] == "register" for r in changes)
    # Never participant data in the Logboek.
    text = str(logboek(register_path))
    for personal in ("Aalders", "Bos", "06-", "D-77", "Niemand kwam"):
        assert personal not in text

    # Week 3: A is five working days past its answer-by date (16-11): to the region.
    report = sync(config, register_path, date(2026, 11, 23))
    assert report.extra.escalated == 1
    assert actions(register_path)[(A, "Geëscaleerd naar regiocoördinator")] == 1
    mails = sorted((config.outbox_dir / "_overzichten").glob("*escalatie-regio*"))
    assert len(mails) == 1 and "karin-smit" in mails[0].name  # Utrecht's region coordinator
    body = mails[0].read_text()
    assert A in body and "Aalders" not in body
    sync(config, register_path, date(2026, 11, 24))
    assert actions(register_path)[(A, "Geëscaleerd naar regiocoördinator")] == 1

    # A person links the pair: the hints go, the agenda counts them once.
    set_cell(register_path, C, "Zelfde als", B)
    sync(config, register_path, date(2026, 11, 25))
    rows = {r["Nummer"]: r for r in sh.read_rows(register_path)}
    assert "Mogelijk dezelfde" not in rows[B]["Controle"] + rows[C]["Controle"]

    # Week 4: A ten working days late: to the klachtmanager, once. B (handed over a week
    # later) reaches the region step; C, the same complaint as B, does not escalate apart.
    report = sync(config, register_path, date(2026, 11, 30))
    assert report.extra.escalated == 2
    sync(config, register_path, date(2026, 12, 1))
    mails = sorted((config.outbox_dir / "_overzichten").glob("*escalatie-klachtmanager*"))
    assert len(mails) == 1 and "km@voorbeeld.nl" in mails[0].read_text()

    counted = actions(register_path)
    assert counted[(A, "Geëscaleerd naar regiocoördinator")] == 1
    assert counted[(A, "Geëscaleerd naar klachtmanager")] == 1
    assert counted[(B, "Geëscaleerd naar regiocoördinator")] == 1
    assert not [k for k in counted if k[0] == C and k[1].startswith("Geëscaleerd")]
    assert counted[(B, "Gewijzigd in het register")] == 1
    assert counted[(A, "Gewijzigd in het register")] == 1
    assert counted[(C, "Gewijzigd in het register")] == 1  # Zelfde als
    # Controle of B and C: written with the hint, then once more without it.
    assert counted[(B, "Controle bijgewerkt")] == 2
    assert counted[(C, "Controle bijgewerkt")] == 2

    # The agenda reads it back.
    tables = LocalRegister(register_path).read(READ_TABS)
    today = now().date()
    agenda = build_agenda(tables, meeting=today + timedelta(days=1), since=date(2026, 10, 1))
    notes = " ".join(agenda.notes)
    assert f"2 naar de regiocoördinator ({A}, {B})" in notes
    assert f"1 naar de klachtmanager ({A})" in notes
    assert "1 melding met 'Zelfde als' één keer meegeteld" in notes
    assert "Tijd tot eerste contact (mediaan)" in notes and "(1 klachten)" in notes
    assert set(first_contacts(tables[schema.LOGBOEK_TAB])) == {B}
    assert agenda.received == 2  # B and C count once


def test_first_run_writes_a_snapshot_and_no_change_lines(config, register_path, sh):
    sh.type_rows(register_path, ROWS[:1])
    run_sync(config, shared=LocalRegister(register_path), today=date(2026, 11, 9))
    assert (config.state_dir / "stand.json").exists()
    assert not [r for r in logboek(register_path) if r["Actie"] == "Gewijzigd in het register"]
    assert "Aalders" not in (config.state_dir / "stand.json").read_text()


def test_a_dry_run_tells_what_would_escalate_and_writes_nothing(config, register_path, sh):
    sh.set_settings(register_path, sh.SETTINGS)
    sh.type_rows(register_path, ROWS[:1])
    report = run_sync(
        config, shared=LocalRegister(register_path), today=date(2026, 11, 30), dry_run=True
    )
    # Ten working days late and never escalated: both steps at once.
    assert "2 escalaties" in report.summary()
    assert logboek(register_path) == []
    assert not (config.state_dir / "stand.json").exists()
    assert not (config.outbox_dir / "_overzichten").exists()


def test_a_run_with_nothing_new_leaves_the_snapshot_file_alone(config, register_path, sh):
    sh.type_rows(register_path, ROWS[:2])
    run_sync(config, shared=LocalRegister(register_path), today=date(2026, 11, 9))
    path = config.state_dir / "stand.json"
    content, stamp = path.read_bytes(), path.stat().st_mtime_ns
    run_sync(config, shared=LocalRegister(register_path), today=date(2026, 11, 9))
    assert path.read_bytes() == content and path.stat().st_mtime_ns == stamp
    set_cell(register_path, A, "Status", "In behandeling")
    run_sync(config, shared=LocalRegister(register_path), today=date(2026, 11, 9))
    assert path.read_bytes() != content


def test_a_snapshot_in_the_first_file_layout_is_read_on_upgrade(config, register_path, sh):
    import json

    sh.type_rows(register_path, ROWS[:1])
    run_sync(config, shared=LocalRegister(register_path), today=date(2026, 11, 9))
    # As version 1 wrote it: a mapping per row, only the columns the sheet had.
    old = {"versie": 1, "registers": {"gedeeld": {A: {"Status": "Nieuw", "Coördinator": ""}}}}
    (config.state_dir / "stand.json").write_text(json.dumps(old), encoding="utf-8")
    run_sync(config, shared=LocalRegister(register_path), today=date(2026, 11, 9))
    seen = {r["Details"].split(" (gezien")[0] for r in logboek(register_path)
            if r["Actie"] == "Gewijzigd in het register"}  # fmt: skip
    assert seen == {
        "Status: 'Nieuw' → 'Overgedragen'",
        "Coördinator: '' → 'Bram Jansen'",
        "Overgedragen op: '' → '02-11-2026'",
    }
    data = json.loads((config.state_dir / "stand.json").read_text(encoding="utf-8"))
    assert data["versie"] == 2 and data["registers"]["gedeeld"][A][0] == "Overgedragen"


def test_a_snapshot_value_that_is_not_text_reads_as_its_text(tmp_path):
    import json

    from klachtsheet.sync.changes import TRACKED, SeenStore

    values = ["Nieuw", 3, None, True, "", "", "", ""]
    (tmp_path / "stand.json").write_text(
        json.dumps({"versie": 2, "kolommen": list(TRACKED), "registers": {"gedeeld": {A: values}}}),
        encoding="utf-8",
    )
    assert SeenStore(tmp_path).load() == {
        "gedeeld": {A: ("Nieuw", "3", "None", "True", "", "", "", "")}
    }


def test_registers_found_unchanged_are_not_compared_again_until_they_change(
    config, register_path, sh, monkeypatch
):
    from klachtsheet.sync import changes

    sh.type_rows(register_path, ROWS[:2])
    day = date(2026, 11, 9)
    run_sync(config, shared=LocalRegister(register_path), today=day)  # the first snapshot
    run_sync(config, shared=LocalRegister(register_path), today=day)  # found unchanged
    assert (config.state_dir / changes.FILES_FILE).exists()

    def not_needed(*args):
        raise AssertionError("compared although the files are the ones found unchanged")

    with monkeypatch.context() as patched:
        patched.setattr(changes.SeenStore, "load", not_needed)
        patched.setattr(changes, "snapshot", not_needed)
        report = run_sync(config, shared=LocalRegister(register_path), today=day)
    assert report.extra.changes_seen == 0

    set_cell(register_path, A, "Status", "In behandeling")  # a person, between two runs
    report = run_sync(config, shared=LocalRegister(register_path), today=day)
    assert report.extra.changes_seen == 1
    seen = [
        r["Details"] for r in logboek(register_path) if r["Actie"] == "Gewijzigd in het register"
    ]
    assert len(seen) == 1 and seen[0].startswith("Status: 'Overgedragen' → 'In behandeling'")


def test_a_snapshot_written_since_voids_the_note_of_unchanged_files(config, register_path, sh):
    from klachtsheet.sync import changes

    sh.type_rows(register_path, ROWS[:1])
    for _ in range(2):
        run_sync(config, shared=LocalRegister(register_path), today=date(2026, 11, 9))
    store = changes.SeenStore(config.state_dir)
    assert store.unchanged_files() is not None
    store.save(store.load() or {})  # e.g. restored from a backup, or written by another run
    assert store.unchanged_files() is None


def test_a_tracked_cell_the_sync_writes_on_unchanged_files_goes_into_the_snapshot(
    config, register_path, sh
):
    from klachtsheet.schema import SHARED
    from klachtsheet.sync import changes, helpdesk
    from klachtsheet.sync.changeset import Change, ChangeSet

    sh.type_rows(register_path, ROWS[:1])
    for _ in range(2):
        run_sync(config, shared=LocalRegister(register_path), today=date(2026, 11, 9))
    register = LocalRegister(register_path)
    klachten = register.read([schema.KLACHTEN_TAB])[schema.KLACHTEN_TAB]
    seen = helpdesk.SeenChanges.read(
        helpdesk.SeenChanges.earlier(config), klachten, None, (register, None)
    )
    assert seen.current is None and seen.found == []  # the files the last run found unchanged

    header = schema.KLACHTEN.header("teruggekoppeld_medewerker_op")
    seen.save(ChangeSet((Change(A, header, "", "12-11-2026", register=SHARED),)))

    snapshot = changes.SeenStore(config.state_dir).load()
    assert snapshot is not None
    assert snapshot[SHARED][A][changes.TRACKED.index(header)] == "12-11-2026"
