"""Fixtures of the sync tests: a register with hand-typed, messy rows."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from klachtsheet.config import Config, SmtpConfig
from support import sync as support_sync
from support.sync import MESSY_ROWS, SETTINGS, free_port, set_settings, type_rows


@pytest.fixture
def config(tmp_path: Path, register_path: Path) -> Config:
    """Return a configuration with the register, an outbox and no SMTP server."""
    return Config(
        register=str(register_path),
        confidential_register=str(tmp_path / "vertrouwelijk-register.xlsx"),
        output_dir=tmp_path / "uitvoer",
    )


@pytest.fixture
def messy(register_path: Path) -> list[dict[str, str]]:
    """Fill the register with the messy hand-typed rows and realistic settings."""
    set_settings(register_path, SETTINGS)
    return type_rows(register_path, MESSY_ROWS)


@pytest.fixture
def smtp_server():
    """Run a real SMTP server (aiosmtpd) on 127.0.0.1 and collect what it receives."""
    from aiosmtpd.controller import Controller

    class Collect:
        def __init__(self) -> None:
            self.messages: list = []

        async def handle_DATA(self, server, session, envelope):
            self.messages.append(envelope)
            return "250 OK"

    handler = Collect()
    controller = Controller(handler, hostname="127.0.0.1", port=free_port())
    controller.start()
    try:
        yield controller, handler
    finally:
        controller.stop()


@pytest.fixture
def smtp_config(config: Config, smtp_server) -> Config:
    """Return the configuration with the local SMTP server."""
    controller, _ = smtp_server
    return replace(
        config,
        smtp=SmtpConfig(
            host="127.0.0.1",
            port=controller.port,
            sender="klachten@voorbeeld.nl",
            security="geen",
            timeout=10,
        ),
    )


@pytest.fixture
def sh():
    """Return the sync test helpers (support.sync); new tests may import them directly."""
    return support_sync
