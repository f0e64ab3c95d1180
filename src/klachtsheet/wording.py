"""Small helpers for Dutch wording: a count with the right singular or plural."""

from __future__ import annotations

from collections.abc import Sequence


def count(number: int, singular: str, plural: str) -> str:
    """Return '1 melding' or '3 meldingen': never 'melding(en)'."""
    return f"{number} {singular if number == 1 else plural}"


def columns(headers: Sequence[str]) -> str:
    """Return 'kolom X' or 'kolommen X, Y' for a list of column names."""
    word = "kolom" if len(headers) == 1 else "kolommen"
    return f"{word} {', '.join(headers)}"
