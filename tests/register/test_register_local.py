"""The local workbook: text cells, locking, atomic saves, updates by Nummer, person locks."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import openpyxl
import pytest

from klachtsheet import nummer, schema
from klachtsheet.exceptions import LayoutError, RegisterBusy
from klachtsheet.model import CellUpdate, complaints
from klachtsheet.register import fingerprint
from klachtsheet.register.local import LocalRegister

FORMULA = '=HYPERLINK("http://x","y")'


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_init_creates_all_tabs_headers_seeds_and_is_idempotent(tmp_path):
    path = tmp_path / "r.xlsx"
    register = LocalRegister(path)

    first = register.ensure_layout(schema.TABS)
    before = digest(path)
    second = register.ensure_layout(schema.TABS)

    assert "Tabblad 'Klachten' toegevoegd" in first
    assert second == []
    assert digest(path) == before
    tables = register.read([t.name for t in schema.TABS])
    assert list(tables) == [t.name for t in schema.TABS]
    for tab in schema.TABS:
        assert tables[tab.name].headers == tab.headers
    assert len(tables["Categorieën"].rows) == 16
    assert len(tables["Instellingen"].rows) == len(schema.SETTINGS)


def test_header_row_is_frozen_and_enumerated_columns_have_drop_downs(register_path):
    workbook = openpyxl.load_workbook(register_path)
    sheet = workbook["Klachten"]

    assert sheet.freeze_panes == "B2"  # header row and the Nummer column
    formulas = {
        str(dv.sqref).split(":")[0]: dv.formula1 for dv in sheet.data_validations.dataValidation
    }
    kanaal = schema.KLACHTEN.headers.index("Kanaal")
    categorie = schema.KLACHTEN.headers.index("Categorie")
    letter = openpyxl.utils.get_column_letter
    assert formulas[f"{letter(kanaal + 1)}2"] == '"Telefoon,Post,E-mail,Vrijwilliger"'
    assert formulas[f"{letter(categorie + 1)}2"] == "'Categorieën'!$A$2:$A$1000"


def test_upgrade_adds_missing_columns_and_settings_and_keeps_data(tmp_path):
    path = tmp_path / "oud.xlsx"
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "Klachten"
    sheet.append(["Nummer", "Omschrijving", "Eigen kolom"])
    sheet.append(["26-000-001", "oude klacht", "eigen"])
    settings = workbook.create_sheet("Instellingen")
    settings.append(["Instelling", "Waarde", "Toelichting"])
    settings.append(["Antwoordtermijn (werkdagen)", "15", "aangepast"])
    workbook.save(path)

    changes = LocalRegister(path).ensure_layout(schema.TABS)

    tables = LocalRegister(path).read(["Klachten", "Instellingen"])
    klachten = tables["Klachten"]
    assert klachten.headers[:3] == ("Nummer", "Omschrijving", "Eigen kolom")
    assert set(schema.KLACHTEN.headers) <= set(klachten.headers)
    assert klachten.rows[0][:3] == ("26-000-001", "oude klacht", "eigen")
    assert "Kolom 'Status' toegevoegd aan tabblad 'Klachten'" in changes
    values = dict((r[0], r[1]) for r in tables["Instellingen"].rows)
    assert values["Antwoordtermijn (werkdagen)"] == "15"
    assert values["Bewaartermijn (maanden)"] == "24"


@pytest.mark.parametrize(
    "value", [FORMULA, "+31 6 1234", "-5", "@SUM(A1)", '=IMPORTXML("http://x","//a")']
)
def test_values_stay_text_never_formulas(register, register_path, value):
    [given] = register.append("Klachten", [{"Omschrijving": value, "Telefoon": value}])

    [complaint] = complaints(register.read(["Klachten"])["Klachten"])
    assert complaint.omschrijving == value
    assert complaint.nummer == given
    sheet = openpyxl.load_workbook(register_path)["Klachten"]
    column = schema.KLACHTEN.headers.index("Omschrijving") + 1
    cell = sheet.cell(row=2, column=column)
    assert cell.data_type == "s"
    assert cell.value == value


def test_append_allocates_valid_nummers_and_replay_adds_nothing(register):
    first = register.append("Klachten", [{"Omschrijving": "a"}, {"Omschrijving": "b"}])
    replay = register.append("Klachten", [{"Nummer": first[0], "Omschrijving": "a"}])

    assert all(nummer.is_valid(n) for n in first)
    assert len(set(first)) == 2
    assert replay == [first[0]]
    assert len(register.read(["Klachten"])["Klachten"].rows) == 2


def test_append_to_unknown_column_is_refused_and_nothing_written(register):
    with pytest.raises(LayoutError, match="Verzonnen"):
        register.append("Klachten", [{"Verzonnen": "x"}])

    assert register.read(["Klachten"])["Klachten"].rows == ()


def test_updates_land_on_their_nummer_after_a_person_resorted_the_rows(register, register_path):
    nummers = register.append(
        "Klachten", [{"Omschrijving": f"klacht {i}", "Notities": f"notitie {i}"} for i in range(5)]
    )
    # A person sorts the sheet descending by Omschrijving in the meantime.
    workbook = openpyxl.load_workbook(register_path)
    sheet = workbook["Klachten"]
    rows = [[c.value for c in row] for row in sheet.iter_rows(min_row=2)]
    rows.sort(key=lambda r: r[schema.KLACHTEN.headers.index("Omschrijving")], reverse=True)
    for offset, row in enumerate(rows, start=2):
        for col, value in enumerate(row, start=1):
            sheet.cell(row=offset, column=col).value = value
    workbook.save(register_path)
    before = {c.nummer: c for c in complaints(register.read(["Klachten"])["Klachten"])}

    result = register.update(
        "Klachten", [CellUpdate(n, "Controle", f"controle {i}") for i, n in enumerate(nummers)]
    )

    after = {c.nummer: c for c in complaints(register.read(["Klachten"])["Klachten"])}
    assert result.written == 5
    for i, n in enumerate(nummers):
        assert after[n].controle == f"controle {i}"
        assert after[n].omschrijving == f"klacht {i}"
        assert after[n].notities == before[n].notities == f"notitie {i}"


def test_update_reports_missing_and_duplicate_nummers(register):
    register.append("Klachten", [{"Nummer": "26-111-111", "Omschrijving": "a"}])
    register.append("Klachten", [{"Nummer": "26-222-222", "Omschrijving": "b"}])
    register.append("Klachten", [{"Nummer": "26-333-333"}])
    # A person copied a row, so its Nummer appears twice.
    path = Path(register.location)
    workbook = openpyxl.load_workbook(path)
    workbook["Klachten"].append(["26-222-222"])
    workbook.save(path)

    result = register.update(
        "Klachten",
        [
            CellUpdate("26-111-111", "Controle", "ok"),
            CellUpdate("26-222-222", "Controle", "dubbel"),
            CellUpdate("26-999-999", "Controle", "weg"),
        ],
    )

    assert result.written == 1
    assert result.missing == ("26-999-999",)
    assert result.ambiguous == ("26-222-222",)


def test_rows_typed_by_hand_get_a_nummer_found_by_fingerprint(register, register_path):
    workbook = openpyxl.load_workbook(register_path)
    sheet = workbook["Klachten"]
    headers = list(schema.KLACHTEN.headers)
    row = [""] * len(headers)
    row[headers.index("Omschrijving")] = "met de hand"
    sheet.append(row)
    sheet.append(row)  # the same row twice: each gets its own Nummer
    workbook.save(register_path)
    table = register.read(["Klachten"])["Klachten"]
    print_ = fingerprint(table.rows[0])

    result = register.update(
        "Klachten",
        [
            CellUpdate("26-100-006", "Nummer", "26-100-006", fingerprint=print_),
            CellUpdate("26-100-006", "Controle", "nieuw nummer", fingerprint=print_),
            CellUpdate("26-200-003", "Nummer", "26-200-003", fingerprint=print_),
        ],
    )

    found = complaints(register.read(["Klachten"])["Klachten"])
    assert result.written == 3
    assert sorted(c.nummer for c in found) == ["26-100-006", "26-200-003"]
    assert next(c for c in found if c.nummer == "26-100-006").controle == "nieuw nummer"


@pytest.mark.parametrize(
    "lock_name",
    [".~lock.klachtenregister.xlsx#", "~$klachtenregister.xlsx", "~$achtenregister.xlsx"],
)
def test_refuses_to_write_while_a_person_has_the_workbook_open(register, register_path, lock_name):
    (register_path.parent / lock_name).write_text("iemand,pc,2026")
    before = digest(register_path)

    with pytest.raises(RegisterBusy, match="geopend in LibreOffice of Excel door"):
        register.append("Klachten", [{"Omschrijving": "x"}])

    assert digest(register_path) == before
    assert register.read(["Klachten"])["Klachten"].rows == ()  # reading is still allowed


def test_busy_lock_gives_a_clear_message(register_path):
    holder = LocalRegister(register_path)
    waiter = LocalRegister(register_path, lock_timeout=0.2)
    with holder._lock, pytest.raises(RegisterBusy, match="bezet"):
        waiter.append("Klachten", [{"Omschrijving": "x"}])


APPENDER = textwrap.dedent(
    """
    import sys
    from pathlib import Path
    from klachtsheet.register.local import LocalRegister

    register = LocalRegister(Path(sys.argv[1]))
    for i in range(int(sys.argv[2])):
        register.append("Klachten", [{"Omschrijving": f"{sys.argv[3]} {i}"}])
    """
)


def test_two_processes_appending_at_once_lose_nothing(register_path):
    processes = [
        subprocess.Popen([sys.executable, "-c", APPENDER, str(register_path), "200", name])
        for name in ("een", "twee")
    ]
    codes = [p.wait(timeout=600) for p in processes]

    found = complaints(LocalRegister(register_path).read(["Klachten"])["Klachten"])
    assert codes == [0, 0]
    assert len(found) == 400
    assert len({c.nummer for c in found}) == 400
    assert {c.omschrijving for c in found} == {
        f"{n} {i}" for n in ("een", "twee") for i in range(200)
    }


CRASHER = textwrap.dedent(
    """
    import os, sys
    from pathlib import Path
    from klachtsheet.register.local import LocalRegister

    def dying_fsync(fd):
        # half-written file, then the power goes off before it is renamed into place
        os.ftruncate(fd, os.fstat(fd).st_size // 2)
        os._exit(9)

    os.fsync = dying_fsync
    LocalRegister(Path(sys.argv[1])).append("Klachten", [{"Omschrijving": "verloren"}])
    """
)


def test_a_crash_during_save_leaves_the_last_complete_workbook(register, register_path):
    register.append("Klachten", [{"Omschrijving": "bewaard"}])
    before = digest(register_path)

    result = subprocess.run([sys.executable, "-c", CRASHER, str(register_path)], timeout=120)

    assert result.returncode == 9
    assert digest(register_path) == before
    found = complaints(LocalRegister(register_path).read(["Klachten"])["Klachten"])
    assert [c.omschrijving for c in found] == ["bewaard"]
    register.append("Klachten", [{"Omschrijving": "daarna"}])
    assert not list(register_path.parent.glob("*.tmp"))


def test_a_process_killed_at_random_moments_never_leaves_a_broken_workbook(register_path):
    process = subprocess.Popen([sys.executable, "-c", APPENDER, str(register_path), "1000", "x"])
    import time

    time.sleep(3)
    process.kill()
    process.wait()

    found = complaints(LocalRegister(register_path).read(["Klachten"])["Klachten"])
    assert [c.omschrijving for c in found] == [f"x {i}" for i in range(len(found))]


def test_new_register_is_readable_only_by_its_owner(register_path):
    assert os.stat(register_path).st_mode & 0o077 == 0


def test_logboek_keeps_every_row_of_the_same_nummer(register):
    rows = [{"Nummer": "26-111-111", "Actie": a} for a in ("ingevoerd", "toegewezen", "bevestigd")]

    register.append("Logboek", rows[:1])
    register.append("Logboek", rows[1:])

    assert register.read(["Logboek"])["Logboek"].column("Actie") == [
        "ingevoerd",
        "toegewezen",
        "bevestigd",
    ]
