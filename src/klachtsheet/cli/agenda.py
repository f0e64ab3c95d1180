"""Commands of this area (filled in by its issue)."""

import click

commands: list[click.Command] = []
