"""The register in a Google spreadsheet (see register.py); this package re-exports its names."""

from klachtsheet.register.google.auth import (
    SHEETS_SCOPE,
    SPREADSHEET_URL,
    connect,
    load_credentials,
    spreadsheet_key,
)
from klachtsheet.register.google.layout import (
    HEADER_MARK,
    LAYOUT_VERSION,
    MARK,
    RULE_MARK,
)
from klachtsheet.register.google.ranges import MAX_CELL_CHARS, column_letter
from klachtsheet.register.google.register import GoogleRegister
from klachtsheet.register.google.retry import RETRYABLE_STATUS, RetryPolicy

__all__ = [
    "HEADER_MARK",
    "LAYOUT_VERSION",
    "MARK",
    "MAX_CELL_CHARS",
    "RETRYABLE_STATUS",
    "RULE_MARK",
    "SHEETS_SCOPE",
    "SPREADSHEET_URL",
    "GoogleRegister",
    "RetryPolicy",
    "column_letter",
    "connect",
    "load_credentials",
    "spreadsheet_key",
]
