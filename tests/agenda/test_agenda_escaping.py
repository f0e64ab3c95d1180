"""Whatever people type as a category or location reaches the HTML as text, never as markup."""

from __future__ import annotations

from datetime import date

from hypothesis import given, settings
from hypothesis import strategies as st

from klachtsheet import schema
from klachtsheet.reports.agenda import (
    agenda_environment,
    build_agenda,
    for_format,
    render_agenda,
    tab_rows,
)
from klachtsheet.reports.annual import build_annual, render_annual

from .conftest import klachten_table

typed = st.text(
    alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"),
    max_size=40,
)


@settings(max_examples=40, deadline=None)
@given(category=typed, location=typed)
def test_typed_values_are_escaped_everywhere(category, location):
    # A marker that no template contains, so finding it means the value was not escaped.
    category, location = "<zzk" + category, "<zzl" + location
    rows = [
        {"nummer": f"X-{i}", "ontvangen_op": day, "categorie": category, "locatie": location,
         "soort": "Klacht", "antwoord_uiterlijk": "20-02-2026", "status": "In behandeling"}
        for i, day in enumerate(["10-01-2026", "10-02-2026", "11-02-2026", "12-02-2026"])
    ]  # fmt: skip
    tables = {schema.KLACHTEN_TAB: klachten_table(rows)}
    agenda = build_agenda(tables, meeting=date(2026, 3, 2), since=date(2026, 2, 2))
    html = render_agenda(agenda, "html")
    assert "<zzk" not in html and "<zzl" not in html
    assert "&lt;zzk" in html
    render_agenda(agenda, "md")
    tab_rows(agenda)
    annual = render_annual(build_annual(tables, year=2026, today=date(2026, 3, 2)), "html")
    assert "<zzk" not in annual  # unknown categories are never named in the annual report


def test_one_environment_for_every_format_still_escapes_the_html():
    # The formats share one environment's overlays (compiled macros are reused); the HTML
    # one must stay the escaping one whichever format was rendered first.
    env = agenda_environment()
    rows = [
        {"nummer": f"X-{i}", "ontvangen_op": "10-02-2026", "categorie": "<zzk>", "locatie": "A",
         "soort": "Klacht", "antwoord_uiterlijk": "20-02-2026", "status": "In behandeling"}
        for i in range(3)
    ]  # fmt: skip
    agenda = build_agenda(
        {schema.KLACHTEN_TAB: klachten_table(rows)},
        meeting=date(2026, 3, 2),
        since=date(2026, 2, 2),
    )
    render_agenda(agenda, "md", env)
    tab_rows(agenda, env)
    html = render_agenda(agenda, "html", env)
    assert "<zzk" not in html and "&lt;zzk" in html
    assert for_format(env, "md") is for_format(env, "txt")
    assert for_format(env, "html") is not for_format(env, "md")
    assert for_format(env, "html").autoescape is True


def test_templates_compiled_ahead_are_the_ones_rendered_and_still_escape(monkeypatch):
    # The agenda compiles its templates while the register is read (compile_ahead):
    # rendering then loads nothing, and the HTML overlay is still the escaping one.
    from klachtsheet.reports.agenda_render import compile_ahead

    env = agenda_environment()
    compile_ahead(env, ["html", "md", "txt"])
    rows = [{"nummer": "X-1", "ontvangen_op": "10-02-2026", "categorie": "<zzk>", "locatie": "A",
             "soort": "Klacht", "status": "In behandeling"}]  # fmt: skip
    agenda = build_agenda(
        {schema.KLACHTEN_TAB: klachten_table(rows)},
        meeting=date(2026, 3, 2),
        since=date(2026, 2, 2),
    )

    def no_more_loading(*args):
        raise AssertionError("a template was compiled after compile_ahead")

    monkeypatch.setattr(env.loader, "load", no_more_loading)  # shared by the overlays
    assert "&lt;zzk&gt;" in render_agenda(agenda, "html", env)
    assert "<zzk>" not in render_agenda(agenda, "html", env)
    render_agenda(agenda, "md", env)
    tab_rows(agenda, env)


def test_a_broken_template_of_the_organisation_is_reported_in_dutch(tmp_path):
    import pytest

    from klachtsheet.config import Config
    from klachtsheet.exceptions import TemplateError
    from klachtsheet.register.local import LocalRegister
    from klachtsheet.reports.agenda_write import write_agenda

    (tmp_path / "sjablonen" / "agenda").mkdir(parents=True)
    (tmp_path / "sjablonen" / "agenda" / "agenda.md").write_text("{% if %}\n", encoding="utf-8")
    register = LocalRegister(tmp_path / "r.xlsx")
    register.ensure_layout()
    config = Config(register=str(register.path), output_dir=tmp_path / "uit",
                    templates_dir=tmp_path / "sjablonen")  # fmt: skip
    with pytest.raises(TemplateError, match=r"Sjabloon '.*agenda\.md' regel 1: "):
        write_agenda(config, register, meeting=date(2026, 3, 2), formats=["md"])
