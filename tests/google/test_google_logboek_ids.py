"""Logboek lines carry an Id: on Google too a replayed batch never adds a line twice."""

from __future__ import annotations

from klachtsheet import schema
from klachtsheet.sync import logbook


def test_a_replayed_logboek_batch_adds_nothing_google(google_register):
    register = google_register
    register.ensure_layout(schema.TABS)
    lines = [logbook.entry("K-1", "Ingevoerd via formulier"), logbook.entry("K-2", "Iets")]
    register.append(schema.LOGBOEK_TAB, lines)
    register.append(schema.LOGBOEK_TAB, lines)
    rows = register.read([schema.LOGBOEK_TAB])[schema.LOGBOEK_TAB]
    assert rows.column("Nummer") == ["K-1", "K-2"]


def test_google_a_lost_answer_and_a_replay_still_add_each_line_once(fake, google_register):
    google_register.ensure_layout(schema.TABS)
    lines = [logbook.entry("K-1", "Iets"), logbook.entry("K-1", "Iets")]  # same text, two ids
    fake.drop_after_apply(kind="values.append")
    google_register.append(schema.LOGBOEK_TAB, lines)
    google_register.append(schema.LOGBOEK_TAB, lines)
    rows = google_register.read([schema.LOGBOEK_TAB])[schema.LOGBOEK_TAB]
    assert rows.column("Nummer") == ["K-1", "K-1"]
    # Text no one typed yet arrives intact (the one boundary on the Google side too).
    google_register.append(schema.LOGBOEK_TAB, [logbook.entry("K-2", "a\u2028b\ufffe")])
    rows = google_register.read([schema.LOGBOEK_TAB])[schema.LOGBOEK_TAB]
    assert rows.column("Actie")[-1] == "a\nb"


def test_a_broken_chunked_answer_is_retried(google_register, sleeps):
    import requests

    google_register.ensure_layout(schema.TABS)
    real = google_register.client.values_batch_get
    calls = []

    def flaky(*args, **kwargs):
        calls.append(1)
        if len(calls) == 1:
            raise requests.exceptions.ChunkedEncodingError("connection broken mid-answer")
        return real(*args, **kwargs)

    google_register.client.values_batch_get = flaky
    tables = google_register.read([schema.KLACHTEN_TAB])
    assert schema.KLACHTEN_TAB in tables
    assert len(calls) == 2 and len(sleeps) == 1
