"""Every figure of the agenda for the fixed register equals the value worked out by hand."""

from __future__ import annotations

import math
from datetime import date

import pytest

from klachtsheet.reports import metrics
from klachtsheet.reports.agenda import build_agenda
from klachtsheet.reports.metrics import CONFIDENTIAL, KNOWN, UNKNOWN, Group, Period, poisson_tail

from .conftest import MEETING, SINCE


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


def hand_tail(count: int, rate: float) -> float:
    return 1 - sum(math.exp(-rate) * rate**k / math.factorial(k) for k in range(count))


def test_trends_and_rising_beyond_chance(agenda):
    trends = by_name(agenda.categories)
    niet_ophalen = trends[(KNOWN, "Niet ophalen")]
    assert niet_ophalen.p_value == pytest.approx(hand_tail(6, 2 / 3))
    assert niet_ophalen.rising and niet_ophalen.direction == "op"
    geluid = trends[(KNOWN, "Geluid theaters")]
    # Never seen before: the rate floor of 0.5 applies; 2 is below the minimum of 3 anyway.
    assert geluid.p_value == pytest.approx(1 - math.exp(-0.5) * 1.5)
    assert not geluid.rising and geluid.direction == "op"
    tijdstip = trends[(KNOWN, "Tijdstip ophalen")]
    assert not tijdstip.rising and tijdstip.direction == "op"  # 1 -> 2 is no trend
    utrecht = by_name(agenda.locations)[(KNOWN, "Utrecht")]
    assert utrecht.p_value == pytest.approx(hand_tail(3, 2 / 3))  # about 0.030
    assert utrecht.rising
    assert [t.group.name for t in agenda.rising] == ["Niet ophalen", "Utrecht"]
    amsterdam = by_name(agenda.locations)[(KNOWN, "Amsterdam")]
    assert amsterdam.direction == "af" and not amsterdam.rising


def test_handling_figures_this_period(agenda):
    f = agenda.figures
    assert (f.first_line.part, f.first_line.whole) == (2, 10)  # rows 1 and 6
    assert f.first_line.value == pytest.approx(0.2)
    # Handed over in the period: rows 2,3,4,7,9,10 took 1,3,0,1,0,1 days.
    assert (f.handover_days.value, f.handover_days.count) == (1, 6)
    # Closed in the period: rows 1,2,4 took 0,16,16 days.
    assert (f.closure_days.value, f.closure_days.count) == (16, 3)
    # Answered in the period: rows 2 (on time), 4 (a day late), 9 (on time).
    assert (f.within_term.part, f.within_term.whole) == (2, 3)
    assert f.satisfaction == (("Tevreden", 1), ("Niet tevreden", 1))


def test_handling_figures_earlier_periods(agenda):
    e = agenda.earlier
    assert (e.complaints, e.inquiries) == (4, 1)
    assert (e.first_line.part, e.first_line.whole) == (1, 4)
    assert (e.handover_days.value, e.handover_days.count) == (2, 3)  # 2, 2, 0
    assert (e.closure_days.value, e.closure_days.count) == (15.5, 4)  # 12, 0, 19, 21
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
        "stijging", "stijging", "te_laat", "termijn", "voorstel", "zonder_datum", "vertrouwelijk",
    ]  # fmt: skip
    assert agenda.points[0].v["soort"] == "categorie"
    assert agenda.points[1].v["soort"] == "locatie"


def test_default_since_uses_the_agenda_period_setting(tables):
    agenda = build_agenda(tables, meeting=MEETING)
    assert agenda.period.start == date(2026, 2, 2)  # 4 weeks, the default


def test_poisson_tail_by_hand():
    assert poisson_tail(0, 2.0) == 1.0
    assert poisson_tail(1, 2.0) == pytest.approx(1 - math.exp(-2))
    assert poisson_tail(3, 0.5) == pytest.approx(hand_tail(3, 0.5))
    assert poisson_tail(12, 2.0) == pytest.approx(hand_tail(12, 2.0), rel=1e-9)
    # Large rates do not underflow: the median of Poisson(1000) is about 1000.
    assert poisson_tail(1000, 1000.0) == pytest.approx(0.5, abs=0.02)
    assert poisson_tail(1200, 1000.0) < 1e-8


def test_group_matching_merges_spellings_of_unknown_values():
    from klachtsheet.categories import Catalogue, from_table
    from klachtsheet.model import Complaint

    group = metrics.category_group(Catalogue(from_table(None)))
    first = group(Complaint(categorie="Parkeren bij  het theater"))
    assert group(Complaint(categorie="parkeren bij het Théater")) == first
    assert first == Group(UNKNOWN, "Parkeren bij het theater")
