"""Issue 12: four weeks of a real office through the CLI, every expected cell worked out by hand.

Term 10 working days; 24-12-2026 is an extra free day of the organisation; Christmas
25/26-12 and New Year 1-1 are free by the Algemene termijnenwet.
"""

from __future__ import annotations

import email
from email import policy

import openpyxl
import pytest

from klachtsheet import schema
from klachtsheet.cli import cli
from klachtsheet.messages.outbox import Journal
from klachtsheet.sync.plan import JOURNAL_FILE
from support.sync import read_rows, set_settings, type_rows

SETTINGS = {
    "Vertrouwenspersoon": "Vera Veilig",
    "E-mail vertrouwenspersoon": "vera@stichting.nl",
    "Klachtmanager": "Karel Klacht",
    "E-mail klachtmanager": "karel@stichting.nl",
    "E-mail back office": "backoffice@stichting.nl",
    "E-mail telefoondienst": "telefoon@stichting.nl",
    "Extra vrije dagen": "24-12-2026",
    "Ondertekenaar brieven": "J. Jansen, coördinator klachten",
    "Contactpersoon": "Truus Terlouw, 030-7654321",
    "Retouradres": "Postbus 12, 3500 AA Utrecht",
}


@pytest.fixture
def office(tmp_path, runner):
    config = tmp_path / "klachtsheet.toml"
    config.write_text('[register]\nlocatie = "register.xlsx"\n[mappen]\nuitvoer = "uitvoer"\n')
    result = runner.invoke(cli, ["--config", str(config), "init"])
    assert result.exit_code == 0, result.output
    path = tmp_path / "register.xlsx"
    workbook = openpyxl.load_workbook(path)
    # init seeds no example people: the organisation types its own.
    assert workbook[schema.LOCATIES_TAB].max_row == 1
    workbook[schema.LOCATIES_TAB].append(
        ["Utrecht", "Midden", "Piet Plan", "piet@stichting.nl", "", ""]
    )
    workbook.save(path)
    set_settings(path, SETTINGS)
    return tmp_path, config, path


def sync(runner, config, day):
    result = runner.invoke(cli, ["--config", str(config), "sync", "--datum", day])
    assert result.exit_code == 0, result.output
    return result


def rows_by_name(path):
    return {r["Deelnemer"]: r for r in read_rows(path)}


def set_cells(path, nummer, values):
    workbook = openpyxl.load_workbook(path)
    sheet = workbook[schema.KLACHTEN_TAB]
    headers = [c.value for c in sheet[1]]
    for row in sheet.iter_rows(min_row=2):
        if row[0].value == nummer:
            for header, value in values.items():
                row[headers.index(header)].value = value
    workbook.save(path)


def message(path):
    return email.message_from_bytes(path.read_bytes(), policy=policy.default)


def text(path):
    msg = message(path)
    return msg.get_body(("plain",)).get_content()


def test_four_weeks_of_the_procedure(office, runner):
    root, config, path = office
    outbox = root / "uitvoer" / "postvak-uit"
    digests = outbox / "_overzichten"
    type_rows(path, [
        {  # A: stolen handbag, e-mail, hand-over today
            "Ontvangen op": "15-12-2026", "Kanaal": "Telefoon", "Ingevoerd door": "Tineke",
            "E-mail invoerder": "tineke@stichting.nl", "Soort": "Klacht",
            "Deelnemer": "mevrouw H. de Boer", "E-mail deelnemer": "deboer@example.org",
            "Locatie": "Utrecht", "Activiteit": "Concert in TivoliVredenburg",
            "Categorie": "Overig", "Omschrijving": "Mijn handtas is verdwenen in de zaal.",
            "Status": "Overgedragen", "Overgedragen op": "15-12-2026",
        },
        {  # B: unknown location, cannot be handed over
            "Ontvangen op": "15-12-2026", "Kanaal": "Telefoon", "Soort": "Klacht",
            "Deelnemer": "Dhr. K. Pieters", "E-mail deelnemer": "pieters@example.org",
            "Locatie": "Zwolle", "Categorie": "Niet ophalen",
            "Omschrijving": "Hij kon zijn rollator niet kwijt in de bus.",
            "Status": "Overgedragen", "Overgedragen op": "15-12-2026",
        },
        {  # C: handed over two weeks ago, never confirmed; a person typed Nee
            "Ontvangen op": "01-12-2026", "Kanaal": "Telefoon", "Soort": "Klacht",
            "Deelnemer": "mevrouw J. Smit", "E-mail deelnemer": "smit@example.org",
            "Locatie": "Utrecht", "Categorie": "Overig",
            "Omschrijving": "Mijn portemonnee is gestolen.", "Aangifte geadviseerd": "Nee",
            "Status": "Overgedragen", "Overgedragen op": "01-12-2026",
        },
    ])  # fmt: skip

    # -- Tuesday 15 December ---------------------------------------------------------------
    sync(runner, config, "15-12-2026")
    rows = rows_by_name(path)
    a, b, c = rows["mevrouw H. de Boer"], rows["Dhr. K. Pieters"], rows["mevrouw J. Smit"]
    # 16,17,18,21,22,23 (6); 24 own free day; 25 Christmas; 28,29,30,31 (10).
    assert (a["Coördinator"], a["Antwoord uiterlijk"], a["Bevestiging verstuurd op"]) == (
        "Piet Plan", "31-12-2026", "15-12-2026",
    )  # fmt: skip
    assert a["Aangifte geadviseerd"] == "Ja"  # "verdwenen"
    assert b["Aangifte geadviseerd"] == ""  # "kon zijn rollator niet kwijt" is no loss
    assert b["Bevestiging verstuurd op"] == "" and "Onbekende locatie 'Zwolle'" in b["Controle"]
    # C: the old term (15-12) has passed; the confirmation restarts it today.
    assert (c["Antwoord uiterlijk"], c["Bevestiging verstuurd op"]) == ("31-12-2026", "15-12-2026")
    assert c["Aangifte geadviseerd"] == "Nee"  # the person's Nee wins

    letter = text(outbox / a["Nummer"] / "bevestiging.eml")
    assert letter.startswith("Geachte mevrouw De Boer,")
    assert "donderdag 31 december 2026" in letter and "aangifte" in letter
    assert "TivoliVredenburg" not in letter and "niet tevreden" not in letter
    assert "J. Jansen, coördinator klachten" in letter and "Truus Terlouw" in letter
    late = text(outbox / c["Nummer"] / "bevestiging.eml")
    assert "donderdag 31 december 2026" in late and "aangifte" not in late
    assert "31 december 2026" in text(outbox / c["Nummer"] / "coordinator.eml")

    stuck = message(digests / "2026-12-15-overdracht-back-office.eml")
    assert stuck["To"].addresses[0].addr_spec == "backoffice@stichting.nl"
    assert b["Nummer"] in stuck.get_body(("plain",)).get_content()
    copy = message(digests / "2026-12-15-overdracht-kopie-karel-klacht.eml")
    assert copy["To"].addresses[0].addr_spec == "karel@stichting.nl"

    # -- Wednesday 16 December: nothing twice ----------------------------------------------
    before = sorted(p.name for p in outbox.rglob("*") if p.is_file())
    sync(runner, config, "16-12-2026")
    assert sorted(p.name for p in outbox.rglob("*") if p.is_file()) == before

    # -- Friday 18 December: A closed without Teruggekoppeld ------------------------------
    set_cells(path, a["Nummer"], {
        "Status": "Afgesloten", "Afgesloten op": "18-12-2026",
        "Oplossing coördinator": "De tas is bij de garderobe teruggevonden.",
    })  # fmt: skip
    sync(runner, config, "18-12-2026")
    a = rows_by_name(path)["mevrouw H. de Boer"]
    assert a["Teruggekoppeld medewerker op"] == "18-12-2026"
    notice = message(outbox / a["Nummer"] / "terugkoppeling-medewerker.eml")
    assert notice["To"].addresses[0].addr_spec == "tineke@stichting.nl"
    assert "De tas is bij de garderobe teruggevonden." in notice.get_body(("plain",)).get_content()

    # -- Monday 21 December: the back office types B's coordinator -------------------------
    set_cells(path, b["Nummer"], {"Coördinator": "Piet Plan"})
    sync(runner, config, "21-12-2026")
    b = rows_by_name(path)["Dhr. K. Pieters"]
    # 22,23 (2); 24 free; 25 Christmas; 28,29,30,31 (6); 1-1 free; 4,5,6,7 (10).
    assert (b["Antwoord uiterlijk"], b["Bevestiging verstuurd op"]) == ("07-01-2027", "21-12-2026")
    assert b["Aangifte geadviseerd"] == ""
    assert text(outbox / b["Nummer"] / "bevestiging.eml").startswith("Geachte heer Pieters,")
    assert (outbox / b["Nummer"] / "coordinator.eml").exists()
    before = sorted(p.name for p in outbox.rglob("*") if p.is_file())
    sync(runner, config, "22-12-2026")
    assert sorted(p.name for p in outbox.rglob("*") if p.is_file()) == before

    # -- Monday 4 January: C is overdue; the coordinator and the klachtmanager hear it ------
    sync(runner, config, "04-01-2027")
    overdue = text(digests / "2027-01-04-te-laat-piet-plan.eml")
    assert c["Nummer"] in overdue and b["Nummer"] not in overdue
    manager = message(digests / "2027-01-04-te-laat-alles-karel-klacht.eml")
    assert manager["To"].addresses[0].addr_spec == "karel@stichting.nl"
    assert c["Nummer"] in manager.get_body(("plain",)).get_content()
    # A, closed, was told to the first line exactly once.
    assert len(list(outbox.rglob("terugkoppeling-medewerker.eml"))) == 1

    # -- the team meeting: the klachtmanager gets the agenda ------------------------------
    result = runner.invoke(cli, ["--config", str(config), "agenda", "--vergadering", "05-01-2027"])
    assert result.exit_code == 0, result.output
    agenda = message(digests / "2027-01-05-agenda-karel-klacht.eml")
    assert agenda["To"].addresses[0].addr_spec == "karel@stichting.nl"
    names = sorted(p.get_filename() for p in agenda.iter_attachments())
    assert names == sorted(p.split()[-1].split("/")[-1] for p in AGENDA_FILES(result.output))
    assert len(names) == 2 and any(n.endswith(".html") for n in names)


def AGENDA_FILES(output):
    return [line.strip() for line in output.splitlines() if line.startswith("  ")]


def test_a_second_stuck_row_the_same_day_keeps_the_first_overview(office, runner):
    root, config, path = office
    digests = root / "uitvoer" / "postvak-uit" / "_overzichten"
    stuck = {
        "Ontvangen op": "15-12-2026", "Kanaal": "Telefoon", "Soort": "Klacht",
        "E-mail deelnemer": "x@example.org", "Locatie": "Zwolle", "Categorie": "Overig",
        "Omschrijving": "Te koud.", "Status": "Overgedragen", "Overgedragen op": "15-12-2026",
    }  # fmt: skip
    [first] = type_rows(path, [{**stuck, "Deelnemer": "Dhr. Een"}])
    sync(runner, config, "15-12-2026")
    type_rows(path, [{**stuck, "Deelnemer": "Mevr. Twee"}])
    sync(runner, config, "15-12-2026")
    one = text(digests / "2026-12-15-overdracht-back-office.eml")
    two = text(digests / "2026-12-15-overdracht-back-office-2.eml")
    nummers = {r["Deelnemer"]: r["Nummer"] for r in read_rows(path)}
    assert nummers["Dhr. Een"] in one and nummers["Mevr. Twee"] not in one
    assert nummers["Mevr. Twee"] in two and nummers["Dhr. Een"] not in two
    assert first["Deelnemer"] == "Dhr. Een"


def test_confidential_complaint_stays_behind_the_wall(office, runner):
    root, config, path = office
    conf = root / "vertrouwelijk-register.xlsx"
    assert conf.exists()  # init made it beside the shared register
    [secret] = type_rows(conf, [{
        "Nummer": "@nummer", "Ontvangen op": "15-12-2026", "Kanaal": "Telefoon",
        "Soort": "Klacht", "Deelnemer": "Mevr. Geheim", "Telefoon": "030 1112233",
        "Bevestiging via": "Telefoon", "Locatie": "Utrecht",
        "Categorie": "Vrijwilliger met een klacht", "Vertrouwelijk": "Ja",
        "Omschrijving": "Het verhaal", "Status": "Overgedragen", "Overgedragen op": "15-12-2026",
    }])  # fmt: skip
    type_rows(path, [{
        "Nummer": secret["Nummer"], "Ontvangen op": "15-12-2026", "Kanaal": "Telefoon",
        "Soort": "Klacht", "Locatie": "Utrecht", "Categorie": "Vrijwilliger met een klacht",
        "Vertrouwelijk": "Ja", "Omschrijving": "Vertrouwelijk: zie het vertrouwelijke register",
        "Status": "Overgedragen", "Overgedragen op": "15-12-2026",
    }])  # fmt: skip
    sync(runner, config, "15-12-2026")
    nummer = secret["Nummer"]
    shared_outbox = root / "uitvoer" / "postvak-uit"
    wall = root / "vertrouwelijk-register-uitvoer"
    assert not (shared_outbox / nummer).exists()
    script = (wall / "postvak-uit" / nummer / "belscript.txt").read_text()
    assert "Vera Veilig, de vertrouwenspersoon van" in script and "coördinator van" not in script
    task = message(wall / "postvak-uit" / nummer / "taak-telefoondienst.eml")
    assert task["To"].addresses[0].addr_spec == "vera@stichting.nl"
    coordinator = message(wall / "postvak-uit" / nummer / "coordinator.eml")
    assert coordinator["To"].addresses[0].addr_spec == "vera@stichting.nl"
    shared_files = [p for p in (root / "uitvoer").rglob("*") if p.is_file()]
    assert not any("Het verhaal" in p.read_text(errors="replace") for p in shared_files)
    assert "Het verhaal" in (wall / "postvak-uit" / nummer / "coordinator.eml").read_text()
    # The sent-mail journal of a confidential complaint is beside its register, not shared.
    secret_keys = Journal(wall / ".klachtsheet" / JOURNAL_FILE).load()
    shared_keys = Journal(root / "uitvoer" / ".klachtsheet" / JOURNAL_FILE).load()
    assert f"bevestiging:{nummer}" in secret_keys
    assert not any(nummer in key for key in shared_keys)
    [stub] = read_rows(path)
    assert stub["Antwoord uiterlijk"] == "31-12-2026" and stub["Coördinator"] == ""

    # Overdue on 4 January: the overview goes to Vera, beside the confidential register.
    sync(runner, config, "04-01-2027")
    assert (wall / "postvak-uit" / "_overzichten" / "2027-01-04-te-laat-vera-veilig.eml").exists()
    shared_digests = shared_outbox / "_overzichten"
    assert not shared_digests.exists() or not any(
        nummer in p.read_text(errors="replace") for p in shared_digests.iterdir()
    )

    # Vera closes it; the shared stub follows status and date, never the content.
    workbook = openpyxl.load_workbook(conf)
    sheet = workbook[schema.KLACHTEN_TAB]
    headers = [c.value for c in sheet[1]]
    sheet.cell(row=2, column=headers.index("Status") + 1, value="Afgesloten")
    sheet.cell(row=2, column=headers.index("Afgesloten op") + 1, value="05-01-2027")
    workbook.save(conf)
    sync(runner, config, "05-01-2027")
    [stub] = read_rows(path)
    assert (stub["Status"], stub["Afgesloten op"]) == ("Afgesloten", "05-01-2027")
    assert stub["Omschrijving"] == "Vertrouwelijk: zie het vertrouwelijke register"
    assert stub["Deelnemer"] == "" and stub["Controle"] == ""
