"""Options that several commands share, defined once so they read and behave alike."""

from __future__ import annotations

from pathlib import Path

import click


def dry_run_option(
    help: str = "Proefdraai: laat alleen zien wat er zou gebeuren; verandert niets.",
):
    """--proefdraai (or --dry-run, --proef): show what would happen, change nothing."""
    return click.option("--proefdraai", "--dry-run", "--proef", "dry_run", is_flag=True, help=help)


FORMAT = click.Choice(["md", "html"])
format_option = click.option(
    "--formaat", type=FORMAT, help="Alleen Markdown (md) of alleen HTML (html); standaard allebei."
)
output_option = click.option(
    "--uitvoer",
    type=click.Path(path_type=Path, dir_okay=False, allow_dash=True),
    metavar="BESTAND",
    help="Schrijf naar dit bestand, of met - naar het scherm (standaarduitvoer); alleen "
    "samen met --formaat. Standaard: de map uitvoer naast het register, of de map uit "
    "[mappen] uitvoer in klachtsheet.toml.",
)


def formats_for(
    formaat: str | None, uitvoer: Path | None, default: tuple[str, ...]
) -> tuple[str, ...]:
    """Return the formats to write; --uitvoer names one file, so it needs --formaat."""
    if uitvoer is not None and formaat is None:
        raise click.UsageError("Geef bij --uitvoer ook --formaat md of --formaat html op.")
    return (formaat,) if formaat else default


def folder_option(help: str, default: Path | None = None):
    """--map: the folder a command writes into."""
    return click.option(
        "--map",
        "folder",
        type=click.Path(path_type=Path, file_okay=False),
        default=default,
        show_default=default is not None,
        help=help,
    )
