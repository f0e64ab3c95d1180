"""The pure rules: validation messages, assignment, answer-by dates, follow-up."""

from __future__ import annotations

from datetime import date

import pytest

from klachtsheet import schema
from klachtsheet.model import Complaint, Table
from klachtsheet.rules import build_context, proposed_categories, review
from klachtsheet.rules import followup as fu
from klachtsheet.rules.deadlines import answer_by
from klachtsheet.rules.review import CONFIDENTIAL_ROW, STUB_ROW

TODAY = date(2026, 11, 26)


@pytest.fixture
def ctx():
    settings = Table(
        schema.INSTELLINGEN_TAB,
        ("Instelling", "Waarde", "Toelichting"),
        (
            ("Vertrouwenspersoon", "Vera Vertrouwen", ""),
            ("E-mail vertrouwenspersoon", "vera@voorbeeld.nl", ""),
        ),
    )
    return build_context({schema.INSTELLINGEN_TAB: settings}, TODAY)


def handed_over(**values: str) -> Complaint:
    base = dict(
        nummer="", ontvangen_op="20-11-2026", kanaal="Telefoon", soort="Klacht",
        deelnemer="Mevr. A", email_deelnemer="a@example.org", locatie="Utrecht",
        categorie="Tijdstip ophalen", status="Overgedragen", overgedragen_op="20-11-2026",
    )  # fmt: skip
    base.update(values)
    return Complaint(**base)


def test_clean_handed_over_complaint_is_assigned_dated_and_confirmed(ctx):
    result = review(handed_over(), ctx)
    assert result.messages == ()
    assert dict(result.wanted) == {
        "Controle": "", "Antwoord uiterlijk": "10-12-2026", "Aangifte geadviseerd": "",
        "Coördinator": "Bram Jansen",
    }  # fmt: skip
    assert result.confirmation.via == "E-mail"
    assert result.confirmation.coordinator_email == "utrecht@voorbeeld.nl"


@pytest.mark.parametrize("typed", ["tijdstip OPHALEN", " Tijdstip  ophalen ", "Ophaaltijd"])
def test_category_in_other_spelling_is_valid_and_not_rewritten(ctx, typed):
    result = review(handed_over(categorie=typed), ctx)
    assert result.messages == ()
    assert result.category.name == "Tijdstip ophalen"
    assert "Categorie" not in dict(result.wanted)


def test_unknown_category_gets_message_and_is_proposed(ctx):
    result = review(handed_over(categorie="Rolstoel vergeten"), ctx)
    assert result.messages == (
        "Onbekende categorie 'Rolstoel vergeten': kies er een uit de lijst, "
        "of voeg hem toe aan Categorieën",
    )
    klachten = Table(
        schema.KLACHTEN_TAB,
        ("Nummer", "Categorie"),
        (("1", "Rolstoel vergeten"), ("2", "rolstoel vergeten"), ("3", "Overig"), ("4", "Bus")),
    )
    assert proposed_categories({schema.KLACHTEN_TAB: klachten}) == {
        "Rolstoel vergeten": 2, "Bus": 1,
    }  # fmt: skip


def test_region_coordinator_when_location_has_none(ctx):
    result = review(handed_over(locatie="eindhoven"), ctx)
    assert result.assigned == "Frank Peeters"
    assert result.coordinator_email == "regio.zuid@voorbeeld.nl"


def test_unknown_location_gets_message_and_no_guess(ctx):
    result = review(handed_over(locatie="Zwolle"), ctx)
    assert result.assigned == ""
    assert result.confirmation is None
    assert result.messages == (
        "Onbekende locatie 'Zwolle': kies er een uit de lijst, of voeg hem toe aan Locaties",
    )


def test_typed_coordinator_is_never_overwritten(ctx):
    result = review(handed_over(coordinator="Els Bakker"), ctx)
    assert "Coördinator" not in dict(result.wanted)
    assert result.coordinator == "Els Bakker"
    assert result.coordinator_email == "amersfoort@voorbeeld.nl"


def test_confidential_goes_to_the_confidant(ctx):
    result = review(handed_over(), ctx, kind=CONFIDENTIAL_ROW)
    assert result.assigned == "Vera Vertrouwen"
    assert result.confirmation.coordinator_email == "vera@voorbeeld.nl"


def test_handed_over_without_date_gets_message_and_no_answer_date(ctx):
    result = review(handed_over(overgedragen_op=""), ctx)
    assert dict(result.wanted)["Antwoord uiterlijk"] == ""
    assert result.confirmation is None
    assert result.messages == (
        "Overgedragen op is leeg: vul de datum van overdracht in (nodig bij status "
        "Overgedragen), de dagelijkse controle berekent dan Antwoord uiterlijk",
    )


def test_answer_by_skips_weekends_and_christmas():
    assert answer_by(date(2026, 12, 18), 10) == date(2027, 1, 5)
    assert answer_by(date(2026, 11, 20), 10) == date(2026, 12, 4)


@pytest.mark.parametrize(
    ("values", "message"),
    [
        (
            {"status": "Bezig"},
            "Status 'Bezig' bestaat niet: kies Nieuw, Opgelost 1e lijn, "
            "Overgedragen, In behandeling, Teruggekoppeld, Afgesloten of Afgehandeld",
        ),
        (
            {"ontvangen_op": "gisteren"},
            "Ontvangen op: 'gisteren' is geen datum, schrijf bijvoorbeeld 26-11-2026",
        ),
        ({"vertrouwelijk": "misschien"}, "Vertrouwelijk 'misschien' bestaat niet: kies Ja of Nee"),
        ({"soort": ""}, "Soort is leeg: kies Klacht of Navraag"),
        (
            {"status": "Afgesloten", "afgesloten_op": ""},
            "Afgesloten op is leeg: nodig bij status Afgesloten",
        ),
        (
            {"bevestiging_via": "Brief"},
            "Bevestiging via Brief, maar Adres is leeg: vul het in of kies E-mail of Telefoon",
        ),
        ({"email_deelnemer": "a@b"}, "E-mail deelnemer 'a@b' is geen e-mailadres"),
        (
            {"nummer": "26-000-000"},
            "Nummer '26-000-000' is geen geldig nummer: maak de cel leeg, dan krijgt de rij "
            "een nieuw nummer",
        ),
    ],
)
def test_one_problem_one_message(ctx, values, message):
    assert review(handed_over(**values), ctx).messages == (message,)


def test_case_differences_in_lists_are_fine(ctx):
    result = review(handed_over(status="in BEHANDELING", soort="klacht", vertrouwelijk="nee"), ctx)
    assert result.messages == ()
    assert result.status == "In behandeling"


def test_fixed_problem_clears_controle(ctx):
    before = handed_over(controle="Onbekende locatie 'Zwole': kies er een uit de lijst")
    assert dict(review(before, ctx).wanted)["Controle"] == ""


def test_police_advice_by_category_or_description(ctx):
    assert review(handed_over(categorie="Diefstal"), ctx).police_advice
    assert review(handed_over(omschrijving="Mijn tas is gestolen in de pauze"), ctx).police_advice
    assert not review(handed_over(omschrijving="Te laat opgehaald"), ctx).police_advice


def test_stub_mirrors_only_what_it_is_given_and_flags_personal_data(ctx):
    stub = Complaint(nummer="26-1", vertrouwelijk="Ja", deelnemer="Naam")
    result = review(
        stub,
        ctx,
        kind=STUB_ROW,
        mirror={"Antwoord uiterlijk": "04-12-2026"},
        counterpart_known=True,
    )
    assert dict(result.wanted)["Antwoord uiterlijk"] == "04-12-2026"
    assert set(dict(result.wanted)) == {"Controle", "Antwoord uiterlijk"}
    assert "persoonsgegevens" in result.controle


def test_follow_up_lists(ctx):
    rows = [
        handed_over(
            nummer="1",
            status="In behandeling",
            overgedragen_op="01-11-2026",
            bevestiging_verstuurd_op="01-11-2026",
        ),
        handed_over(nummer="2", kanaal="Vrijwilliger", status="Nieuw", overgedragen_op=""),
        handed_over(
            nummer="3",
            status="Teruggekoppeld",
            teruggekoppeld_deelnemer_op="01-11-2026",
            email_invoerder="t@voorbeeld.nl",
            coordinator="Bram Jansen",
        ),
        handed_over(nummer="4", status="Teruggekoppeld", teruggekoppeld_deelnemer_op="25-11-2026"),
    ]
    reviewed = [fu.Reviewed(c, review(c, ctx), "gedeeld") for c in rows]
    assert [r.nummer for r in fu.overdue(reviewed, TODAY)] == ["1"]
    assert [r.nummer for r in fu.waiting_volunteer_reports(reviewed, ctx)] == ["2"]
    assert [r.nummer for r in fu.satisfaction_due(reviewed, ctx)] == ["3"]
    assert [r.nummer for r in fu.first_line_to_tell(reviewed)] == ["3"]
    digests = fu.by_coordinator(fu.OVERDUE, fu.overdue(reviewed, TODAY))
    assert [(d.recipient, d.email) for d in digests] == [("Bram Jansen", "utrecht@voorbeeld.nl")]


def test_cells_the_sync_only_fills_while_empty_are_written_only_if_still_empty():
    from klachtsheet.sync.changeset import Change

    coordinator = Change("26-482-713", "Coördinator", "", "Bram Jansen").cell_update()
    controle = Change("26-482-713", "Controle", "oud", "").cell_update()

    assert coordinator.expected == ""
    assert controle.expected is None
