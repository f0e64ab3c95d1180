"""Commands for the team-meeting agenda, the annual overview and the demo."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import click

from klachtsheet.cli import DATUM, Session, pass_session
from klachtsheet.model import now

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
    from klachtsheet.agenda import FORMATS, write_agenda

    if uitvoer is not None and formaat is None:
        raise click.UsageError("Geef bij --uitvoer ook --formaat md of --formaat html op.")
    meeting = vergadering or now().date()
    paths = write_agenda(
        session.config,
        session.register(),
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
    from klachtsheet.annual import FORMATS, write_annual

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


@click.command()
@click.option(
    "--map",
    "folder",
    type=click.Path(path_type=Path, file_okay=False),
    default=Path("klachtsheet-demo"),
    show_default=True,
    help="Map waarin de demo komt.",
)
def demo(folder: Path) -> None:
    """Probeer klachtsheet uit met een register vol verzonnen klachten.

    Maakt in de map een register met een jaar aan fictieve meldingen, voert de
    controle (sync) uit, zet bevestigingen in het postvak uit (er wordt niets
    verstuurd) en maakt het agendapunt voor het teamoverleg.
    """
    from klachtsheet.demo import run_demo

    click.echo(f"Demo maken in {folder} ...")
    result = run_demo(folder)
    click.echo("")
    click.echo(
        f"Klaar. {result.complaints} verzonnen meldingen, waarvan "
        f"{result.confidential} vertrouwelijk."
    )
    if result.synced and result.sync_note:
        click.echo(f"Controle (sync): {result.sync_note}.")
    click.echo("")
    click.echo("Kijk hier:")
    click.echo(f"  Register (open in LibreOffice of Excel): {result.register}")
    click.echo(f"  Vertrouwelijk register:                  {result.confidential_register}")
    if result.synced:
        click.echo(f"  Postvak uit (bevestigingen, niet verstuurd): {result.outbox}")
    else:
        click.echo(f"  Controle (sync) is overgeslagen: {result.sync_note}")
    for path in result.agenda:
        click.echo(f"  Agendapunt teamoverleg: {path}")
    click.echo("")
    click.echo("Het formulier starten (eerst een geheime sleutel voor de sessies zetten):")
    click.echo(
        '  export KLACHTSHEET_SECRET_KEY="$(python3 -c '
        "'import secrets; print(secrets.token_urlsafe(48))')\""
    )
    click.echo(f"  klachtsheet --config {result.config_file} serve")
    click.echo(
        "  en open http://127.0.0.1:8080 in de browser; "
        f"de toegangscode van de demo is: {result.access_code}"
    )
    click.echo("Andere opdrachten op dit register, bijvoorbeeld:")
    click.echo(f"  klachtsheet --config {result.config_file} agenda")
    click.echo(f"  klachtsheet --config {result.config_file} jaarverslag --jaar {result.year}")


commands: list[click.Command] = [agenda, jaarverslag, demo]
