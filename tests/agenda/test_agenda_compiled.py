"""Templates compiled by one run are taken by the next, only while their text is unchanged."""

from __future__ import annotations

import logging
from dataclasses import replace
from datetime import date

import jinja2
import pytest

from klachtsheet import schema
from klachtsheet.config import STATE_FOLDER, load_config
from klachtsheet.messages.texts import COMPILED_FOLDER, CompiledTemplates
from klachtsheet.reports.agenda import (
    agenda_environment,
    build_agenda,
    output_folder,
    render_agenda,
    tab_rows,
)

from .conftest import klachten_table


@pytest.fixture
def config(tmp_path):
    (tmp_path / "sjablonen" / "agenda").mkdir(parents=True)
    (tmp_path / "uitvoer").mkdir()  # where the agenda goes: beside the register
    found = load_config(None, register=str(tmp_path / "register.xlsx"), cwd=tmp_path)
    return replace(found, templates_dir=tmp_path / "sjablonen")


def compiled_folder(config):
    return output_folder(config) / STATE_FOLDER / COMPILED_FOLDER


def agenda_with(category: str):
    rows = [
        {"nummer": f"X-{i}", "ontvangen_op": "10-02-2026", "categorie": category, "locatie": "A",
         "soort": "Klacht", "antwoord_uiterlijk": "20-02-2026", "status": "In behandeling"}
        for i in range(3)
    ]  # fmt: skip
    tables = {schema.KLACHTEN_TAB: klachten_table(rows)}
    return build_agenda(tables, meeting=date(2026, 3, 2), since=date(2026, 2, 2))


def never_compiling(monkeypatch):
    def compile_again(*args, **kwargs):
        raise AssertionError("compiled although an earlier run kept it")

    monkeypatch.setattr(jinja2.Environment, "compile", compile_again)


def test_a_later_run_renders_from_the_compiled_templates_exactly_as_before(config, monkeypatch):
    agenda = agenda_with("Vervoer")
    first = (render_agenda(agenda, "md", agenda_environment(config)),
             render_agenda(agenda, "html", agenda_environment(config)),
             tab_rows(agenda, agenda_environment(config)))  # fmt: skip
    kept = list(compiled_folder(config).iterdir())
    assert kept and all(path.stat().st_mode & 0o077 == 0 for path in kept)

    never_compiling(monkeypatch)
    again = (render_agenda(agenda, "md", agenda_environment(config)),
             render_agenda(agenda, "html", agenda_environment(config)),
             tab_rows(agenda, agenda_environment(config)))  # fmt: skip
    assert again == first


def test_the_text_version_compiled_first_never_serves_the_html(config):
    # The same macro file is compiled without escaping for the Markdown and with it for
    # the HTML: the HTML of a later run still escapes what people typed.
    agenda = agenda_with("<zzk>")
    markdown = render_agenda(agenda, "md", agenda_environment(config))
    assert "\\<zzk\\>" in markdown and "&lt;" not in markdown  # Markdown's own escaping
    html = render_agenda(agenda, "html", agenda_environment(config))
    assert "<zzk" not in html and "&lt;zzk&gt;" in html
    again = render_agenda(agenda, "html", agenda_environment(config))
    assert "<zzk" not in again and "&lt;zzk&gt;" in again


def test_an_edited_template_is_compiled_afresh(config):
    own = config.templates_dir / "agenda" / "tabblad.txt"
    own.write_text("Eerste versie: {{ agenda.received }}\n", encoding="utf-8")
    agenda = agenda_with("Vervoer")
    assert tab_rows(agenda, agenda_environment(config)) == [["Eerste versie: 3"]]
    own.write_text("Tweede versie: {{ agenda.received }}\n", encoding="utf-8")
    assert tab_rows(agenda, agenda_environment(config)) == [["Tweede versie: 3"]]


def test_a_folder_that_cannot_be_written_only_means_compiling_again(config, caplog):
    compiled_folder(config).parent.mkdir(parents=True)
    compiled_folder(config).write_text("geen map")  # in the folder's way
    agenda = agenda_with("Vervoer")
    with caplog.at_level(logging.WARNING):
        text = render_agenda(agenda, "md", agenda_environment(config))
    assert "Vervoer" in text
    assert "compiled template not kept" in caplog.text


def test_a_damaged_compiled_file_is_compiled_afresh(config):
    agenda = agenda_with("Vervoer")
    first = render_agenda(agenda, "md", agenda_environment(config))
    for path in compiled_folder(config).iterdir():
        path.write_bytes(path.read_bytes()[:40])
    assert render_agenda(agenda, "md", agenda_environment(config)) == first


def test_an_agenda_to_standard_output_makes_no_folder(tmp_path, config):
    (tmp_path / "uitvoer").rmdir()
    render_agenda(agenda_with("Vervoer"), "md", agenda_environment(config))
    assert not (tmp_path / "uitvoer").exists()


def test_other_syntax_settings_never_take_each_others_compiled_code(tmp_path):
    (tmp_path / "sjablonen").mkdir()
    (tmp_path / "sjablonen" / "proef.txt").write_text("{% if true %}\nja\n{% endif %}\n")

    def render(trim_blocks: bool) -> str:
        env = jinja2.Environment(
            loader=jinja2.FileSystemLoader(tmp_path / "sjablonen"),
            autoescape=True,
            trim_blocks=trim_blocks,
        )
        env.bytecode_cache = CompiledTemplates(tmp_path, "proef").for_environment(env)
        return env.get_template("proef.txt").render()

    assert render(True) == "ja\n"
    assert render(False) == "\nja\n"
    assert render(True) == "ja\n"
    assert len(list((tmp_path / STATE_FOLDER / COMPILED_FOLDER).iterdir())) == 2
