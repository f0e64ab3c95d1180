"""Items 2 and 4 of issue 14: quota-aware retries and a cheap steady state, on the fake.

The fake counts requests per minute as Google does (60 reads and 60 writes per user) on a
clock the retry policy's sleep moves, so a minute of waiting takes no time here.
"""

from __future__ import annotations

import logging
from dataclasses import replace
from urllib.parse import unquote

import pytest
from google.auth import exceptions as auth_exceptions

from klachtsheet import schema
from klachtsheet.exceptions import RegisterBusy, RegisterError
from klachtsheet.intake.queue import SubmissionQueue
from klachtsheet.intake.writer import QueueWriter
from klachtsheet.register import google as google_backend
from klachtsheet.register.google import GoogleRegister, RetryPolicy
from klachtsheet.web import create_app
from support.counting import CountingCredentials
from support.fake_limits import ManualClock, Quota
from support.fake_sheets import FakeHTTPClient, fill_complaints
from support.intake import COMPLAINT, make_config, post

KLACHTEN = schema.KLACHTEN_TAB
H = schema.KLACHTEN.header


@pytest.fixture
def quota(fake):
    clock = ManualClock()
    fake.quota = Quota(60, clock)
    return clock


def test_120_requests_in_a_minute_with_429s_all_complete_on_the_cli_budget(
    fake, fake_url, quota, caplog
):
    fake.create("druk")
    GoogleRegister("druk", FakeHTTPClient(fake_url)).ensure_layout(schema.EXAMPLE_TABS)
    # The least jitter gives the shortest waits: even then the budget outlasts a minute.
    policy = RetryPolicy(sleep=quota.sleep, jitter=lambda: 0.0)
    register = GoogleRegister("druk", FakeHTTPClient(fake_url), retry=policy)
    fake.reset_log()
    with caplog.at_level(logging.WARNING, logger="klachtsheet.register.google"):
        for _ in range(120):
            register.read([KLACHTEN])
        nummers = [register.append(KLACHTEN, [{H("deelnemer"): "X"}])[0] for _ in range(60)]
    refused = [r for r in fake.requests if r.status == 429]
    assert refused  # Google said no, more than once, without Retry-After
    assert all(r.status in (200, 429) for r in fake.requests)
    assert len(set(nummers)) == 60
    assert len(fake.rows("druk", KLACHTEN)) == 61  # each append exactly once
    assert "te veel verzoeken in deze minuut; klachtsheet wacht" in caplog.text
    assert max(quota.slept) <= policy.max_wait


def test_the_cli_wait_is_bounded_and_the_background_writer_waits_longer(fake, fake_url):
    fake.create("dicht")
    GoogleRegister("dicht", FakeHTTPClient(fake_url)).ensure_layout(schema.EXAMPLE_TABS)
    clock = ManualClock()
    fake.fail(429, times=25)  # minutes of refusals: another process used the quota
    cli = GoogleRegister("dicht", FakeHTTPClient(fake_url), retry=RetryPolicy(sleep=clock.sleep))
    with pytest.raises(RegisterBusy, match="te veel verzoeken"):
        cli.read([KLACHTEN])
    assert sum(clock.slept) <= RetryPolicy().max_total
    assert sum(clock.slept) >= 60  # but at least a quota minute
    clock.slept.clear()
    background = GoogleRegister(
        "dicht",
        FakeHTTPClient(fake_url),
        retry=RetryPolicy.background(sleep=clock.sleep, jitter=lambda: 0.5),
    )
    assert KLACHTEN in background.read([KLACHTEN])
    assert sum(clock.slept) > RetryPolicy().max_total


def test_background_budget_outlasts_several_quota_minutes_even_with_least_jitter():
    policy = RetryPolicy.background(jitter=lambda: 0.0)
    waits, total = [], 0.0
    for attempt in range(policy.tries - 1):
        delay = policy.delay(attempt, None)
        if total + delay > policy.max_total:
            break
        waits.append(delay)
        total += delay
    assert total >= 5 * 60
    cli = RetryPolicy(jitter=lambda: 0.0)
    total = sum(cli.delay(a, None) for a in range(cli.tries - 1))
    assert 60 <= min(total, cli.max_total) <= 120


@pytest.fixture
def counted(monkeypatch, fake, fake_url, make_register):
    """Every register the tool opens talks to the fake with one counting credential."""
    made: list[CountingCredentials] = []

    def load(path):
        made.append(CountingCredentials())
        return made[-1]

    monkeypatch.setattr(google_backend, "load_credentials", load)
    monkeypatch.setattr(
        google_backend, "connect", lambda credentials: FakeHTTPClient(fake_url, auth=credentials)
    )
    make_register("stil").ensure_layout(schema.EXAMPLE_TABS)
    make_register("stil-geheim").ensure_layout(schema.CONFIDENTIAL_TABS)
    return made


def test_100_submissions_fetch_one_token(counted, fake, tmp_path):
    config = replace(
        make_config(tmp_path, tmp_path / "niet-gebruikt.xlsx"),
        register="google:stil",
        confidential_register="google:stil-geheim",
    )
    app = create_app(
        config,
        {
            "TESTING": True,
            "KLACHTSHEET_BACKGROUND_WRITER": False,
            "KLACHTSHEET_SUBMIT_LIMIT": "1000 per minute",
        },
    )
    client = app.test_client()
    for i in range(100):
        response = post(client, **{**COMPLAINT, "omschrijving": f"Klacht {i}"})
        assert response.status_code in (302, 303)
    assert len(fake.rows("stil", KLACHTEN)) == 101
    assert len(counted) == 1  # the key file was read once
    assert counted[0].fetches == 1  # and one token served all 100 submissions
    counted[0].expire()
    post(client, **{**COMPLAINT, "omschrijving": "Na een uur"})
    assert counted[0].fetches == 2  # refreshed when it expired, not a new client


def test_the_form_snapshot_reads_only_the_nummers_of_klachten(fake, make_register, tmp_path):
    make_register("snap").ensure_layout(schema.EXAMPLE_TABS)
    nummers = fill_complaints(fake, "snap", 200)
    register = make_register("snap")
    writer = QueueWriter(
        SubmissionQueue(tmp_path / "wachtrij"),
        shared=lambda: register,
        confidential=lambda: register,
    )
    fake.reset_log()
    snapshot = writer.refresh()
    assert snapshot.nummers == frozenset(nummers)
    assert snapshot.locations and snapshot.settings
    (request,) = fake.requests
    ranges = [unquote(r) for r in request.query["ranges"]]
    assert f"'{KLACHTEN}'" not in ranges  # never the whole tab
    assert f"'{KLACHTEN}'!1:1" in ranges and f"'{KLACHTEN}'!A2:A" in ranges


def test_a_retryable_refresh_error_is_retried_not_a_new_key(fake, fake_url, sleeps):
    fake.create("token")
    credentials = CountingCredentials(fail_first=1)
    register = GoogleRegister(
        "token",
        FakeHTTPClient(fake_url, auth=credentials),
        retry=RetryPolicy(sleep=sleeps.append, jitter=lambda: 0.5),
    )
    assert register.read(["Blad1"])
    assert credentials.fetches == 1 and len(sleeps) == 1


def test_a_final_refresh_error_asks_for_a_new_key(fake, fake_url, sleeps, monkeypatch):
    fake.create("sleutel")
    credentials = CountingCredentials()

    def refused(request):
        raise auth_exceptions.RefreshError("invalid_grant: account not found", retryable=False)

    monkeypatch.setattr(credentials, "refresh", refused)
    register = GoogleRegister(
        "sleutel",
        FakeHTTPClient(fake_url, auth=credentials),
        retry=RetryPolicy(sleep=sleeps.append),
    )
    with pytest.raises(RegisterError, match="maak een nieuwe sleutel"):
        register.read(["Blad1"])
    assert sleeps == []
