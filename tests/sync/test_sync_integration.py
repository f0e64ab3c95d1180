"""The sync also drains the form queue first and applies the retention term."""

from __future__ import annotations

from klachtsheet import schema
from klachtsheet.register.local import LocalRegister
from klachtsheet.sync.run import run_sync
from klachtsheet.web import create_app
from support.intake import COMPLAINT, make_config, post


def test_a_submission_queued_while_the_register_was_open_is_written_and_checked(
    tmp_path, register_path, sh
):
    read_rows, today = sh.read_rows, sh.TODAY
    sh.set_settings(register_path, {"Vertrouwenspersoon": "Vera Vertrouwen"})
    config = make_config(tmp_path, register_path)
    app = create_app(config, {"TESTING": True, "KLACHTSHEET_BACKGROUND_WRITER": False})
    person_lock = register_path.with_name(f".~lock.{register_path.name}#")
    person_lock.write_text("iemand")
    response = post(app.test_client(), **COMPLAINT)
    assert response.status_code in (302, 303)
    assert read_rows(register_path) == []
    person_lock.unlink()

    report = run_sync(config, shared=LocalRegister(register_path), today=today)

    [row] = read_rows(register_path)
    assert row["Deelnemer"] == COMPLAINT["deelnemer"]
    assert report.checked == 1
    # Checked in the same run: the handed-over complaint gets its coordinator and date.
    assert row["Status"] == "Overgedragen"
    assert row["Coördinator"] == "Bram Jansen"
    assert row["Antwoord uiterlijk"]
    again = run_sync(config, shared=LocalRegister(register_path), today=today)
    assert len(read_rows(register_path)) == 1
    assert again.written == 0


def test_the_sync_anonymises_complaints_past_the_retention_term_once(tmp_path, register_path, sh):
    read_rows, today = sh.read_rows, sh.TODAY
    config = make_config(tmp_path, register_path)
    closed = {
        "Kanaal": "Telefoon", "Soort": "Klacht", "Deelnemer": "Mevr. Oud",
        "Telefoon": "06-99999999", "Locatie": "Utrecht", "Categorie": "Overig",
        "Omschrijving": "Een oude klacht.", "Status": "Afgesloten", "Coördinator": "Bram Jansen",
        "Overgedragen op": "02-06-2023", "Afgesloten op": "01-07-2023",
        "Teruggekoppeld deelnemer op": "30-06-2023", "Ontvangen op": "01-06-2023",
    }  # fmt: skip
    recent = {**closed, "Deelnemer": "Mevr. Recent", "Afgesloten op": "01-07-2026"}
    sh.type_rows(register_path, [{"Nummer": "@nummer", **closed}, {"Nummer": "@nummer", **recent}])

    report = run_sync(config, shared=LocalRegister(register_path), today=today)

    rows = {r["Categorie"] + r["Afgesloten op"]: r for r in read_rows(register_path)}
    old, new = rows["Overig01-07-2023"], rows["Overig01-07-2026"]
    assert report.anonymised == 1
    assert "1 geanonimiseerd (bewaartermijn)" in report.summary()
    assert old["Deelnemer"] == old["Telefoon"] == ""
    assert old["Omschrijving"].startswith("Geanonimiseerd op 26-11-2026")
    assert old["Controle"] == ""  # an anonymised row is not asked for its participant
    assert new["Deelnemer"] == "Mevr. Recent"
    logboek = [r["Actie"] for r in read_rows(register_path, schema.LOGBOEK_TAB)]
    assert "Persoonsgegevens gewist" in logboek

    logged = read_rows(register_path, schema.LOGBOEK_TAB)
    second = run_sync(config, shared=LocalRegister(register_path), today=today)
    assert second.anonymised == 0 and second.written == 0
    assert read_rows(register_path, schema.LOGBOEK_TAB) == logged
