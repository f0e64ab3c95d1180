"""Every figure of the agenda for the fixed register equals the value worked out by hand."""

from __future__ import annotations

import math
from datetime import date, timedelta
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from klachtsheet import schema
from klachtsheet.model import complaints
from klachtsheet.reports import metrics
from klachtsheet.reports import trend as trend_test
from klachtsheet.reports.agenda import build_agenda
from klachtsheet.reports.metrics import CONFIDENTIAL, KNOWN, UNKNOWN, Group, Period, Term

from .conftest import MEETING, ROWS, SINCE, klachten_table


@pytest.fixture
def agenda(tables):
    return build_agenda(tables, meeting=MEETING, since=SINCE)


def by_name(trends):
    return {(t.group.kind, t.group.name): t for t in trends}


def test_period_and_history(agenda):
    assert agenda.period == Period(date(2026, 2, 2), date(2026, 3, 2))
    assert agenda.period.last_day == date(2026, 3, 1)
    # The first complaint (10 Nov 2025) allows exactly three earlier periods of 28 days.
    assert agenda.history == (
        Period(date(2026, 1, 5), date(2026, 2, 2)),
        Period(date(2025, 12, 8), date(2026, 1, 5)),
        Period(date(2025, 11, 10), date(2025, 12, 8)),
    )


def test_totals(agenda):
    assert agenda.received == 12  # rows 1-12; row 13 has no valid date
    assert agenda.confidential == 1
    assert agenda.figures.complaints == 10
    assert agenda.figures.inquiries == 1
    assert agenda.undated == 1


def test_counts_per_category_match_synonyms_and_case(agenda):
    trends = by_name(agenda.categories)
    niet_ophalen = trends[(KNOWN, "Niet ophalen")]
    assert niet_ophalen.current == 6  # incl. 'niet opgehaald' (a synonym)
    assert niet_ophalen.previous == (1, 0, 1)
    assert niet_ophalen.expected == pytest.approx(2 / 3)
    tijdstip = trends[(KNOWN, "Tijdstip ophalen")]
    assert (tijdstip.current, tijdstip.previous) == (2, (1, 1, 1))  # 'ophaaltijd' counts here
    geluid = trends[(KNOWN, "Geluid theaters")]
    assert (geluid.current, geluid.previous) == (2, (0, 0, 0))
    assert trends[(UNKNOWN, "Parkeren")].current == 1
    assert trends[(CONFIDENTIAL, "")].current == 1
    assert set(trends) == {
        (KNOWN, "Niet ophalen"), (KNOWN, "Tijdstip ophalen"), (KNOWN, "Geluid theaters"),
        (UNKNOWN, "Parkeren"), (CONFIDENTIAL, ""),
    }  # fmt: skip
    # Largest first; confidential last.
    assert agenda.categories[0].group.name == "Niet ophalen"
    assert agenda.categories[-1].group.kind == CONFIDENTIAL


def test_counts_per_location(agenda):
    trends = by_name(agenda.locations)
    assert (trends[(KNOWN, "Utrecht")].current, trends[(KNOWN, "Utrecht")].previous) == (
        3,
        (2, 0, 0),
    )
    assert trends[(KNOWN, "Amersfoort")].current == 2  # 'amersfoort' typed in lower case
    assert trends[(KNOWN, "Rotterdam")].current == 2
    assert trends[(KNOWN, "Den Haag")].current == 2
    assert (trends[(KNOWN, "Haarlem")].current, trends[(KNOWN, "Haarlem")].previous) == (
        1,
        (0, 1, 0),
    )
    assert (trends[(KNOWN, "Amsterdam")].current, trends[(KNOWN, "Amsterdam")].previous) == (
        0,
        (0, 0, 2),
    )
    assert trends[(UNKNOWN, "Zwolle")].current == 1
    assert trends[(CONFIDENTIAL, "")].current == 1
    assert (KNOWN, "Groningen") not in trends  # the only Groningen row is confidential


def binomial_tail(k: int, n: int, p: float) -> float:
    """P(X >= k) for X binomial(n, p), summed term by term."""
    return sum(math.comb(n, j) * p**j * (1 - p) ** (n - j) for j in range(k, n + 1))


def test_trend_test_by_hand(agenda):
    categories, locations = by_name(agenda.categories), by_name(agenda.locations)
    niet_ophalen = categories[(KNOWN, "Niet ophalen")]
    # 6 now, 2 in the three periods before: n = 8, each in this period with chance 1/4.
    assert niet_ophalen.p_value == pytest.approx(277 / 65536)  # (28*9 + 8*3 + 1) / 4^8
    assert niet_ophalen.p_value == pytest.approx(binomial_tail(6, 8, 1 / 4))
    utrecht = locations[(KNOWN, "Utrecht")]
    assert utrecht.p_value == pytest.approx(106 / 1024)  # 3 of n = 5
    tijdstip = categories[(KNOWN, "Tijdstip ophalen")]
    assert tijdstip.p_value == pytest.approx(binomial_tail(2, 5, 1 / 4))
    # Only groups with at least 3 complaints in all can ever be flagged; Tarone keeps
    # those three (their smallest possible p-values are all below 0.05 / 3).
    tested = {t.group.name for t in (*agenda.categories, *agenda.locations) if t.tested}
    assert tested == {"Niet ophalen", "Tijdstip ophalen", "Utrecht"}
    assert agenda.tested == 3
    # Benjamini–Hochberg over m = 3: 0.0042 <= 0.05 * 1/3; Utrecht 0.10 > 0.05 * 2/3.
    assert niet_ophalen.rising and niet_ophalen.direction == "op"
    assert not utrecht.rising and utrecht.direction == "gelijk"
    assert [t.group.name for t in agenda.rising] == ["Niet ophalen"]
    # Never seen before, 2 now: no trend (below the minimum of 3), so "gelijk", no arrow.
    geluid = categories[(KNOWN, "Geluid theaters")]
    assert not geluid.tested and geluid.direction == "gelijk"
    amsterdam = locations[(KNOWN, "Amsterdam")]  # 2 before, 0 now: no arrow down either
    assert amsterdam.direction == "gelijk" and not amsterdam.rising
    assert niet_ophalen.series == (1, 0, 1, 6)  # oldest first, this period last


def test_flag_needs_the_correction_across_groups():
    # A p-value below 0.05 is not enough when many groups are looked at.
    assert trend_test.benjamini_hochberg([0.04, 0.5, 0.6, 0.7], 0.05) == [False] * 4
    assert trend_test.benjamini_hochberg([0.01, 0.02, 0.5], 0.05) == [True, True, False]
    assert trend_test.benjamini_hochberg([0.011, 0.04, 0.5], 0.05) == [True, False, False]
    # Tarone: 0.3 can never reach a level, so it does not count towards m.
    assert trend_test.tarone([1e-6, 1e-6, 0.3], 0.05) == [True, True, False]


def test_binomial_tails():
    assert trend_test.binomial_upper(0, 5, 0.3) == 1.0
    assert trend_test.binomial_upper(6, 5, 0.3) == 0.0
    assert trend_test.binomial_upper(3, 10, 1 / 7) == pytest.approx(binomial_tail(3, 10, 1 / 7))
    assert trend_test.binomial_lower(2, 10, 1 / 7) == pytest.approx(1 - binomial_tail(3, 10, 1 / 7))
    # Large totals do not overflow.
    assert trend_test.binomial_upper(700, 4000, 1 / 7) < 1e-3
    assert trend_test.binomial_upper(572, 4000, 1 / 7) == pytest.approx(0.5, abs=0.03)  # mean 571.4


def exact_upper(k: int, n: int, periods: int) -> Fraction:
    """P(X >= k) for X binomial(n, 1 / periods), in exact fractions."""
    q = periods - 1
    return Fraction(sum(math.comb(n, j) * q ** (n - j) for j in range(k, n + 1)), periods**n)


@settings(max_examples=150, deadline=None)
@given(
    n=st.integers(1, 1500),
    periods=st.integers(2, 13),
    at=st.floats(0, 1.3),
)
def test_binomial_upper_is_the_whole_tail(n, periods, at):
    """The tail summed until its terms cannot count is the exact tail, also for big totals."""
    k = round(at * n)
    exact = exact_upper(k, n, periods)
    found = trend_test.binomial_upper(k, n, 1 / periods)
    assert found == pytest.approx(float(exact), rel=1e-9, abs=1e-300)


def test_a_long_history_flags_a_clear_rise_and_not_noise():
    from .conftest import _row

    rows = []
    # Six earlier periods of 28 days with one 'Geluid theaters' and two 'Niet ophalen' each.
    for period in range(1, 7):
        start = SINCE - (MEETING - SINCE) * period
        for n in range(3):
            category = "Geluid theaters" if n == 0 else "Niet ophalen"
            rows.append(_row(len(rows) + 1, f"{start:%d-%m-%Y}", category, "Utrecht"))
    # This period: 7 'Geluid theaters' (clearly more), 3 'Niet ophalen' (usual).
    for _ in range(7):
        rows.append(_row(len(rows) + 1, "10-02-2026", "Geluid theaters", "Zwolle"))
    for _ in range(3):
        rows.append(_row(len(rows) + 1, "11-02-2026", "Niet ophalen", "Utrecht"))
    agenda = build_agenda({schema.KLACHTEN_TAB: klachten_table(rows)}, meeting=MEETING, since=SINCE)
    assert len(agenda.history) == 6
    categories = by_name(agenda.categories)
    geluid = categories[(KNOWN, "Geluid theaters")]
    assert (geluid.current, geluid.previous) == (7, (1, 1, 1, 1, 1, 1))
    assert geluid.p_value == pytest.approx(binomial_tail(7, 13, 1 / 7))
    assert geluid.rising
    assert not categories[(KNOWN, "Niet ophalen")].rising
    # Zwolle (never before, 7 now) is a real rise too, of a location.
    assert [t.group.name for t in agenda.rising] == ["Geluid theaters", "Zwolle"]


def test_handling_figures_this_period(agenda):
    f = agenda.figures
    assert (f.first_line.part, f.first_line.whole) == (2, 10)  # rows 1 and 6
    assert f.first_line.value == pytest.approx(0.2)
    # Handed over in the period: rows 2,3,4,7,9,10 took 1,3,0,1,0,1 days.
    assert (f.handover_days.value, f.handover_days.count) == (1, 6)
    # Closed in the period: rows 1,2,4 took 0,16,16 days.
    assert (f.closure_days.value, f.closure_days.count) == (16, 3)
    # Due (Antwoord uiterlijk) in the period: rows 2 (answered on time), 4 (a day late),
    # 3 and 10 (still open, past the date). Row 7 is due on the meeting day and row 9
    # after it, so they count next time; row 12 is confidential.
    assert f.term == Term(on_time=1, late=1, open_overdue=2)
    assert (f.within_term.part, f.within_term.whole) == (1, 4)
    assert f.satisfaction == (("Tevreden", 1), ("Niet tevreden", 1))


def test_handling_figures_earlier_periods(agenda):
    e = agenda.earlier
    assert (e.complaints, e.inquiries) == (4, 1)
    assert (e.first_line.part, e.first_line.whole) == (1, 4)
    assert (e.handover_days.value, e.handover_days.count) == (2, 3)  # 2, 2, 0
    assert (e.closure_days.value, e.closure_days.count) == (15.5, 4)  # 12, 0, 19, 21
    # Due before: rows 14 and 17 on time, 16 three days late.
    assert e.term == Term(on_time=2, late=1, open_overdue=0)
    assert (e.within_term.part, e.within_term.whole) == (2, 3)


def test_open_and_overdue(agenda):
    assert agenda.open == 6  # rows 3, 5, 7, 10, 11, 13
    assert agenda.confidential_open == 1
    assert [(o.nummer, o.coordinator, o.days) for o in agenda.overdue] == [
        ("T-10", "Ria Hoekstra", 10),
        ("T-03", "Bram Jansen", 3),
    ]
    assert agenda.overdue[0].deadline == date(2026, 2, 20)
    assert [(w.coordinator, w.open, w.overdue) for w in agenda.workload] == [
        ("Bram Jansen", 1, 1),
        ("Ria Hoekstra", 1, 1),
        ("", 3, 0),
        ("Mohamed El Amrani", 1, 0),
    ]
    assert "T-12" not in {o.nummer for o in agenda.overdue}  # confidential, though late


def test_proposals_and_points(agenda):
    assert [(p.name, p.count, p.in_period) for p in agenda.proposals] == [("Parkeren", 1, 1)]
    assert [p.kind for p in agenda.points] == [
        "stijging", "te_laat", "termijn", "voorstel", "zonder_datum", "vertrouwelijk",
    ]  # fmt: skip
    assert agenda.points[0].v["soort"] == "categorie"
    assert agenda.points[2].v["term"] == Term(on_time=1, late=1, open_overdue=2)


def test_a_closed_confidential_stub_is_not_open():
    rows = [dict(r) for r in ROWS]
    stub = next(r for r in rows if r["nummer"] == "T-12")
    stub.update(status="Afgesloten", afgesloten_op="25-02-2026")
    agenda = build_agenda({schema.KLACHTEN_TAB: klachten_table(rows)}, meeting=MEETING, since=SINCE)
    assert agenda.confidential == 1  # still received in the period
    assert agenda.confidential_open == 0
    assert agenda.open == 6  # the shared open count never held it
    point = next(p for p in agenda.points if p.kind == "vertrouwelijk")
    assert point.v == {"aantal": 1, "open": 0}
    # With its own status open again, it counts as open.
    stub.update(status="Overgedragen", afgesloten_op="")
    agenda = build_agenda({schema.KLACHTEN_TAB: klachten_table(rows)}, meeting=MEETING, since=SINCE)
    assert agenda.confidential_open == 1


def test_within_term_counts_closed_without_a_date_and_uses_the_closing_date():
    rows = [
        {"nummer": "A", "ontvangen_op": "03-02-2026", "status": "Afgesloten",
         "antwoord_uiterlijk": "17-02-2026", "afgesloten_op": "16-02-2026"},
        {"nummer": "B", "ontvangen_op": "03-02-2026", "status": "Afgesloten",
         "antwoord_uiterlijk": "17-02-2026"},
        {"nummer": "C", "ontvangen_op": "03-02-2026", "status": "In behandeling",
         "antwoord_uiterlijk": "17-02-2026"},
        {"nummer": "D", "ontvangen_op": "03-02-2026", "status": "In behandeling",
         "antwoord_uiterlijk": "02-03-2026"},  # due on the meeting day: not yet
    ]  # fmt: skip
    agenda = build_agenda({schema.KLACHTEN_TAB: klachten_table(rows)}, meeting=MEETING, since=SINCE)
    assert agenda.figures.term == Term(on_time=1, late=0, open_overdue=1, undated=1)
    assert agenda.figures.within_term.whole == 3


def test_default_since_uses_the_agenda_period_setting(tables):
    agenda = build_agenda(tables, meeting=MEETING)
    assert agenda.period.start == date(2026, 2, 2)  # 4 weeks, the default


def test_group_matching_merges_spellings_of_unknown_values():
    from klachtsheet.categories import Catalogue, from_table
    from klachtsheet.model import Complaint

    group = metrics.category_group(Catalogue(from_table(None)))
    first = group(Complaint(categorie="Parkeren bij  het theater"))
    assert group(Complaint(categorie="parkeren bij het Théater")) == first
    assert first == Group(UNKNOWN, "Parkeren bij het theater")


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.tuples(st.dates(date(2025, 10, 1), date(2026, 4, 1)), st.integers(1, 120)),
        min_size=1,
        max_size=4,
    )
)
def test_figures_over_spans_are_each_spans_figures(starts):
    """One pass over the rows for several spans gives each span's own figures."""
    rows = complaints(klachten_table(ROWS))
    # The agenda's own period among them: figures that are not all zero.
    spans = [Period(SINCE, MEETING)]
    spans += [Period(start, start + timedelta(days=days)) for start, days in starts]
    assert metrics.figures(rows, spans[0]).complaints > 0
    assert metrics.figures_over(rows, spans) == [metrics.figures(rows, s) for s in spans]
