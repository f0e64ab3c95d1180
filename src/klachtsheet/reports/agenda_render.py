"""Rendering the agenda: Markdown for the minutes, HTML for screen and paper, the tab's lines.

HTML is autoescaped (the environment escapes .html templates, and ``for_format``
escapes shared macros by the output format), so a value typed as '<script>' in the
register reaches the page as text.
"""

from __future__ import annotations

import contextlib
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import jinja2

from klachtsheet.config import is_google
from klachtsheet.exceptions import KlachtsheetError
from klachtsheet.messages.texts import CompiledTemplates, environment, render
from klachtsheet.reports.agenda_chart import blocks, chart, spark

if TYPE_CHECKING:
    from klachtsheet.config import Config
    from klachtsheet.reports.agenda_figures import Agenda

FORMATS = ("md", "html")
# The agenda lists at most this many overdue complaints; the rest are counted.
MAX_OVERDUE_LISTED = 40
# On paper, fewer: the register has the rest (the screen version lists MAX_OVERDUE_LISTED).
MAX_OVERDUE_PRINTED = 12

# The template of each output ("txt": the Agenda tab), and what the shipped ones import.
TEMPLATES = {"md": "agenda/agenda.md", "html": "agenda/agenda.html", "txt": "agenda/tabblad.txt"}
IMPORTED = {
    "md": ("agenda/_teksten.j2",),
    "html": ("agenda/_teksten.j2", "agenda/_svg.j2", "gedeeld/rapport.css"),
    "txt": ("agenda/_teksten.j2",),
}

OUTPUT_FOLDER = "uitvoer"


def output_folder(config: Config) -> Path:
    """Return where reports go: the configured folder, else 'uitvoer' beside the register.

    A Google register has no folder of its own; then the configured (or default) folder
    is used, which lies beside the configuration file or in the current folder.
    """
    if config.output_dir_set or is_google(config.register):
        return Path(config.output_dir)
    return Path(config.register).expanduser().absolute().parent / OUTPUT_FOLDER


_MD_ESCAPES = str.maketrans({"|": "\\|", "<": "\\<", ">": "\\>", "\\": "\\\\"})


def md_cell(value: object) -> str:
    """Make a value safe in a Markdown table cell or list item: no pipes, tags or line breaks."""
    return " ".join(str(value).split()).translate(_MD_ESCAPES)


def agenda_environment(config: Config | None = None) -> jinja2.Environment:
    """Return the template environment with the agenda's own filters."""
    # Kept where the reports go (beside the register, see output_folder).
    compiled = CompiledTemplates(output_folder(config), "agenda") if config else None
    env = environment(config.templates_dir if config else None, compiled)
    env.filters["md"] = md_cell
    env.filters["blokjes"] = blocks
    env.filters["lijn"] = spark
    return env


def for_format(env: jinja2.Environment, fmt: str) -> jinja2.Environment:
    """Return the environment escaping for one output format.

    Shared macros (agenda/_teksten.j2) are imported by HTML and text templates alike;
    escaping must follow the output, not the macro file's name, or a category typed
    as '<script>' would reach the HTML unescaped.

    One overlay per escaping, kept on the environment: the Markdown and the tab's text then
    share their compiled macros (agenda/_teksten.j2 takes 50 ms to compile).
    """
    autoescape = fmt == "html"
    env.extend(klachtsheet_overlays={})  # only when not there yet; overlays share it
    overlays: dict[tuple[int, bool], jinja2.Environment] = env.klachtsheet_overlays  # type: ignore[attr-defined]
    key = (id(env), autoescape)  # every env named here lives as long as the mapping
    if key not in overlays:
        compiled = env.bytecode_cache
        if isinstance(compiled, CompiledTemplates):  # compiled code differs by escaping
            compiled = compiled.escaping(autoescape)
        overlays[key] = env.overlay(autoescape=autoescape, bytecode_cache=compiled)
    return overlays[key]


def render_agenda(agenda: Agenda, fmt: str, env: jinja2.Environment | None = None) -> str:
    """Render the agenda as Markdown ('md') or HTML ('html')."""
    if fmt not in FORMATS:
        raise KlachtsheetError(f"Onbekend formaat '{fmt}'; kies md of html")
    env = for_format(env or agenda_environment(), fmt)
    return render(
        env, TEMPLATES[fmt], agenda=agenda, chart=chart(agenda), max_listed=MAX_OVERDUE_LISTED,
        max_printed=MAX_OVERDUE_PRINTED,
    )  # fmt: skip


def tab_rows(agenda: Agenda, env: jinja2.Environment | None = None) -> list[list[str]]:
    """Return the Agenda tab's rows: one line of text per row."""
    env = for_format(env or agenda_environment(), "txt")
    text = render(env, TEMPLATES["txt"], agenda=agenda, max_listed=MAX_OVERDUE_LISTED)
    lines = [line.rstrip() for line in text.splitlines()]
    while lines and not lines[-1]:
        lines.pop()
    return [[line] for line in lines]


def compile_ahead(env: jinja2.Environment, outputs: Sequence[str]) -> None:
    """Compile the templates of these outputs now, while the register is still being read.

    The register is parsed in the background (``readahead``) and compiling takes a fifth
    of a second: done first, it costs nothing. A template that fails is left to
    ``render``, which reports it in Dutch.
    """
    for output in outputs:
        overlay = for_format(env, output)
        for name in (TEMPLATES[output], *IMPORTED[output]):
            with contextlib.suppress(jinja2.TemplateError):
                overlay.get_template(name)
