"""Credentials that count their token fetches (no network): one per process is the target."""

from __future__ import annotations

import datetime as dt

from google.auth import exceptions
from google.auth.credentials import Credentials


class CountingCredentials(Credentials):
    """A service account stand-in: each refresh is one token fetch from Google."""

    def __init__(self, fail_first: int = 0) -> None:
        super().__init__()
        self.fetches = 0
        self.fail_first = fail_first
        self.service_account_email = "klachtsheet@test.iam.gserviceaccount.com"

    def refresh(self, request) -> None:
        if self.fail_first:
            self.fail_first -= 1
            raise exceptions.RefreshError("token service unavailable", retryable=True)
        self.fetches += 1
        self.token = f"token-{self.fetches}"
        self.expiry = dt.datetime.now(dt.UTC).replace(tzinfo=None) + dt.timedelta(hours=1)

    def expire(self) -> None:
        """Let the token run out, as it does after an hour."""
        self.expiry = dt.datetime.now(dt.UTC).replace(tzinfo=None) - dt.timedelta(minutes=1)
