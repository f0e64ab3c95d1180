"""E-mail addresses, checked by a real parser (email-validator, without DNS look-ups).

One rule for the form, the phone-list import and the sync: an address is valid when
email-validator accepts it without SMTPUTF8 (so the local part is ASCII, which every mail
server handles); internationalised domain names are accepted and sent as punycode.
"""

from __future__ import annotations

from functools import lru_cache

from email_validator import EmailNotValidError, validate_email


@lru_cache(maxsize=4096)
def _checked(text: str) -> tuple[str | None, str]:
    try:
        result = validate_email(
            text,
            check_deliverability=False,
            allow_smtputf8=False,
            allow_quoted_local=False,
            allow_domain_literal=False,
            allow_display_name=False,
        )
    except EmailNotValidError as error:
        return None, str(error)
    except Exception as error:  # a parser bug must never stop a form or a sync
        return None, type(error).__name__
    return (result.ascii_email or result.normalized), ""


def sendable(text: str) -> str | None:
    """Return the address as it goes into a To header (ASCII, IDNA domain), or None."""
    value = text.strip()
    if not value or len(value) > 320 or any(c.isspace() for c in value):
        return None
    return _checked(value)[0]


def is_email(text: str) -> bool:
    """Tell whether text is one valid e-mail address."""
    return sendable(text) is not None
