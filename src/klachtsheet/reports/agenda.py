"""The complaints section of the team-meeting agenda (step 6 of the procedure).

The parts: ``agenda_figures`` (pure: tables in, a frozen Agenda out), ``trend`` (counts
per period and the test of a real change), ``agenda_points`` (discussion points),
``agenda_chart`` (picture geometry), ``agenda_render`` (Markdown, HTML, tab lines) and
``agenda_write`` (files, standard output, the Agenda tab). This module gathers their
public names, so callers import from one place.
"""

from __future__ import annotations

from klachtsheet.reports.agenda_chart import MAX_CHART_BARS, Bar, Chart, Spark, chart
from klachtsheet.reports.agenda_figures import (
    READ_TABS,
    Agenda,
    Overdue,
    Proposal,
    Workload,
    agenda_period,
    build_agenda,
)
from klachtsheet.reports.agenda_points import Point, discussion_points
from klachtsheet.reports.agenda_render import (
    FORMATS,
    MAX_OVERDUE_LISTED,
    agenda_environment,
    for_format,
    md_cell,
    render_agenda,
    tab_rows,
)
from klachtsheet.reports.agenda_write import (
    STDOUT,
    agenda_filename,
    output_folder,
    write_agenda,
    write_text,
)

__all__ = [
    "FORMATS", "MAX_CHART_BARS", "MAX_OVERDUE_LISTED", "READ_TABS", "STDOUT", "Agenda", "Bar",
    "Chart", "Overdue", "Point", "Proposal", "Spark", "Workload", "agenda_environment",
    "agenda_filename", "agenda_period", "build_agenda", "chart", "discussion_points",
    "for_format", "md_cell", "output_folder", "render_agenda", "tab_rows", "write_agenda",
    "write_text",
]  # fmt: skip
