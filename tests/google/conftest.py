"""Fixtures of the Google Sheets register tests (the fake and its registers: support.google)."""

from __future__ import annotations

from pathlib import Path

import pytest


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
