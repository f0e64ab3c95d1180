"""Edge cases give sensible Dutch text and no crash."""

from __future__ import annotations

from datetime import date

import pytest

from klachtsheet import schema
from klachtsheet.exceptions import KlachtsheetError
from klachtsheet.reports.agenda import build_agenda, render_agenda, tab_rows

from .conftest import PERSONAL, ROWS, klachten_table


def render_all(agenda) -> tuple[str, str, str]:
    md, html = render_agenda(agenda, "md"), render_agenda(agenda, "html")
    tab = "\n".join(row[0] for row in tab_rows(agenda))
    return md, html, tab


def test_empty_register():
    agenda = build_agenda({schema.KLACHTEN_TAB: klachten_table([])}, meeting=date(2026, 3, 2))
    md, html, tab = render_all(agenda)
    assert agenda.received == 0 and agenda.history == ()
    for text in (md, tab):
        assert "Geen nieuwe meldingen in deze periode." in text
        assert "Geen bijzondere punten uit de cijfers." in text
    assert "nog geen eerdere perioden" in md
    assert "<svg" not in html  # no chart without data


def test_no_complaints_in_the_period_but_history():
    agenda = build_agenda(
        {schema.KLACHTEN_TAB: klachten_table(ROWS)}, meeting=date(2026, 6, 1),
        since=date(2026, 5, 4),
    )  # fmt: skip
    md, _, _ = render_all(agenda)
    assert agenda.received == 0
    assert "Geen nieuwe meldingen in deze periode." in md
    assert agenda.rising == ()
    assert "| Niet ophalen | 0 |" in md  # still listed with its earlier average
    assert "geen gegevens" in md


def test_a_single_category():
    rows = [
        {"nummer": f"S-{i}", "ontvangen_op": f"{i:02d}-0{m}-2026", "categorie": "Overig",
         "locatie": "Utrecht", "status": "Nieuw"}
        for m in (1, 2) for i in range(1, 4)
    ]  # fmt: skip
    agenda = build_agenda(
        {schema.KLACHTEN_TAB: klachten_table(rows)}, meeting=date(2026, 2, 26),
        since=date(2026, 1, 29),
    )  # fmt: skip
    md, html, _ = render_all(agenda)
    assert [t.group.name for t in agenda.categories] == ["Overig"]
    assert agenda.categories[0].current == 3 and agenda.categories[0].previous == (3,)
    assert agenda.categories[0].direction == "gelijk"
    assert "| gelijk |" in md
    assert html.count('class="bar huidig"') == 1


def test_period_across_new_year():
    rows = [
        {"nummer": "N-1", "ontvangen_op": "30-12-2025", "categorie": "Niet ophalen"},
        {"nummer": "N-2", "ontvangen_op": "31-12-2025", "categorie": "Niet ophalen"},
        {"nummer": "N-3", "ontvangen_op": "01-01-2026", "categorie": "Niet ophalen"},
        {"nummer": "N-4", "ontvangen_op": "2 januari 2026", "categorie": "Niet ophalen"},
        {"nummer": "N-5", "ontvangen_op": "10-12-2025", "categorie": "Niet ophalen"},
        {"nummer": "N-6", "ontvangen_op": "05-01-2026", "categorie": "Niet ophalen"},
        {"nummer": "N-7", "ontvangen_op": "08-12-2025", "categorie": "Niet ophalen"},
    ]
    agenda = build_agenda(
        {schema.KLACHTEN_TAB: klachten_table(rows)}, meeting=date(2026, 1, 5),
        since=date(2025, 12, 22),
    )  # fmt: skip
    md, _, _ = render_all(agenda)
    assert agenda.received == 4  # 30 Dec up to 2 Jan; 5 Jan is the meeting day itself
    assert agenda.categories[0].previous == (2,)  # 8 and 10 Dec, in [8 Dec, 22 Dec)
    assert "22 december 2025 t/m 4 januari 2026" in md


def test_only_confidential_rows():
    rows = [
        {"nummer": f"V-{i}", "ontvangen_op": f"1{i}-02-2026", "vertrouwelijk": "Ja",
         "categorie": "Vrijwilliger met een klacht", "locatie": "Groningen",
         "status": "Overgedragen", "antwoord_uiterlijk": "01-02-2026",
         "coordinator": "Vera Vertrouwd"}
        for i in range(3)
    ]  # fmt: skip
    agenda = build_agenda(
        {schema.KLACHTEN_TAB: klachten_table(rows)}, meeting=date(2026, 3, 2),
        since=date(2026, 2, 2),
    )  # fmt: skip
    md, html, tab = render_all(agenda)
    assert (agenda.received, agenda.confidential, agenda.confidential_open) == (3, 3, 3)
    assert agenda.open == 0 and agenda.overdue == () and agenda.workload == ()
    for text in (md, html, tab):
        assert "3 vertrouwelijke klachten, bij de vertrouwenspersoon" in text
        for detail in ("V-0", "Groningen", "Vera Vertrouwd", "Vrijwilliger met een klacht"):
            assert detail not in text


def test_personal_data_never_in_the_agenda(tables):
    agenda = build_agenda(tables, meeting=date(2026, 3, 2), since=date(2026, 2, 2))
    for text in render_all(agenda):
        for value in PERSONAL.values():
            assert value not in text


def test_html_escapes_and_markdown_cells_are_safe():
    rows = [{"nummer": "X-1", "ontvangen_op": "10-02-2026", "categorie": "<b>a|b</b>"}]
    agenda = build_agenda(
        {schema.KLACHTEN_TAB: klachten_table(rows)}, meeting=date(2026, 3, 2),
        since=date(2026, 2, 2),
    )  # fmt: skip
    md, html, _ = render_all(agenda)
    assert "<b>" not in html and "&lt;b&gt;a|b&lt;/b&gt;" in html
    assert "| \\<b\\>a\\|b\\</b\\> (onbekend) |" in md


def test_since_must_be_before_the_meeting(tables):
    with pytest.raises(KlachtsheetError, match="vóór de vergaderdatum"):
        build_agenda(tables, meeting=date(2026, 3, 2), since=date(2026, 3, 2))


def test_missing_klachten_tab():
    with pytest.raises(KlachtsheetError, match="Klachten"):
        build_agenda({}, meeting=date(2026, 3, 2))


def test_bad_period_setting_is_noted():
    from klachtsheet.model import Table

    instellingen = Table(
        schema.INSTELLINGEN_TAB, ("Instelling", "Waarde", "Toelichting"),
        (("Agendaperiode (weken)", "vier", ""),),
    )  # fmt: skip
    agenda = build_agenda(
        {schema.KLACHTEN_TAB: klachten_table(ROWS), schema.INSTELLINGEN_TAB: instellingen},
        meeting=date(2026, 3, 2),
    )  # fmt: skip
    assert agenda.period.start == date(2026, 2, 2)
    assert "geen geheel getal" in render_agenda(agenda, "md")
