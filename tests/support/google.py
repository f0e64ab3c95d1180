"""Pytest fixtures of the fake Sheets API and GoogleRegisters on it (a plugin of tests/conftest.py).

Used by tests/google and by the two-backend contract suite in tests/register.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest

from klachtsheet.register.google import GoogleRegister, RetryPolicy
from klachtsheet.register.google.pool import forget_connections
from support.fake_sheets import FakeHTTPClient, FakeSheets


@pytest.fixture(autouse=True)
def _fresh_connections() -> Iterator[None]:
    """Every test opens its own registers: the process-wide cache starts empty."""
    forget_connections()
    yield
    forget_connections()


@pytest.fixture
def fake() -> FakeSheets:
    """Return a fresh fake Sheets API (not yet serving)."""
    return FakeSheets()


@pytest.fixture
def fake_url(fake: FakeSheets) -> Iterator[str]:
    """Serve the fake on 127.0.0.1 and return its base URL."""
    with fake.serve() as url:
        yield url


@pytest.fixture
def sleeps() -> list[float]:
    """Collect the waits of the retry policy instead of sleeping."""
    return []


@pytest.fixture
def make_register(
    fake: FakeSheets, fake_url: str, sleeps: list[float]
) -> Callable[..., GoogleRegister]:
    """Return a factory of GoogleRegisters on the fake; each creates its spreadsheet if needed."""

    def make(key: str = "sheet-key-1", **kwargs) -> GoogleRegister:
        if key not in fake.spreadsheets:
            fake.create(key)
        retry = kwargs.pop("retry", None) or RetryPolicy(sleep=sleeps.append, jitter=lambda: 0.5)
        return GoogleRegister(key, FakeHTTPClient(fake_url), retry=retry, **kwargs)

    return make


@pytest.fixture
def google_register(make_register) -> GoogleRegister:
    """Return a GoogleRegister on an empty fake spreadsheet."""
    return make_register()
