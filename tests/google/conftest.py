"""Fixtures of the Google Sheets register tests: the fake Sheets API and registers on it."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

# Helper modules of this folder (fake_sheets) are imported by plain name.
sys.path.insert(0, str(Path(__file__).parent))

from fake_sheets import FakeHTTPClient, FakeSheets

from klachtsheet.register.google import GoogleRegister, RetryPolicy
from klachtsheet.register.google.pool import forget_connections


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


@pytest.fixture(scope="session")
def service_account_info() -> dict[str, str]:
    """Return a made-up service-account key (a fresh RSA key; it opens nothing anywhere)."""
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import rsa

    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    pem = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ).decode()
    return {
        "type": "service_account",
        "project_id": "klachtsheet-test",
        "private_key_id": "0" * 40,
        "private_key": pem,
        "client_email": "klachtsheet@klachtsheet-test.iam.gserviceaccount.com",
        "client_id": "1" * 21,
        "token_uri": "https://oauth2.googleapis.com/token",
    }


@pytest.fixture
def service_account_file(tmp_path: Path, service_account_info) -> Path:
    """Write the made-up key to a file of mode 0600, as docs/google.md tells people to."""
    import json
    import os

    path = tmp_path / "sleutels" / "klachtsheet-sleutel.json"
    path.parent.mkdir()
    path.write_text(json.dumps(service_account_info), encoding="utf-8")
    os.chmod(path, 0o600)
    return path
