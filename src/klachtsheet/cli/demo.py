"""The demo command: a register full of fictional complaints to try everything on."""

from __future__ import annotations

from pathlib import Path

import click

from klachtsheet.cli.options import folder_option


@click.command()
@folder_option("Map waarin de demo komt.", default=Path("klachtsheet-demo"))
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
    if result.sync_note:
        click.echo(f"Controle (sync): {result.sync_note}.")
    click.echo("")
    click.echo("Kijk hier:")
    click.echo(f"  Register (open in LibreOffice of Excel): {result.register}")
    click.echo(f"  Vertrouwelijk register:                  {result.confidential_register}")
    click.echo(f"  Postvak uit (bevestigingen, niet verstuurd): {result.outbox}")
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


commands: list[click.Command] = [demo]
