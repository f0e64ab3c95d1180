"""The pure rules behind issue 16: duplicate hints, escalation steps, participant keys."""

from __future__ import annotations

from datetime import date

from hypothesis import given
from hypothesis import strategies as st

from klachtsheet.model import Complaint
from klachtsheet.participants import number_key, phone_key
from klachtsheet.rules import build_context
from klachtsheet.rules import escalation as esc
from klachtsheet.rules.duplicates import counted_once, duplicate_hints
from klachtsheet.rules.followup import Reviewed
from klachtsheet.rules.review import review


def _c(nummer, **values) -> Complaint:
    base = dict(
        nummer=nummer, ontvangen_op="09-11-2026", locatie="Amsterdam", status="Overgedragen",
        datum_activiteit="10-11-2026", deelnemernummer="", telefoon="",
    )  # fmt: skip
    base.update(values)
    return Complaint(**base)


def test_same_number_place_and_date_within_three_days_is_a_hint_across_channels():
    rows = [
        _c("26-1", deelnemernummer="D-77", kanaal="Vrijwilliger"),
        _c("26-2", deelnemernummer="d 77", kanaal="Telefoon", datum_activiteit="13-11-2026"),
        _c("26-3", deelnemernummer="D-77", datum_activiteit="14-11-2026"),  # 4 days after 26-1
        _c("26-4", deelnemernummer="D-77", locatie="Utrecht"),
        _c("26-5", deelnemernummer="D-78"),
    ]
    assert duplicate_hints(rows) == {"26-1": ["26-2"], "26-2": ["26-1", "26-3"], "26-3": ["26-2"]}


def test_phone_matches_too_but_linked_confidential_or_closed_pairs_do_not():
    phone = "06-12345678"
    assert duplicate_hints([_c("1", telefoon=phone), _c("2", telefoon="0612345678")]) == {
        "1": ["2"],
        "2": ["1"],
    }
    assert duplicate_hints([_c("1", telefoon=phone), _c("2", telefoon=phone, zelfde_als="1")]) == {}
    assert (
        duplicate_hints([_c("1", telefoon=phone), _c("2", telefoon=phone, vertrouwelijk="Ja")])
        == {}
    )
    closed = {"status": "Afgesloten"}
    assert (
        duplicate_hints([_c("1", telefoon=phone, **closed), _c("2", telefoon=phone, **closed)])
        == {}
    )


def test_counted_once_drops_rows_linked_to_an_existing_row():
    rows = [_c("1"), _c("2", zelfde_als="1"), _c("3", zelfde_als="99"), _c("4", zelfde_als="4")]
    assert [c.nummer for c in counted_once(rows)] == ["1", "3", "4"]


def _reviewed(nummer, handed: str, **values) -> Reviewed:
    complaint = Complaint(
        nummer=nummer, ontvangen_op=handed, kanaal="Telefoon", soort="Klacht",
        deelnemer="X Y", locatie="Utrecht", categorie="Overig", omschrijving="...",
        status="In behandeling", coordinator="Bram Jansen", overgedragen_op=handed,
        bevestiging_verstuurd_op=handed, **values,
    )  # fmt: skip
    ctx = build_context({}, date(2026, 12, 1))
    return Reviewed(complaint, review(complaint, ctx), "gedeeld")


def test_escalation_steps_by_working_days_late():
    # Handed over 02-11: answer by 16-11. On 01-12 that is 11 working days late.
    ctx = build_context({}, date(2026, 12, 1))
    rows = [
        _reviewed("a", "02-11-2026"),
        _reviewed("b", "09-11-2026"),  # due 23-11: 6 late
        _reviewed("c", "16-11-2026"),  # due 30-11: 1 late
        _reviewed("d", "02-11-2026", zelfde_als="a"),
    ]
    steps = esc.due_steps(rows, ctx, esc.Policy(after=5))
    assert [r.nummer for r in steps[esc.REGION]] == ["a", "b"]
    assert [r.nummer for r in steps[esc.MANAGER]] == ["a"]
    assert esc.due_steps(rows, ctx, esc.Policy(after=0)) == {esc.REGION: [], esc.MANAGER: []}
    digests = esc.pending(
        rows, ctx, esc.Policy(5, "Kim", "km@x.nl"), lambda k: k == "escalatie-regio:a"
    )
    assert [(d.kind, d.recipient, [r.nummer for r in d.items]) for d in digests] == [
        (esc.REGION, "Karin Smit", ["b"]),
        (esc.MANAGER, "Kim", ["a"]),
    ]


@given(st.text(alphabet="0123456789 -", min_size=10, max_size=14))
def test_a_phone_number_written_with_spaces_or_dashes_matches_itself(text):
    digits = "".join(ch for ch in text if ch.isdigit())
    if len(digits) >= 9:
        assert phone_key(text) == phone_key(digits)
    else:
        assert phone_key(text) == ""


@given(st.text(max_size=30))
def test_number_key_ignores_punctuation_and_spaces(text):
    assert number_key(text) == number_key(text.replace("-", " . ").replace("/", ""))
    assert number_key("D-1234") == number_key("d 1234") == "d1234"
