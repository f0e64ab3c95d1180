"""Commands that create and check the register."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import click

from klachtsheet import schema
from klachtsheet.cli import Session, pass_session
from klachtsheet.cli.options import folder_option
from klachtsheet.exceptions import FormDefinitionError, LayoutError


@click.command()
@click.option(
    "--zonder-vertrouwelijk", is_flag=True, help="Maak het aparte vertrouwelijke register niet aan."
)
@pass_session
def init(session: Session, zonder_vertrouwelijk: bool) -> None:
    """Maak het register aan, of vul een bestaand register aan.

    Voegt ontbrekende tabbladen, kolommen en instellingen toe en legt de opmaak
    aan: filterknoppen, vaste kopregel en kolom Nummer, breedtes, uitleg bij elke
    kolom, datumopmaak en de kleur voor te late klachten; bij Google Sheets ook de
    landinstelling Nederland en tijdzone Europe/Amsterdam. Gegevens blijven zoals
    ze zijn. Veilig om vaker uit te voeren.
    """
    register = session.register()
    changes = register.ensure_layout(schema.TABS)
    _report(register.location, changes, getattr(register, "layout_warnings", []))
    if not zonder_vertrouwelijk:
        confidential = session.confidential_register()
        changes = confidential.ensure_layout(schema.CONFIDENTIAL_TABS)
        _report(confidential.location, changes, getattr(confidential, "layout_warnings", []))


def _report(location: str, changes: list[str], warnings: Sequence[str] = ()) -> None:
    if not changes and not warnings:
        click.echo(f"{location}: alles is al aanwezig, niets veranderd.")
        return
    click.echo(f"{location}:")
    for change in changes:
        click.echo(f"  - {change}")
    for warning in warnings:
        click.echo(f"  - Let op: {warning}")


@click.command()
@pass_session
def check(session: Session) -> None:
    """Controleer configuratie, formulieren en de indeling van de registers.

    Elk probleem staat op één regel, met wat eraan te doen is.
    """
    from klachtsheet.intake import load_forms
    from klachtsheet.register.layout import layout_problems
    from klachtsheet.rules.setup import empty_list_warnings, example_warnings, setup_problems

    config = session.config
    click.echo(f"Configuratie: {config.source or 'geen bestand, standaardwaarden'}")
    problems = []
    try:
        forms = load_forms(config.forms_dir)
        click.echo(f"Formulieren: {', '.join(sorted(forms))}")
    except FormDefinitionError as error:
        problems.append(str(error))
    register = session.register()
    try:
        tables = register.read([tab.name for tab in schema.TABS])
    except LayoutError as error:  # e.g. a deleted header row: say it, check the rest
        problems.append(str(error))
        tables = {}
    problems += layout_problems(tables) if tables else []
    problems += setup_problems(tables) if tables else []
    warnings = example_warnings(tables) + (empty_list_warnings(tables) if tables else [])
    for warning in warnings:
        click.echo(f"Let op: {warning}")
    confidential = session.existing_confidential_register()
    if confidential is not None:
        try:
            secret = confidential.read([tab.name for tab in schema.CONFIDENTIAL_TABS])
            problems += [
                f"Vertrouwelijk register: {p}"
                for p in layout_problems(secret, schema.CONFIDENTIAL_TABS)
            ]
        except LayoutError as error:
            problems.append(f"Vertrouwelijk register: {error}")
    # A Google spreadsheet in another locale reads typed dates differently: a warning.
    probe = getattr(register, "spreadsheet_problems", None)
    for warning in probe() if callable(probe) else []:
        click.echo(f"Let op: {warning}")
    if problems:
        for problem in problems:
            click.echo(f"- {problem}")
        raise click.exceptions.Exit(1)
    click.echo(f"Register {register.location}: in orde.")


@click.command("teksten-kopieren")
@folder_option("Map waarin de submappen sjablonen en formulieren komen.", default=Path("."))
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
