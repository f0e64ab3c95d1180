"""Commands for the team-meeting agenda and the annual overview."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import click

from klachtsheet.cli import DATUM, Session, pass_session
from klachtsheet.cli.options import format_option, formats_for, output_option
from klachtsheet.model import now
from klachtsheet.sync.waiting import wait_until_closed


def _report(title: str, paths: list[Path], to_stdout: bool) -> None:
    # With --uitvoer - standard output holds the report alone; the rest goes to stderr.
    echo = click.echo if not to_stdout else (lambda text: click.echo(text, err=True))
    if paths:
        echo(title)
        for path in paths:
            echo(f"  {path}")


def _tell(message: str) -> None:
    click.echo(message, err=True)


@click.command()
@click.option(
    "--vergadering",
    type=DATUM,
    metavar="DATUM",
    help="Datum van het teamoverleg (standaard vandaag).",
)
@click.option(
    "--sinds",
    type=DATUM,
    metavar="DATUM",
    help="Begin van de periode: het vorige overleg (standaard de vergaderdatum min "
    "de agendaperiode uit het tabblad Instellingen).",
)
@format_option
@output_option
@pass_session
def agenda(
    session: Session,
    vergadering: date | None,
    sinds: date | None,
    formaat: str | None,
    uitvoer: Path | None,
) -> None:
    """Maak het agendapunt klachten voor het teamoverleg.

    Telt de meldingen sinds het vorige overleg per categorie en locatie, vergelijkt
    ze met de perioden daarvoor, en noemt open klachten, klachten over de termijn
    en bespreekpunten. Schrijft Markdown (voor de notulen), HTML (om te printen of
    te mailen) en het tabblad Agenda.
    """
    register = session.register()
    # The workbook is read on the second core while the reports' code is imported.
    from klachtsheet.register import prefetch
    from klachtsheet.reports import AGENDA_BLOCKS_TAB, AGENDA_TABS

    prefetch(register, AGENDA_TABS, AGENDA_BLOCKS_TAB)
    from klachtsheet.reports.agenda import FORMATS, STDOUT, write_agenda

    formats = formats_for(formaat, uitvoer, FORMATS)
    meeting = vergadering or now().date()
    # The tab Agenda is written too: wait while a person has the workbook open.
    wait_until_closed([register], session.config.open_wait, notify=_tell, what="het agendapunt")
    paths = write_agenda(
        session.config,
        register,
        meeting=meeting,
        since=sinds,
        formats=formats,
        target=uitvoer,
    )
    to_stdout = uitvoer == STDOUT
    _report(f"Agendapunt klachten voor het overleg van {meeting:%d-%m-%Y}:", paths, to_stdout)
    click.echo("Ook bijgewerkt: het tabblad Agenda in het register.", err=to_stdout)
    _to_manager(session, paths, meeting, to_stdout)


def _to_manager(session: Session, paths, meeting: date, to_stdout: bool) -> None:
    """The klachtmanager (Instellingen) gets every agenda."""
    from klachtsheet import schema
    from klachtsheet.messages.agenda_mail import mail_agenda
    from klachtsheet.model import settings

    values = settings(
        session.register().read([schema.INSTELLINGEN_TAB]).get(schema.INSTELLINGEN_TAB)
    )
    target, note = mail_agenda(session.config, values, paths, meeting)
    if target is not None:
        click.echo(f"Voor de klachtmanager: {target}", err=to_stdout)
    if note:
        click.echo(note, err=to_stdout)


@click.command()
@click.option(
    "--jaar",
    type=click.IntRange(1901, 9999),
    required=True,
    metavar="JJJJ",
    help="Het kalenderjaar, bijvoorbeeld 2026.",
)
@format_option
@output_option
@pass_session
def jaarverslag(session: Session, jaar: int, formaat: str | None, uitvoer: Path | None) -> None:
    """Maak het klachtenjaarverslag, zonder persoonsgegevens.

    Aantallen per categorie, doorlooptijden, aandeel binnen de termijn,
    tevredenheid en wat er veranderd is. Een jaar waarin het register niet alle
    maanden in gebruik was, wordt per maand vergeleken. De tekst 'Wat we
    veranderden' schrijft u zelf in het sjabloon jaarverslag/wat_we_veranderden.md
    in uw sjablonenmap.
    """
    from klachtsheet.reports.agenda import STDOUT
    from klachtsheet.reports.annual import FORMATS, write_annual
    from klachtsheet.reports.annual import has_changes as annual_changes

    formats = formats_for(formaat, uitvoer, FORMATS)
    paths = write_annual(
        session.config,
        session.register(),
        year=jaar,
        formats=formats,
        target=uitvoer,
    )
    _report(f"Klachtenjaarverslag {jaar}:", paths, uitvoer == STDOUT)
    if not annual_changes(session.config, jaar):
        click.echo(
            "Let op: de paragraaf 'Wat we veranderden' ontbreekt nog. Schrijf die in "
            "jaarverslag/wat_we_veranderden.md in uw sjablonenmap ([mappen] sjablonen).",
            err=True,
        )


commands: list[click.Command] = [agenda, jaarverslag]
