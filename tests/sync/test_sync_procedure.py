"""Issue 12: the procedure exactly (police advice, dates, wall, step 5, letters, free days)."""

from __future__ import annotations

from datetime import date

import pytest

from klachtsheet import schema
from klachtsheet.categories import PolicePhrases, needs_police_advice
from klachtsheet.messages.letters import Letters
from klachtsheet.messages.salutation import salutation
from klachtsheet.messages.texts import environment
from klachtsheet.model import Complaint, Table
from klachtsheet.rules import build_context, review
from klachtsheet.rules import followup as fu
from klachtsheet.rules.review import CONFIDENTIAL_ROW, STUB_ROW
from klachtsheet.sync.digests import BACKOFFICE
from klachtsheet.sync.plan import COORDINATOR_MAIL, plan
from klachtsheet.workdays import add_working_days, is_working_day, public_holidays

TODAY = date(2026, 12, 21)


def context(**extra: str):
    values = {
        "Vertrouwenspersoon": "Vera Veilig",
        "E-mail vertrouwenspersoon": "vera@stichting.nl",
        "E-mail telefoondienst": "telefoon@stichting.nl",
        **extra,
    }
    settings = Table(
        schema.INSTELLINGEN_TAB,
        ("Instelling", "Waarde", "Toelichting"),
        tuple((k, v, "") for k, v in values.items()),
    )
    locaties = Table(
        schema.LOCATIES_TAB,
        schema.LOCATIES.headers,
        (("Utrecht", "Midden", "Piet Plan", "piet@stichting.nl", "", ""),),
    )
    return build_context({schema.INSTELLINGEN_TAB: settings, schema.LOCATIES_TAB: locaties}, TODAY)


def row(**values: str) -> Complaint:
    base = dict(
        nummer="26-1", ontvangen_op="01-12-2026", kanaal="Telefoon", soort="Klacht",
        deelnemer="mevrouw H. de Boer", email_deelnemer="a@example.org", locatie="Utrecht",
        categorie="Overig", status="Overgedragen", overgedragen_op="01-12-2026",
        email_invoerder="tineke@stichting.nl", ingevoerd_door="Tineke",
    )  # fmt: skip
    base.update(values)
    return Complaint(**base)


# -- 1. police advice ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "Mijn tas is verdwenen",
        "De portemonnee is zoekgeraakt",
        "Mijn jas is niet teruggevonden",
        "Mijn telefoon is gestolen",
        "Ik ben beroofd bij de bus",
        "Ik ben mijn sleutels kwijtgeraakt",
        "Mijn handtas was ineens weg",
        "Mijn sjaal is weggeraakt",
        "De portemonnee was weg na de pauze",
        "Mijn jas heb ik niet meer teruggevonden",
        "Ik heb mijn pinpas nooit teruggekregen",
    ],
)
def test_loss_in_ordinary_dutch_gives_advice(text):
    assert needs_police_advice(None, text)


@pytest.mark.parametrize(
    "text",
    [
        "Hij kon zijn rollator niet kwijt",
        "Ik wil mijn verhaal kwijt",
        "De bus ging weg zonder mij",
        "Niemand kwam mij ophalen",
        "Mijn dochter bracht me weg",
        "Ik was de weg kwijt in het theater",
    ],
)
def test_idioms_give_no_advice(text):
    assert not needs_police_advice(None, text)


def test_phrase_list_comes_from_instellingen():
    ctx = context(**{"Woorden voor aangifte-advies": "paraplu; * meegenomen"})
    assert ctx.police == PolicePhrases.from_settings("paraplu; * meegenomen", "")
    assert review(row(omschrijving="Iemand heeft mijn bril meegenomen"), ctx).police_advice
    assert not review(row(omschrijving="Mijn tas is gestolen"), ctx).police_advice
    seeded = {s.key: s.default for s in schema.SETTINGS}
    assert "verdwenen" in seeded["aangifte_woorden"]
    assert "niet kwijt" in seeded["aangifte_uitzonderingen"]


@pytest.mark.parametrize(("typed", "advice"), [("Nee", False), ("Ja", True), ("nee", False)])
def test_a_persons_ja_or_nee_always_wins(typed, advice):
    text = "Mijn tas is gestolen" if typed.lower() == "nee" else "Het was te koud"
    result = review(row(omschrijving=text, aangifte_geadviseerd=typed), context())
    assert result.police_advice is advice
    assert dict(result.wanted)["Aangifte geadviseerd"] == typed
    assert result.confirmation is not None and result.confirmation.police_advice is advice


# -- 2. confirmations that are true when they arrive ----------------------------------------


def test_late_confirmation_restarts_the_term_from_today():
    result = review(row(), context())
    # 22,23 (2); 24? not free here; 24 (3); 25,26 Christmas; 28,29,30,31 (7); 1-1; 4,5,6 (10).
    assert result.confirmation.answer_by == date(2027, 1, 6) > TODAY
    assert dict(result.wanted)["Antwoord uiterlijk"] == "06-01-2027"


@pytest.mark.parametrize(
    "values",
    [
        {"status": "Teruggekoppeld", "teruggekoppeld_deelnemer_op": "18-12-2026"},
        {"status": "Afgesloten", "afgesloten_op": "18-12-2026"},
        {"status": "In behandeling", "teruggekoppeld_deelnemer_op": "18-12-2026"},
    ],
)
def test_no_handover_letter_past_handover(values):
    assert review(row(**values), context()).confirmation is None


def test_row_that_cannot_be_handed_over_goes_to_the_back_office_once():
    ctx = context(**{"E-mail back office": "bo@stichting.nl"})
    shared = Table(schema.KLACHTEN_TAB, schema.KLACHTEN.headers, ())
    stuck = row(locatie="Zwolle").to_mapping()
    shared = Table(
        schema.KLACHTEN_TAB,
        schema.KLACHTEN.headers,
        (tuple(stuck.get(h, "") for h in schema.KLACHTEN.headers),),
    )
    first = plan(shared, None, ctx, {})
    [unit] = [u for u in first.units if u.outgoing.kind == BACKOFFICE]
    assert unit.digest.email == "bo@stichting.nl" and unit.outgoing.keys == ("overdracht:26-1",)
    from klachtsheet.messages.outbox import SENT, JournalEntry

    journal = {"overdracht:26-1": JournalEntry("overdracht:26-1", SENT, "", "2026-12-21")}
    assert not [u for u in plan(shared, None, ctx, journal).units if u.outgoing.kind == BACKOFFICE]


# -- 3. the confidential wall ---------------------------------------------------------------


def test_missing_vertrouwenspersoon_is_an_error_on_the_stub():
    ctx = context(**{"Vertrouwenspersoon": "", "E-mail vertrouwenspersoon": ""})
    stub = review(Complaint(nummer="26-1", vertrouwelijk="Ja"), ctx, kind=STUB_ROW, mirror={})
    assert "Vertrouwenspersoon" in stub.controle


def test_confidential_scripts_go_to_the_vertrouwenspersoon_named_as_such():
    ctx = context()
    complaint = row(bevestiging_via="Telefoon", telefoon="030 1234567", email_deelnemer="")
    reviewed = fu.Reviewed(
        complaint, review(complaint, ctx, kind=CONFIDENTIAL_ROW), "vertrouwelijk"
    )
    pieces = Letters(environment(), ctx).confirmation(reviewed)
    script = pieces[0].content.decode()
    assert "de vertrouwenspersoon van Stichting Vier het Leven" in script
    assert "coördinator van" not in script
    assert pieces[1].message["To"].addresses[0].addr_spec == "vera@stichting.nl"


def test_stub_follows_status_and_dates_never_content():
    ctx = context()
    header = schema.KLACHTEN.headers
    secret = row(status="Afgesloten", afgesloten_op="18-12-2026", omschrijving="Geheim")
    conf = Table(
        schema.KLACHTEN_TAB, header, (tuple(secret.to_mapping().get(h, "") for h in header),)
    )
    stub = Complaint(nummer="26-1", vertrouwelijk="Ja", status="Overgedragen")
    shared = Table(
        schema.KLACHTEN_TAB, header, (tuple(stub.to_mapping().get(h, "") for h in header),)
    )
    result = plan(shared, conf, ctx, {})
    stub_changes = {c.header: c.new for c in result.changes.for_register("gedeeld")}
    assert stub_changes["Status"] == "Afgesloten"
    assert stub_changes["Afgesloten op"] == "18-12-2026"
    assert "Omschrijving" not in stub_changes and "Deelnemer" not in stub_changes


# -- 4. step 5 ------------------------------------------------------------------------------


def test_closed_without_feedback_still_tells_the_first_line():
    ctx = context()
    closed = row(status="Afgesloten", coordinator="Piet Plan", oplossing="Geld terug")
    reviewed = [fu.Reviewed(closed, review(closed, ctx), "gedeeld")]
    assert fu.first_line_to_tell(reviewed) == reviewed
    notice = Letters(environment(), ctx).first_line_notice(reviewed[0])
    assert "Geld terug" in notice.message.get_body().get_content()


def test_a_coordinator_changed_by_hand_is_told_once():
    ctx = context()
    header = schema.KLACHTEN.headers
    confirmed = row(coordinator="Karin Smit", bevestiging_verstuurd_op="02-12-2026")
    shared = Table(
        schema.KLACHTEN_TAB, header, (tuple(confirmed.to_mapping().get(h, "") for h in header),)
    )
    [unit] = [u for u in plan(shared, None, ctx, {}).units if u.outgoing.kind == COORDINATOR_MAIL]
    from klachtsheet.messages.outbox import SENT, JournalEntry

    journal = {k: JournalEntry(k, SENT, "", "") for k in unit.outgoing.keys}
    assert not [
        u for u in plan(shared, None, ctx, journal).units if u.outgoing.kind == COORDINATOR_MAIL
    ]


# -- 6. working days ------------------------------------------------------------------------


def test_working_days_follow_the_algemene_termijnenwet():
    assert not is_working_day(date(2026, 4, 3))  # Good Friday
    assert not is_working_day(date(2026, 5, 5))  # Liberation Day, also outside lustrum years
    assert not is_working_day(date(2027, 5, 5))
    assert not is_working_day(date(2026, 12, 25)) and is_working_day(date(2026, 12, 28))
    assert add_working_days(date(2026, 4, 2), 1) == date(2026, 4, 7)  # Fri, Sun, Mon free
    assert add_working_days(date(2026, 12, 23), 2) == date(2026, 12, 28)
    assert add_working_days(date(2026, 12, 23), 2, {date(2026, 12, 24)}) == date(2026, 12, 29)
    assert date(2025, 4, 26) in public_holidays(2025)  # King's Day when the 27th is a Sunday


def test_extra_free_days_come_from_instellingen():
    ctx = context(**{"Extra vrije dagen": "24-12-2026; 31-12-2026; morgen"})
    assert ctx.free_days == {date(2026, 12, 24), date(2026, 12, 31)}
    assert any("morgen" in p for p in ctx.setting_problems)


# -- 7. letters -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("aanhef", "name", "expected"),
    [
        ("", "mevrouw H. de Boer", "Geachte mevrouw De Boer"),
        ("", "Dhr. J.P. van der Berg", "Geachte heer Van der Berg"),
        ("", "H. de Boer", "Geachte heer of mevrouw"),
        ("", "Dhr. en mevr. Jansen", "Geachte heer en mevrouw Jansen"),
        ("", "mw. drs. A. van den Heuvel", "Geachte mevrouw Van den Heuvel"),
        ("", "", "Geachte heer of mevrouw"),
        ("mevrouw De Boer-Smit", "x", "Geachte mevrouw De Boer-Smit"),
        ("Beste Truus,", "x", "Beste Truus"),
    ],
)
def test_salutation(aanhef, name, expected):
    assert salutation(aanhef, name) == expected


def test_letter_fits_an_84_year_old():
    ctx = context(
        **{
            "Ondertekenaar brieven": "J. Jansen, coördinator klachten",
            "Contactpersoon": "Truus, 030-7654321",
            "Retouradres": "Postbus 12, 3500 AA Utrecht",
        }
    )
    complaint = row(bevestiging_via="Brief", adres="Dorpsstraat 1, 1234 AB Haarlem",
                    activiteit="Concert in TivoliVredenburg")  # fmt: skip
    reviewed = fu.Reviewed(complaint, review(complaint, ctx), "gedeeld")
    html = Letters(environment(), ctx).confirmation(reviewed)[0].content.decode()
    assert "Geachte mevrouw De Boer," in html
    assert "font-size: 12.5pt" in html and "11pt" not in html
    assert "Postbus 12, 3500 AA Utrecht" in html
    assert "J. Jansen, coördinator klachten" in html and "Truus, 030-7654321" in html
    assert "niet tevreden" not in html and "TivoliVredenburg" not in html


def test_confidential_row_never_mails_a_typed_coordinator():
    ctx = context()
    complaint = row(coordinator="Piet Plan")
    result = review(complaint, ctx, kind=CONFIDENTIAL_ROW)
    assert result.coordinator_email == ""
    assert "alleen de vertrouwenspersoon" in result.controle


def test_confidential_category_in_the_shared_register_is_not_confirmed_there():
    result = review(row(categorie="Vrijwilliger met een klacht"), context())
    assert result.confirmation is None
    assert "vertrouwelijke register" in result.controle


# -- text from people: properties ---------------------------------------------------------

from hypothesis import given  # noqa: E402
from hypothesis import strategies as st  # noqa: E402


@given(st.text(max_size=300))
def test_police_phrases_take_any_text(text):
    result = needs_police_advice(None, text)
    assert result == needs_police_advice(None, text.upper())
    assert needs_police_advice(None, f"{text} . Mijn tas is gestolen .")


@given(st.text(max_size=80), st.text(max_size=80))
def test_salutation_takes_any_text(aanhef, name):
    greeting = salutation(aanhef, name)
    assert greeting and "\n" not in greeting and not greeting.endswith(",")
    if not aanhef.strip(" ,\t\n\r\x0b\x0c\x1c\x1d\x1e\x1f\x85\xa0\u2028\u2029"):
        assert greeting.startswith("Geachte ")


def test_long_closed_complaints_are_history_no_flood_after_an_upgrade():
    ctx = context()
    old = row(status="Afgesloten", coordinator="Piet Plan", afgesloten_op="01-10-2026")
    recent = row(
        nummer="26-2", status="Afgesloten", coordinator="Piet Plan", afgesloten_op="20-12-2026"
    )
    reviewed = [fu.Reviewed(c, review(c, ctx), "gedeeld") for c in (old, recent)]
    assert [r.nummer for r in fu.first_line_to_tell(reviewed, TODAY)] == ["26-2"]
