"""A whole sync over a messy, hand-typed register: messages, assignments, idempotence."""

from __future__ import annotations

import gc
from datetime import date
from pathlib import Path

import openpyxl
import pytest

from klachtsheet import nummer, schema
from klachtsheet.exceptions import SyncBusy
from klachtsheet.messages.outbox import Journal
from klachtsheet.model import cell_text, date_cell_value, date_text
from klachtsheet.privacy.confidential import STUB_DESCRIPTION
from klachtsheet.register.local import LocalRegister
from klachtsheet.sync.run import run_sync

UNKNOWN_CATEGORY = (
    "Onbekende categorie 'Parkeerplaats te klein': kies er een uit de lijst, "
    "of voeg hem toe aan Categorieën"
)
# Deelnemer -> (Controle, Coördinator, Antwoord uiterlijk, Aangifte geadviseerd,
#               Bevestiging verstuurd op) after one sync on 26-11-2026.
EXPECTED = {
    "Mevr. Jansen": ("", "Bram Jansen", "10-12-2026", "", "26-11-2026"),
    "Dhr. Bakker": ("", "Ria Hoekstra", "10-12-2026", "", "26-11-2026"),
    "Mevr. de Wit": ("", "Anna de Vries", "10-12-2026", "Ja", "26-11-2026"),
    "Dhr. Peters": (UNKNOWN_CATEGORY, "", "", "", ""),
    "Mevr. Mulder": (
        "Onbekende locatie 'Zwolle': kies er een uit de lijst, of voeg hem toe aan Locaties",
        "", "08-12-2026", "", "",
    ),
    "Dhr. Visser": (
        "Status 'Bezig' bestaat niet: kies Nieuw, Opgelost 1e lijn, Overgedragen, "
        "In behandeling, Teruggekoppeld, Afgesloten of Afgehandeld",
        "", "", "", "",
    ),
    "Mevr. Smit": (
        "Ontvangen op: '31-02-2026' is geen datum, schrijf bijvoorbeeld 26-11-2026",
        "", "", "", "",
    ),
    "Dhr. Hoekstra": (
        "Overgedragen op is leeg: vul de datum van overdracht in (nodig bij status "
        "Overgedragen), de dagelijkse controle berekent dan Antwoord uiterlijk",
        "Els Bakker", "", "", "",
    ),
    "Mevr. Dijkstra": ("", "Piet Piet", "16-11-2026", "", "03-11-2026"),
    "Dhr. Kok": ("", "", "", "", ""),
    "Mevr. Bos": ("", "Karin Smit", "04-11-2026", "", "21-10-2026"),
    "Dhr. Claes": (
        "Categorie 'Vrijwilliger met een klacht' is vertrouwelijk: zet deze melding in het "
        "vertrouwelijke register",
        "", "", "", "",
    ),
}  # fmt: skip
TODAY = date(2026, 11, 26)
SYNC_HEADERS = ("Controle", "Coördinator", "Antwoord uiterlijk", "Aangifte geadviseerd",
                "Bevestiging verstuurd op")  # fmt: skip


class Counting:
    """A register that counts the calls the sync makes (the request budget)."""

    def __init__(self, inner) -> None:
        self.inner, self.location, self.calls = inner, inner.location, []

    def read(self, tabs):
        self.calls.append(("read", tuple(tabs)))
        return self.inner.read(tabs)

    def update(self, tab, updates):
        self.calls.append(("update", tab))
        return self.inner.update(tab, updates)

    def append(self, tab, rows):
        self.calls.append(("append", tab))
        return self.inner.append(tab, rows)

    def replace_rows(self, tab, rows):
        self.calls.append(("replace_rows", tab))
        return self.inner.replace_rows(tab, rows)

    def batch(self):
        return self.inner.batch()

    def ensure_layout(self, tabs=schema.TABS):
        self.calls.append(("ensure_layout",))
        return self.inner.ensure_layout(tabs)


def raw_cells(path: Path) -> list[dict[str, object]]:
    """Return the Klachten cells exactly as stored (value and type), per row."""
    workbook = openpyxl.load_workbook(path)
    sheet = workbook[schema.KLACHTEN_TAB]
    headers = [c.value for c in sheet[1]]
    return [
        {h: (c.value, c.data_type) for h, c in zip(headers, row, strict=False)}
        for row in sheet.iter_rows(min_row=2)
    ]


def outbox_files(config) -> list[Path]:
    return sorted(p for p in config.outbox_dir.rglob("*") if p.is_file())


def test_messy_register_gives_exactly_the_expected_messages_and_assignments(
    sh, config, register, register_path, messy
):
    before = raw_cells(register_path)
    report = run_sync(config, shared=register, today=TODAY)

    rows = sh.by_name(sh.read_rows(register_path))
    assert {name: tuple(rows[name][h] for h in SYNC_HEADERS) for name in EXPECTED} == EXPECTED
    assert all(nummer.is_valid(row["Nummer"]) for row in rows.values())
    assert len({row["Nummer"] for row in rows.values()}) == len(rows)
    assert report.proposed_categories == {"Parkeerplaats te klein": 1}
    assert report.summary() == (
        "12 meldingen gecontroleerd, 4 toegewezen, 3 bevestigingen klaargezet, 1 te laat, "
        "2 nummers toegekend, "
        "1 brief te printen (postvak-uit/_afdrukken/2026-11-26-brieven.html), "
        "1 belscript klaargezet (postvak-uit/_afdrukken/2026-11-26-belscripts.txt), "
        "6 met een opmerking in Controle, 1 escalatie, 1 nieuwe categorie voorgesteld"
    )

    # Every cell people own is byte for byte what they typed; the sync filled only its own
    # columns, an empty Nummer and an empty Coördinator.
    after = raw_cells(register_path)
    sync_owned = {c.header for c in schema.KLACHTEN.columns if c.owner is schema.Owner.SYNC}
    for old, new in zip(before, after, strict=True):
        for header, value in old.items():
            if header in sync_owned:
                continue
            filled_once = ("Nummer", "Coördinator", "Teruggekoppeld medewerker op")
            if header in filled_once and value[0] in (None, ""):
                continue
            column = schema.KLACHTEN.by_header(header)
            if column is not None and column.is_date and date_cell_value(str(value[0] or "")):
                # A date typed as text became a real date cell showing the same day.
                assert new[header][1] == "d", header
                assert cell_text(new[header][0]) == date_text(str(value[0])), header
                continue
            assert new[header] == value, header


def test_second_sync_writes_nothing_and_sends_nothing(config, register, messy):
    run_sync(config, shared=register, today=TODAY)
    files = {p: p.read_bytes() for p in outbox_files(config)}
    journal = Journal(config.state_dir / "verzonden.sqlite").load()
    counting = Counting(register)

    report = run_sync(config, shared=counting, today=TODAY)

    assert counting.calls == [("read", ("Klachten", "Categorieën", "Locaties", "Instellingen"))]
    assert report.changes.changes == () and report.changes.outgoing == ()
    assert report.written == 0 and report.messages == 0
    assert {p: p.read_bytes() for p in outbox_files(config)} == files
    assert Journal(config.state_dir / "verzonden.sqlite").load() == journal


def test_a_run_leaves_the_collector_as_it_found_it(config, register, messy):
    # The sync pauses the collector while it reads and reviews, and freezes what it holds
    # while it delivers and writes (issue 17); afterwards everything is collected again.
    assert gc.isenabled() and gc.get_freeze_count() == 0
    run_sync(config, shared=register, today=TODAY)
    assert gc.isenabled() and gc.get_freeze_count() == 0
    gc.disable()
    try:
        run_sync(config, shared=register, today=TODAY)
        assert not gc.isenabled() and gc.get_freeze_count() == 0
    finally:
        gc.enable()


def test_first_sync_stays_within_the_request_budget(config, register, messy):
    counting = Counting(register)
    run_sync(config, shared=counting, today=TODAY)
    assert counting.calls == [
        ("read", ("Klachten", "Categorieën", "Locaties", "Instellingen")),
        ("update", "Klachten"),
        ("append", "Logboek"),
    ]


def test_logboek_has_no_personal_data(sh, config, register, register_path, messy):
    run_sync(config, shared=register, today=TODAY)
    logged = " ".join(" ".join(row.values()) for row in sh.read_rows(register_path, "Logboek"))
    assert "Nummer toegekend" in logged and "Coördinator geïnformeerd" in logged
    for row in messy:
        for key in ("Deelnemer", "Telefoon", "E-mail deelnemer", "Adres", "Omschrijving"):
            if row.get(key):
                assert row[key] not in logged


def test_fixed_problem_disappears_at_next_run(sh, config, register, register_path, messy):
    run_sync(config, shared=register, today=TODAY)
    peters = sh.by_name(sh.read_rows(register_path))["Dhr. Peters"]["Nummer"]
    workbook = openpyxl.load_workbook(register_path)
    sheet = workbook[schema.KLACHTEN_TAB]
    headers = [c.value for c in sheet[1]]
    for row in sheet.iter_rows(min_row=2):
        if row[headers.index("Nummer")].value == peters:
            row[headers.index("Categorie")].value = "Bereikbaarheid"
    workbook.save(register_path)

    report = run_sync(config, shared=register, today=TODAY)

    assert sh.by_name(sh.read_rows(register_path))["Dhr. Peters"]["Controle"] == ""
    assert [(c.nummer, c.header, c.new) for c in report.changes.changes] == [
        (peters, "Controle", "")
    ]
    assert report.proposed_categories == {}


def test_dry_run_writes_and_sends_nothing(config, register, register_path, messy):
    before = register_path.read_bytes()
    report = run_sync(config, shared=register, today=TODAY, dry_run=True)
    assert register_path.read_bytes() == before
    assert not config.output_dir.exists()
    assert report.dry_run and report.confirmations == 3
    assert ("Controle", UNKNOWN_CATEGORY) in {(c.header, c.new) for c in report.changes.changes}
    assert report.summary().startswith("Proefdraai")


def test_second_run_while_one_runs_is_refused(config, register, messy):
    import filelock

    config.state_dir.mkdir(parents=True)
    with filelock.FileLock(str(config.state_dir / "sync.lock")), pytest.raises(SyncBusy):
        run_sync(config, shared=register, today=TODAY)


def test_progress_is_reported(config, register, messy):
    seen = []
    run_sync(
        config,
        shared=register,
        today=TODAY,
        dry_run=True,
        progress=lambda done, total: seen.append((done, total)),
    )
    assert seen[-1] == (12, 12)


def test_confidential_register_is_checked_and_only_the_stub_is_mirrored(
    sh, config, register, register_path, tmp_path
):
    sh.set_settings(register_path, sh.SETTINGS)
    conf_path = Path(config.confidential_register)
    LocalRegister(conf_path).ensure_layout(schema.CONFIDENTIAL_TABS)
    [row] = sh.type_rows(conf_path, [{
        "Nummer": "@nummer", "Ontvangen op": "20-11-2026", "Kanaal": "Telefoon",
        "Soort": "Klacht", "Deelnemer": "Geheime Vrijwilliger", "E-mail deelnemer":
        "geheim@example.org", "Locatie": "Utrecht", "Categorie": "Vrijwilliger met een klacht",
        "Vertrouwelijk": "Ja", "Omschrijving": "Vertrouwelijk verhaal", "Status": "Overgedragen",
        "Overgedragen op": "20-11-2026",
    }])  # fmt: skip
    sh.type_rows(register_path, [{
        "Nummer": row["Nummer"], "Ontvangen op": "20-11-2026", "Kanaal": "Telefoon",
        "Soort": "Klacht", "Locatie": "Utrecht", "Categorie": "Vrijwilliger met een klacht",
        "Vertrouwelijk": "Ja", "Omschrijving": STUB_DESCRIPTION, "Status": "Overgedragen",
        "Overgedragen op": "20-11-2026",
    }])  # fmt: skip
    conf_register = LocalRegister(conf_path)
    report = run_sync(config, shared=register, confidential=conf_register, today=TODAY)

    [secret] = sh.read_rows(conf_path)
    [stub] = sh.read_rows(register_path)
    assert secret["Controle"] == ""
    assert secret["Antwoord uiterlijk"] == stub["Antwoord uiterlijk"] == "10-12-2026"
    assert secret["Bevestiging verstuurd op"] == "26-11-2026"
    assert secret["Coördinator"] == "Vera Vertrouwen"
    # The confidential documents live beside the confidential register, not in the outbox.
    assert not (config.outbox_dir / row["Nummer"]).exists()
    mail = (config.confidential_outbox_dir / row["Nummer"] / "coordinator.eml").read_text()
    assert "vertrouwen@voorbeeld.nl" in mail
    assert config.confidential_outbox_dir.parent.parent == conf_path.parent
    assert stub["Coördinator"] == "" and stub["Deelnemer"] == "" and stub["Controle"] == ""
    assert report.checked == 1 and report.confirmations == 1
    shared_log = " ".join(" ".join(r.values()) for r in sh.read_rows(register_path, "Logboek"))
    assert "Bevestiging verstuurd" not in shared_log  # that story stays confidential
    assert "Bevestiging verstuurd" in " ".join(
        " ".join(r.values()) for r in sh.read_rows(conf_path, "Logboek")
    )
