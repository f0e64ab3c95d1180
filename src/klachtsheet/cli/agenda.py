"""Commands for the team-meeting agenda and the annual overview."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import click

from klachtsheet.cli import DATUM, Session, pass_session
from klachtsheet.model import now
from klachtsheet.sync.waiting import wait_until_closed

FORMAT = click.Choice(["md", "html"])
format_option = click.option(
    "--formaat", type=FORMAT, help="Alleen Markdown (md) of alleen HTML (html); standaard allebei."
)
output_option = click.option(
    "--uitvoer",
    type=click.Path(path_type=Path, dir_okay=False),
    metavar="BESTAND",
    help="Schrijf naar dit bestand (alleen samen met --formaat).",
)


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
    from klachtsheet.reports.agenda import FORMATS, write_agenda

    if uitvoer is not None and formaat is None:
        raise click.UsageError("Geef bij --uitvoer ook --formaat md of --formaat html op.")
    meeting = vergadering or now().date()
    register = session.register()
    # The tab Agenda is written too: wait while a person has the workbook open.
    wait_until_closed([register], session.config.open_wait, notify=_tell, what="het agendapunt")
    paths = write_agenda(
        session.config,
        register,
        meeting=meeting,
        since=sinds,
        formats=(formaat,) if formaat else FORMATS,
        target=uitvoer,
    )
    click.echo(f"Agendapunt klachten voor het overleg van {meeting:%d-%m-%Y}:")
    for path in paths:
        click.echo(f"  {path}")
    click.echo("Ook bijgewerkt: het tabblad Agenda in het register.")


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
    tevredenheid en wat er veranderd is. Die laatste tekst schrijft u zelf in het
    sjabloon jaarverslag/wat_we_veranderden.md in uw sjablonenmap.
    """
    from klachtsheet.reports.annual import FORMATS, write_annual

    if uitvoer is not None and formaat is None:
        raise click.UsageError("Geef bij --uitvoer ook --formaat md of --formaat html op.")
    paths = write_annual(
        session.config,
        session.register(),
        year=jaar,
        formats=(formaat,) if formaat else FORMATS,
        target=uitvoer,
    )
    click.echo(f"Klachtenjaarverslag {jaar}:")
    for path in paths:
        click.echo(f"  {path}")


commands: list[click.Command] = [agenda, jaarverslag]
