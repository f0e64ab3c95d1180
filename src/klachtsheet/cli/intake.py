"""Commands of the intake: the form server, the phone-list import and access codes."""

from __future__ import annotations

import logging
from pathlib import Path

import click

from klachtsheet.cli import Fout, Session, pass_session
from klachtsheet.exceptions import ConfigError
from klachtsheet.wording import count

MIN_CODE_LENGTH = 8


@click.command()
@click.option(
    "--adres",
    "host",
    metavar="ADRES",
    help="Luister op dit adres (standaard uit klachtsheet.toml, anders 127.0.0.1).",
)
@click.option(
    "--poort",
    "port",
    type=click.IntRange(1, 65535),
    help="Luister op deze poort (standaard uit klachtsheet.toml, anders 8080).",
)
@click.option(
    "--threads",
    type=click.IntRange(1, 64),
    default=8,
    show_default=True,
    help="Aantal verzoeken dat tegelijk wordt behandeld.",
)
@pass_session
def serve(session: Session, host: str | None, port: int | None, threads: int) -> None:
    """Start het webformulier.

    Het formulier draait tot u op Ctrl+C drukt. Stel eerst een geheime sleutel
    (KLACHTSHEET_SECRET_KEY) en per formulier een toegangscode in; zie docs/formulier.md.
    """
    from klachtsheet.web import create_app
    from klachtsheet.web.server import make_server

    config = session.config
    host = host or config.server.host
    port = port or config.server.port
    # Waitress logs no request lines; keep its own messages short and free of form values.
    logging.getLogger("waitress").setLevel(logging.WARNING)
    app = create_app(config)
    try:
        # Bind first: a port in use is one Dutch line, before any banner.
        server = make_server(app, host, port, threads)
    except ConfigError as error:
        app.extensions["klachtsheet"].writer.stop()
        raise Fout(str(error)) from None
    click.echo(f"Formulier bereikbaar op http://{host}:{port}/  (stoppen: Ctrl+C)")
    try:
        server.run()
    except KeyboardInterrupt:
        click.echo("Formulier gestopt.")
    finally:
        server.close()
        app.extensions["klachtsheet"].writer.stop()


@click.command("import")
@click.argument("bestand", type=click.Path(path_type=Path, dir_okay=False, exists=True))
@click.option(
    "--formulier",
    default="telefoondienst",
    show_default=True,
    help="Formulier waarvan de regels en controles gelden.",
)
@pass_session
def import_(session: Session, bestand: Path, formulier: str) -> None:
    """Lees de dagelijkse telefoonlijst in (CSV of xlsx).

    De eerste regel bevat de kolomnamen zoals in het register (Deelnemer,
    Omschrijving, ...). Elke regel wordt gecontroleerd zoals in het formulier.
    Is één regel fout, dan wordt niets ingelezen en ziet u per regel wat er mis
    is. Hetzelfde bestand twee keer inlezen voegt niets dubbel toe.
    """
    from klachtsheet.intake.desk import WRITTEN, IntakeDesk
    from klachtsheet.intake.phonelist import import_phone_list

    desk = IntakeDesk(session.config)
    result = import_phone_list(bestand, desk, formulier)
    if not result.ok:
        click.echo(
            f"Niets ingelezen: {len(result.rejected)} van de {result.lines} regels "
            "zijn niet goed. Verbeter het bestand en lees het opnieuw in.",
            err=True,
        )
        for rejected in result.rejected:
            click.echo(f"- {rejected}", err=True)
        raise click.exceptions.Exit(1)
    for note in result.notes:
        click.echo(f"Let op: {note}", err=True)
    new = [r for r in result.receipts if r.created]
    skipped = result.skipped()
    click.echo(
        f"{len(result.receipts)} regels gelezen, {len(new)} nieuw ingevoerd, "
        f"{len(skipped)} overgeslagen (al eerder ingelezen):"
    )
    for line, receipt in zip(result.line_numbers, result.receipts, strict=False):
        note = "" if receipt.created else " overgeslagen: was al eerder ingelezen"
        click.echo(f"  regel {line}: {receipt.nummer}{note}")
    waiting = [r for r in result.receipts if r.state != WRITTEN]
    if waiting:
        click.echo(
            f"Let op: {count(len(waiting), 'melding staat', 'meldingen staan')} veilig in de "
            "wachtrij omdat het register "
            "nu niet beschikbaar is; ze worden bij de volgende dagelijkse controle ('klachtsheet sync') of door het "
            "formulier alsnog ingevoerd."
        )


@click.command()
@click.argument("formulier")
@click.option(
    "--code",
    prompt="Nieuwe toegangscode",
    hide_input=True,
    confirmation_prompt="Herhaal de toegangscode",
    help="De code (zonder deze optie wordt erom gevraagd, zonder dat hij te zien is).",
)
def toegangscode(formulier: str, code: str) -> None:
    """Maak de versleutelde toegangscode voor een formulier.

    Zet de regel die verschijnt in klachtsheet.toml onder [server.toegangscodes].
    De code zelf wordt nergens bewaard.
    """
    from werkzeug.security import generate_password_hash

    if len(code) < MIN_CODE_LENGTH:
        raise click.BadParameter(
            f"de code moet minstens {MIN_CODE_LENGTH} tekens hebben", param_hint="'--code'"
        )
    hashed = generate_password_hash(code)
    click.echo("Zet dit in klachtsheet.toml:\n")
    click.echo("[server.toegangscodes]")
    click.echo(f'{formulier} = "{hashed}"')


commands: list[click.Command] = [serve, import_, toegangscode]
