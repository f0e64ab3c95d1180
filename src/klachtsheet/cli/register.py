"""Commands that create and check the register."""

from __future__ import annotations

from pathlib import Path

import click

from klachtsheet import schema
from klachtsheet.cli import Session, pass_session
from klachtsheet.exceptions import FormDefinitionError


@click.command()
@click.option(
    "--zonder-vertrouwelijk", is_flag=True, help="Maak het aparte vertrouwelijke register niet aan."
)
@pass_session
def init(session: Session, zonder_vertrouwelijk: bool) -> None:
    """Maak het register aan, of vul een bestaand register aan.

    Voegt ontbrekende tabbladen, kolommen en instellingen toe en verandert niets
    anders. Veilig om vaker uit te voeren.
    """
    register = session.register()
    changes = register.ensure_layout(schema.TABS)
    _report(register.location, changes)
    if not zonder_vertrouwelijk:
        confidential = session.confidential_register()
        _report(confidential.location, confidential.ensure_layout(schema.CONFIDENTIAL_TABS))


def _report(location: str, changes: list[str]) -> None:
    if not changes:
        click.echo(f"{location}: alles is al aanwezig, niets veranderd.")
        return
    click.echo(f"{location}:")
    for change in changes:
        click.echo(f"  - {change}")


@click.command()
@pass_session
def check(session: Session) -> None:
    """Controleer configuratie, formulieren en de indeling van de registers.

    Elk probleem staat op één regel, met wat eraan te doen is.
    """
    from klachtsheet.intake import load_forms
    from klachtsheet.register.layout import layout_problems

    config = session.config
    click.echo(f"Configuratie: {config.source or 'geen bestand, standaardwaarden'}")
    problems = []
    try:
        forms = load_forms(config.forms_dir)
        click.echo(f"Formulieren: {', '.join(sorted(forms))}")
    except FormDefinitionError as error:
        problems.append(str(error))
    register = session.register()
    tables = register.read([tab.name for tab in schema.TABS])
    problems += layout_problems(tables)
    confidential = session.existing_confidential_register()
    if confidential is not None:
        secret = confidential.read([tab.name for tab in schema.CONFIDENTIAL_TABS])
        problems += [
            f"Vertrouwelijk register: {p}"
            for p in layout_problems(secret, schema.CONFIDENTIAL_TABS)
        ]
    if problems:
        for problem in problems:
            click.echo(f"- {problem}")
        raise click.exceptions.Exit(1)
    click.echo(f"Register {register.location}: in orde.")


@click.command("teksten-kopieren")
@click.option(
    "--map",
    "folder",
    type=click.Path(path_type=Path, file_okay=False),
    default=Path("."),
    show_default=True,
    help="Map waarin de submappen sjablonen en formulieren komen.",
)
def copy_texts(folder: Path) -> None:
    """Kopieer brieven, e-mails, agenda en formulieren om ze zelf aan te passen.

    Zet ze in FOLDER/sjablonen en FOLDER/formulieren. Bestanden die er al staan
    blijven ongemoeid, dus uw eigen teksten gaan nooit verloren. Zet daarna de
    mappen in klachtsheet.toml (onderdeel [mappen]); uw versie gaat dan voor.
    """
    from klachtsheet.files import copy_tree_missing
    from klachtsheet.intake import packaged_forms_dir
    from klachtsheet.messages.texts import packaged_templates_dir

    templates = copy_tree_missing(packaged_templates_dir(), folder / "sjablonen")
    forms = copy_tree_missing(packaged_forms_dir(), folder / "formulieren")
    click.echo(f"{len(templates)} sjablonen en {len(forms)} formulierbestanden gekopieerd.")
    click.echo("Zet dit in klachtsheet.toml (paden vanaf de map van dat bestand):")
    click.echo("  [mappen]")
    click.echo(f'  sjablonen = "{(folder / "sjablonen").as_posix()}"')
    click.echo(f'  formulieren = "{(folder / "formulieren").as_posix()}"')


commands = [init, check, copy_texts]
