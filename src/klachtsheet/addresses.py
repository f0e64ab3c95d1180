"""E-mail addresses, checked by a real parser (email-validator, without DNS look-ups).

One rule for the form, the phone-list import and the sync: an address is valid when
email-validator accepts it without SMTPUTF8 (so the local part is ASCII, which every mail
server handles); internationalised domain names are accepted and sent as punycode.
"""

from __future__ import annotations

import re
from functools import lru_cache

# The plain addresses nearly everyone has (ASCII dot-atoms at a hostname with a letter
# TLD): each one email-validator accepts unchanged, so they need not be parsed one by
# one. Anything else, also anything this pattern cannot vouch for, goes to the parser.
_SPACE = re.compile(r"\s")
_ATOM = r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+"
_LABEL = r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
_PLAIN = re.compile(rf"(?=.{{1,64}}@)({_ATOM}(?:\.{_ATOM})*)@((?:{_LABEL}\.)+[A-Za-z]{{2,63}})")


def _plain(text: str) -> str | None:
    """Return a plain address as the parser would give it (domain in lower case), or None.

    None means only that the parser must judge it.
    """
    if len(text) > 254:
        return None
    match = _PLAIN.fullmatch(text)
    if match is None:
        return None
    domain = match[2]
    lower = domain.islower()  # nearly always: then the address is already as the parser gives it
    if not lower:
        domain = domain.lower()
    # Punycode-looking labels (xn--) and special-use names (.test, .local) need the parser.
    if "--" in domain or domain.rpartition(".")[2] in _SPECIAL:
        return None
    if _SPECIAL_LABELS > 1:
        labels = domain.split(".")
        for size in range(2, min(_SPECIAL_LABELS, len(labels)) + 1):
            if ".".join(labels[-size:]) in _SPECIAL:
                return None
    return text if lower else f"{match[1]}@{domain}"


# email-validator's SPECIAL_USE_DOMAIN_NAMES, which a plain address must not end in. A copy,
# because importing email-validator compiles its grammar (20 ms of every sync's start) while
# nearly every address takes the quick path; tests/intake/test_intake_address_parser.py
# fails when the library's list differs. The most labels a name has ("home.arpa" has 2).
_SPECIAL = frozenset({"arpa", "invalid", "local", "localhost", "onion", "test"})
_SPECIAL_LABELS = max((name.count(".") + 1 for name in _SPECIAL), default=0)


def _parsed(text: str) -> str | None:
    """Return the address as email-validator normalises it, or None when it refuses it."""
    from email_validator import validate_email

    try:
        result = validate_email(
            text,
            check_deliverability=False,
            allow_smtputf8=False,
            allow_quoted_local=False,
            allow_domain_literal=False,
            allow_display_name=False,
        )
    except Exception:  # EmailNotValidError; and a parser bug must never stop a form or a sync
        return None
    return result.ascii_email or result.normalized


@lru_cache(maxsize=65_536)
def sendable(text: str) -> str | None:
    """Return the address as it goes into a To header (ASCII, IDNA domain), or None."""
    value = text.strip()
    if not value or len(value) > 320 or _SPACE.search(value):
        return None
    # Plain addresses without the parser: they are nearly all of them, each seen once or twice.
    return _plain(value) or _parsed(value)


def is_email(text: str) -> bool:
    """Tell whether text is one valid e-mail address."""
    return sendable(text) is not None
