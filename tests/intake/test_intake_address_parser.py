"""The quick path for plain addresses gives exactly what email-validator gives."""

from __future__ import annotations

from email_validator import EmailNotValidError, validate_email
from hypothesis import given, settings
from hypothesis import strategies as st

from klachtsheet.addresses import sendable


def reference(text: str) -> str | None:
    try:
        result = validate_email(
            text,
            check_deliverability=False,
            allow_smtputf8=False,
            allow_quoted_local=False,
            allow_domain_literal=False,
            allow_display_name=False,
        )
    except EmailNotValidError:
        return None
    return result.ascii_email or result.normalized


ATOM = st.text(alphabet="abcXYZ09.-_+'!", min_size=1, max_size=70)
LABEL = st.text(alphabet="abzAZ09-", min_size=1, max_size=66)
TLD = st.sampled_from(["nl", "com", "NL", "test", "local", "onion", "a", "c0m", "xn--p1ai"])


@settings(max_examples=400, deadline=None)
@given(ATOM, st.lists(LABEL, min_size=1, max_size=4), TLD)
def test_plain_looking_addresses_are_judged_as_the_parser_judges_them(local, labels, tld):
    text = f"{local}@{'.'.join(labels)}.{tld}"
    assert sendable(text) == reference(text)


def test_the_quick_path_knows_the_parsers_special_use_names():
    from email_validator import SPECIAL_USE_DOMAIN_NAMES

    from klachtsheet import addresses

    assert frozenset(SPECIAL_USE_DOMAIN_NAMES) == addresses._SPECIAL
