"""Complaint numbers: short, digits only, with a check digit, readable over the phone.

A Nummer looks like ``26-482-713``: the year, five random digits and a Damm
check digit. Digits only, because nothing looks or sounds alike among them;
the check digit catches every single misheard digit and every swap of two
neighbours. Random rather than sequential so that a form server, a queue and
the sync can each allocate one without asking a central counter; uniqueness
is guaranteed by checking against the numbers already known.
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Container
from datetime import date

# Damm's quasigroup of order 10 (H. M. Damm, 2004).
_DAMM = (
    (0, 3, 1, 7, 5, 9, 8, 6, 4, 2),
    (7, 0, 9, 2, 1, 5, 4, 8, 6, 3),
    (4, 2, 0, 6, 8, 7, 1, 3, 5, 9),
    (1, 7, 5, 0, 9, 8, 3, 4, 2, 6),
    (6, 1, 2, 3, 0, 4, 5, 9, 7, 8),
    (3, 6, 7, 4, 2, 0, 9, 5, 8, 1),
    (5, 8, 6, 9, 7, 2, 0, 1, 3, 4),
    (8, 9, 4, 5, 3, 6, 2, 0, 1, 7),
    (9, 4, 3, 8, 6, 1, 7, 2, 0, 5),
    (2, 5, 8, 1, 4, 3, 6, 7, 9, 0),
)

_PATTERN = re.compile(r"^(\d{2})-?(\d{3})-?(\d{3})$")


def check_digit(digits: str) -> int:
    """Return the Damm check digit of a string of digits."""
    interim = 0
    if digits.isascii():
        for code in digits.encode():  # ASCII digits as their codes: no int() per digit
            interim = _DAMM[interim][code - 48]
        return interim
    for char in digits:  # digits of other scripts, which \d and int() also accept
        interim = _DAMM[interim][int(char)]
    return interim


def new_nummer(existing: Container[str], today: date) -> str:
    """Return a Nummer that is not in ``existing``."""
    year = f"{today.year % 100:02d}"
    while True:
        body = f"{secrets.randbelow(100_000):05d}"
        digits = year + body
        candidate = f"{year}-{body[:3]}-{body[3:]}{check_digit(digits)}"
        if candidate not in existing:
            return candidate


def normalise(text: str) -> str | None:
    """Return a Nummer in its canonical form, or None when it is not a valid Nummer.

    People type ``26482713`` or ``26 482 713``; all mean ``26-482-713``.
    """
    compact = re.sub(r"[\s.]", "", text or "")
    m = _PATTERN.match(compact)
    if not m:
        return None
    digits = m[1] + m[2] + m[3]
    if check_digit(digits) != 0:
        return None
    return f"{m[1]}-{m[2]}-{m[3]}"


def is_valid(text: str) -> bool:
    """Tell whether text is a well-formed Nummer with a correct check digit."""
    # The same answer as normalise(text) == text, without its clean-up: only a Nummer in
    # its canonical form can equal its own normal form.
    return (
        _CANONICAL.fullmatch(text) is not None and check_digit(text[:2] + text[3:6] + text[7:]) == 0
    )


_CANONICAL = re.compile(r"\d{2}-\d{3}-\d{3}")
