"""How a participant is recognised across rows: participant number, phone number, full name.

Exact matches only (after normalising), so a search never shows someone else.
"""

from __future__ import annotations

import re
from functools import lru_cache

from klachtsheet.categories import normalise

MIN_NUMBER_LENGTH = 3
# Dutch phone numbers have ten digits; fewer typed digits never match anyone.
MIN_PHONE_DIGITS = 9
TITLES = frozenset(
    ("mevrouw", "mevr", "mw", "mvr", "meneer", "mnr", "dhr", "de", "heer", "mr", "dr", "ir",
     "ing", "drs", "familie", "fam")
)  # fmt: skip


@lru_cache(maxsize=65536)
def number_key(text: str) -> str:
    """Return a participant number as compared: letters and digits only, no case."""
    key = re.sub(r"[^0-9a-z]", "", normalise(text))
    return key if len(key) >= MIN_NUMBER_LENGTH else ""


_NOT_DIGITS = re.compile(r"\D")


@lru_cache(maxsize=65536)
def phone_key(text: str) -> str:
    """Return a phone number as compared: digits only, +31 or 0031 read as a leading 0."""
    text = text or ""
    # Digits only, as most are typed: nothing to take out (isdecimal is exactly \d).
    digits = text if text.isdecimal() else _NOT_DIGITS.sub("", text)
    if text.strip().startswith("+"):
        digits = "00" + digits
    if digits.startswith("0031"):
        digits = "0" + digits[4:]
    return digits if len(digits) >= MIN_PHONE_DIGITS else ""


@lru_cache(maxsize=65536)
def name_key(text: str) -> str:
    """Return a name as compared, without titles; empty unless at least two words remain."""
    words = [w for w in normalise(text).split() if w not in TITLES]
    return " ".join(words) if len(words) >= 2 else ""
