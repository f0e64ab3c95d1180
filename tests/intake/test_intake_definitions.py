"""Form definitions: loading, refusing broken ones with file and line, and validation rules."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest

from klachtsheet import schema
from klachtsheet.categories import Catalogue, from_table
from klachtsheet.exceptions import FormDefinitionError
from klachtsheet.intake import (
    Choices,
    build_complaint,
    load_forms,
    outcome,
    parse_definition,
    validate,
)
from klachtsheet.model import AMSTERDAM

CHOICES = Choices(("Utrecht", "Amsterdam"), Catalogue(from_table(None)))
MINIMAL = """\
titel: Test
velden:
  - kolom: Deelnemer
    vraag: Naam
    type: korte tekst
    verplicht: ja
"""


def test_packaged_forms_load():
    forms = load_forms()
    assert set(forms) >= {"telefoondienst", "vrijwilliger"}
    phone = forms["telefoondienst"]
    assert phone.field("adres").show_if[0].key == "bevestiging_via"
    assert phone.field("locatie").choices_from == "Locaties"
    assert dict(forms["vrijwilliger"].fixed) == {"kanaal": "Vrijwilliger", "soort": "Klacht"}


def test_broken_yaml_is_refused_with_file_and_line(tmp_path: Path):
    (tmp_path / "kapot.yaml").write_text(MINIMAL + "  - kolom: Telefoon\n   vraag: [oeps\n")
    with pytest.raises(FormDefinitionError) as error:
        load_forms(tmp_path)
    message = str(error.value)
    assert (
        "kapot.yaml" in message and "regel 8, kolom 4" in message and "geen geldige YAML" in message
    )


@pytest.mark.parametrize(
    ("extra", "line", "reason"),
    [
        (
            "  - kolom: Schoenmaat\n    vraag: x\n    type: korte tekst\n",
            7,
            "kolom 'Schoenmaat' bestaat niet",
        ),
        ("  - kolom: Telefoon\n    vraag: x\n    type: getal\n", 9, "type 'getal' bestaat niet"),
        (
            "  - kolom: Adres\n    vraag: x\n    type: lange tekst\n    tonen_als:\n"
            "      Bevestiging via: Brief\n",
            11,
            "geen eerder veld",
        ),
        ("  - kolom: Status\n    vraag: x\n    type: korte tekst\n", 7, "kolom 'Status'"),
        ("  - kolom: Deelnemer\n    vraag: x\n    type: korte tekst\n", 7, "wordt al gevuld"),
        (
            "  - kolom: Telefoon\n    vraag: x\n    type: telefoon\n    kleur: rood\n",
            10,
            "onbekende eigenschap 'kleur'",
        ),
        (
            "  - kolom: Telefoon\n    vraag: x\n    vraag: y\n    type: telefoon\n",
            9,
            "'vraag' staat er twee keer",
        ),
        (
            "  - kolom: Soort\n    vraag: x\n    type: keuze\n    keuzes: [Klacht, Ruzie]\n",
            10,
            "'Ruzie' mag niet",
        ),
    ],
    ids=[
        "column",
        "type",
        "show-if",
        "not-form-column",
        "twice",
        "property",
        "duplicate",
        "choice",
    ],
)
def test_wrong_definitions_name_line_and_reason(extra, line, reason):
    with pytest.raises(FormDefinitionError) as error:
        parse_definition(MINIMAL + extra, "test", "forms/test.yaml")
    message = str(error.value)
    assert message.startswith("Formulier forms/test.yaml regel ")
    assert f"regel {line}:" in message, message
    assert reason in message


def test_forms_dir_overrides_and_adds(tmp_path: Path):
    (tmp_path / "telefoondienst.yaml").write_text(MINIMAL)
    (tmp_path / "extra.yaml").write_text(MINIMAL.replace("Test", "Extra"))
    forms = load_forms(tmp_path)
    assert forms["telefoondienst"].title == "Test"
    assert forms["extra"].title == "Extra"
    assert "vrijwilliger" in forms


def _phone(**values):
    form = load_forms()["telefoondienst"]
    base = {"ingevoerd_door": "A", "kanaal": "Telefoon", "soort": "Klacht", "deelnemer": "B",
            "locatie": "Utrecht", "categorie": "Niet ophalen", "omschrijving": "C",
            "opgelost_1e_lijn": "Nee", "bevestiging_via": "E-mail",
            "email_deelnemer": "b@voorbeeld.nl"}  # fmt: skip
    return form, validate(form, {**base, **values}, CHOICES)


def test_valid_submission_and_type_checks():
    _, ok = _phone(datum_activiteit="2026-11-20", telefoon="+31 (0)30-123 45 67")
    assert ok.ok, ok.errors
    assert ok.values["datum_activiteit"] == "20-11-2026"
    assert ok.values["vertrouwelijk"] == "Nee"  # unticked box
    _, bad = _phone(datum_activiteit="32-13-2026", telefoon="bel me", email_deelnemer="geen")
    assert set(bad.errors) == {"datum_activiteit", "telefoon", "email_deelnemer"}
    assert "geen geldige datum" in bad.errors["datum_activiteit"]


def test_required_if_follows_the_chosen_confirmation():
    _, result = _phone(bevestiging_via="Telefoon", email_deelnemer="")
    assert set(result.errors) == {"telefoon"}
    _, result = _phone(bevestiging_via="Brief", email_deelnemer="")
    assert set(result.errors) == {"adres"}


def test_show_if_chain_clears_questions_that_do_not_apply():
    _, result = _phone(soort="Navraag", bevestiging_via="Brief", adres="Straat 1")
    assert result.ok, result.errors
    assert result.values["adres"] == result.values["bevestiging_via"] == ""
    assert result.values["categorie"] == ""


def test_control_characters_and_unknown_choices_are_refused():
    _, result = _phone(deelnemer="B\x00", kanaal="Duif")
    assert "niet kunnen worden bewaard" in result.errors["deelnemer"]
    assert "'Duif' is geen keuze" in result.errors["kanaal"]


def test_import_matches_choices_leniently():
    form = load_forms()["telefoondienst"]
    raw = {"ingevoerd_door": "A", "kanaal": "telefoon", "soort": "navraag", "deelnemer": "B",
           "locatie": "utrecht", "omschrijving": "C"}  # fmt: skip
    assert not validate(form, raw, CHOICES).ok
    result = validate(form, raw, CHOICES, lenient=True)
    assert result.ok, result.errors
    assert (result.values["kanaal"], result.values["locatie"]) == ("Telefoon", "Utrecht")


@pytest.mark.parametrize(
    ("values", "status"),
    [
        ({"soort": "Navraag"}, "Afgehandeld"),
        ({"opgelost_1e_lijn": "Ja", "oplossing_1e_lijn": "x"}, "Opgelost 1e lijn"),
        ({}, "Overgedragen"),
    ],
)
def test_status_on_intake(values, status):
    form, result = _phone(**values)
    moment = datetime(2026, 11, 26, 14, 5, tzinfo=AMSTERDAM)
    complaint = build_complaint(form, result.values, "26-482-713", moment, CHOICES.catalogue)
    assert complaint.status == status
    assert complaint.ontvangen_op == "26-11-2026 14:05"
    told = outcome(complaint, None, 10)
    if status == "Overgedragen":
        assert complaint.overgedragen_op == "26-11-2026"
        assert told.answer_by == "10-12-2026" and told.answer_days == 10
    else:
        assert told.answer_by == "" and complaint.overgedragen_op == ""


def test_confidential_category_marks_the_complaint():
    form, result = _phone(categorie="Vrijwilliger met een klacht")
    complaint = build_complaint(form, result.values, "26-482-713", datetime.now(AMSTERDAM),
                                CHOICES.catalogue)  # fmt: skip
    assert complaint.vertrouwelijk == schema.YES and complaint.is_confidential
