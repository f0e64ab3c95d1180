"""The right of access: everything about one person from both registers, nothing about others."""

from __future__ import annotations

import zipfile
from pathlib import Path

import openpyxl
import pytest

from klachtsheet import schema
from klachtsheet.cli import cli
from klachtsheet.exceptions import KlachtsheetError
from klachtsheet.model import Complaint
from klachtsheet.privacy.access import (
    CHECKLIST,
    LETTER,
    REVIEW,
    WORKBOOK,
    PersonQuery,
    answer_access_request,
    phone_key,
)


def folder_text(folder: Path, *, skip: tuple[str, ...] = ()) -> str:
    """Return all text in a folder, workbooks included, so a search sees every value."""
    parts = []
    for path in sorted(folder.rglob("*")):
        if not path.is_file() or path.name in skip:
            continue
        if path.suffix == ".xlsx":
            workbook = openpyxl.load_workbook(path)
            for sheet in workbook:
                for row in sheet.iter_rows(values_only=True):
                    parts.extend(str(v) for v in row if v is not None)
        else:
            parts.append(path.read_text(encoding="utf-8"))
    return "\n".join(parts)


def answer(world, query, tmp_path, **kwargs):
    return answer_access_request(
        world.config,
        world.shared,
        world.confidential,
        query,
        today=world_today(),
        folder=tmp_path / "antwoord",
        **kwargs,
    )


def world_today():
    from datetime import date

    return date(2026, 11, 26)


@pytest.mark.parametrize(
    ("given", "stored"),
    [
        ("06-31415926", "0631415926"),
        ("+31 6 3141 5926", "06 31415926"),
        ("0031631415926", "06-314-159-26"),
    ],
)
def test_phone_numbers_compare_by_digits(given, stored):
    assert phone_key(given) == phone_key(stored)


@pytest.mark.parametrize(
    "query",
    [
        {"deelnemernummer": "dn 740213"},
        {"naam": "gerritdina vlasblom terpstra"},
        {"telefoon": "+31 6 31415926"},
        {"email": "G.Vlasblom@voorbeeld.nl"},
    ],
)
def test_every_way_of_asking_finds_all_complaints_in_both_registers(
    kit, populated, tmp_path, query
):
    report = answer(populated, PersonQuery(**query), tmp_path)

    pages = sorted(p.name for p in (report.folder / "meldingen").iterdir())
    assert pages == [
        f"{kit.make_nummer(1)}-gedeeld.html",
        f"{kit.make_nummer(3)}-gedeeld.html",
        f"{kit.make_nummer(4)}-vertrouwelijk.html",
    ]
    assert report.complaints == 3


def test_nothing_about_anyone_else(kit, populated, tmp_path):
    report = answer(
        populated, PersonQuery(naam="Gerritdina Vlasblom-Terpstra"), tmp_path, make_zip=True
    )

    text = folder_text(report.folder)
    for secret in kit.HENDRIKUS.secrets():
        assert secret not in text
    assert kit.STAFF.naam not in text and kit.STAFF.email not in text
    # Hendrikus's Nummers and documents are not there either.
    for n in (2, 5, 6):
        assert kit.make_nummer(n) not in text
    # Her own data is all there, documents included.
    assert kit.GERRITDINA.adres in text and kit.GERRITDINA.telefoon in text
    documents = report.folder / "documenten" / kit.make_nummer(1)
    assert sorted(p.name for p in documents.iterdir()) == [
        "bevestiging-brief.html",
        "coordinator.eml",
    ]
    assert (report.folder / "documenten" / kit.make_nummer(4) / "belscript.txt").exists()
    assert report.documents == 3

    with zipfile.ZipFile(report.zip_path) as archive:
        names = archive.namelist()
        zipped = "\n".join(archive.read(n).decode("utf-8", "replace") for n in names)
    assert not any(n.endswith(CHECKLIST) for n in names)
    assert any(n.endswith(LETTER) for n in names)
    for secret in kit.HENDRIKUS.secrets():
        assert secret not in zipped


def test_parts_about_another_person_are_marked_for_review(kit, populated, tmp_path):
    report = answer(populated, PersonQuery(deelnemernummer="DN-740213"), tmp_path)

    about_volunteer = (
        report.folder / "meldingen" / f"{kit.make_nummer(3)}-gedeeld.html"
    ).read_text()
    assert REVIEW in about_volunteer and "over een ander" in about_volunteer
    checklist = (report.folder / CHECKLIST).read_text()
    assert "NIET MEESTUREN" in checklist
    assert f"Melding {kit.make_nummer(3)}: de categorie gaat over een ander" in checklist
    assert f"Melding {kit.make_nummer(1)}: 'Omschrijving' kan over een ander gaan." in checklist
    assert "coordinator.eml was niet aan de deelnemer gericht" in checklist
    assert "bevestiging-brief.html" not in checklist
    # The checklist names fields and Nummers, never what is in them.
    assert kit.VOLUNTEER not in checklist and kit.GERRITDINA.naam not in checklist
    sheet = openpyxl.load_workbook(report.folder / WORKBOOK).active
    headers = [c.value for c in sheet[1]]
    assert REVIEW in headers and "Ingevoerd door" not in headers and "Coördinator" not in headers
    assert sheet.max_row == 4


def test_cover_letter_is_dutch_and_names_the_deadline(kit, populated, tmp_path):
    from datetime import date

    report = answer(
        populated, PersonQuery(telefoon="06 31415926"), tmp_path, request_date=date(2026, 11, 2)
    )

    letter = (report.folder / LETTER).read_text()
    assert "Uw verzoek om inzage" in letter
    assert kit.GERRITDINA.naam in letter and "Kwakkelpad 77" in letter
    assert "2 november 2026" in letter and "24 maanden" in letter
    assert "Autoriteit Persoonsgegevens" in letter
    assert report.deadline == date(2026, 12, 2)
    assert "02-12-2026" in report.summary()


def test_a_person_without_complaints_gets_a_letter_saying_so(populated, tmp_path):
    report = answer(populated, PersonQuery(naam="Niemand Bekend"), tmp_path)

    assert report.complaints == 0
    assert "geen gegevens over u" in (report.folder / LETTER).read_text()
    assert not (report.folder / WORKBOOK).exists()


def test_a_formula_in_a_cell_stays_text_in_the_workbook(kit, world, tmp_path):
    row: Complaint = kit.complaint(1, kit.GERRITDINA, notities='=HYPERLINK("http://x","klik")')
    kit.fill(world.shared, [row])

    report = answer(world, PersonQuery(naam=kit.GERRITDINA.naam), tmp_path)

    sheet = openpyxl.load_workbook(report.folder / WORKBOOK).active
    cells = [c for r in sheet.iter_rows() for c in r if str(c.value).startswith("=HYPER")]
    assert cells and all(c.data_type == "s" for c in cells)


def test_access_is_recorded_in_logboek_without_personal_data(kit, populated, tmp_path):
    answer(populated, PersonQuery(naam=kit.GERRITDINA.naam), tmp_path)

    shared = list(populated.shared.read([schema.LOGBOEK_TAB])[schema.LOGBOEK_TAB].records())
    hidden = list(populated.confidential.read([schema.LOGBOEK_TAB])[schema.LOGBOEK_TAB].records())
    assert {e["Nummer"] for e in shared} == {kit.make_nummer(1), kit.make_nummer(3)}
    assert {e["Nummer"] for e in hidden} == {kit.make_nummer(4)}
    assert all(e["Door"] == "inzage" for e in shared + hidden)
    assert kit.GERRITDINA.naam not in repr(shared + hidden)


@pytest.mark.parametrize(
    "query",
    [{}, {"naam": "A", "telefoon": "0612345678"}, {"telefoon": "12-34"}, {"email": "geen-adres"}],
)
def test_a_query_must_name_one_person_clearly(query):
    with pytest.raises(KlachtsheetError):
        PersonQuery(**query)


def test_empty_cells_never_match(kit):
    nobody = Complaint(nummer="24-000-012")
    for query in (
        PersonQuery(naam="x y"),
        PersonQuery(deelnemernummer="1"),
        PersonQuery(telefoon="0612345678"),
        PersonQuery(email="a@b"),
    ):
        assert not query.matches(nobody)


def test_cli_inzage_with_zip(kit, populated, runner, tmp_path):
    target = tmp_path / "verzoek"
    result = runner.invoke(
        cli,
        [
            "--config",
            str(populated.config_path),
            "inzage",
            "--naam",
            kit.HENDRIKUS.naam,
            "--map",
            str(target),
            "--zip",
        ],
    )

    assert result.exit_code == 0, result.output
    assert "2 meldingen" not in result.output  # Hendrikus has three: 2, 5 and 6
    assert "3 meldingen" in result.output
    assert (tmp_path / "verzoek.zip").exists()
    assert kit.HENDRIKUS.naam not in result.output
    text = folder_text(target)
    for secret in kit.GERRITDINA.secrets():
        assert secret not in text


def test_cli_inzage_needs_exactly_one_way_to_find_the_person(populated, runner):
    result = runner.invoke(cli, ["--config", str(populated.config_path), "inzage"])
    assert result.exit_code == 1
    assert "Fout: Geef precies één van" in result.output


def test_cli_inzage_refuses_a_folder_that_is_in_use(kit, populated, runner, tmp_path):
    used = tmp_path / "bezet"
    used.mkdir()
    (used / "iets.txt").write_text("al hier")
    result = runner.invoke(
        cli,
        [
            "--config",
            str(populated.config_path),
            "inzage",
            "--naam",
            kit.GERRITDINA.naam,
            "--map",
            str(used),
        ],
    )
    assert result.exit_code == 1 and "niet leeg" in result.output
