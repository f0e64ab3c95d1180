"""The sync's rules: pure functions from the register's rows to what should change.

No module here talks to a register, a mailbox or the clock: the sync reads the
tabs, hands them in, and writes what comes out.
"""

from klachtsheet.rules.context import RuleContext, build_context
from klachtsheet.rules.review import Confirmation, Review, review
from klachtsheet.rules.validation import proposed_categories, unknown_category_message

__all__ = [
    "Confirmation",
    "Review",
    "RuleContext",
    "build_context",
    "proposed_categories",
    "review",
    "unknown_category_message",
]
