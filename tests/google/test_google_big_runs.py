"""Item 3 of issue 14: big runs within Google's limits, on the strict fake.

The fake refuses cells over 50,000 characters and request bodies over 10 MB, as Google
does; klachtsheet must also keep every request under Google's recommended 2 MB.
"""

from __future__ import annotations

from datetime import date

import pytest

from klachtsheet import schema
from klachtsheet.config import Config
from klachtsheet.exceptions import RegisterError
from klachtsheet.model import CellUpdate, date_serial
from klachtsheet.register.google import MAX_CELL_CHARS, GoogleRegister, RetryPolicy
from klachtsheet.sync import logbook
from klachtsheet.sync import run as sync
from support.fake_sheets import FakeHTTPClient, fill_complaints

DUE_SERIAL = date_serial(date(2026, 11, 27))

H = schema.KLACHTEN.header
TODAY = date(2026, 11, 20)
BIG = 20_000
RECOMMENDED = 2_000_000


def _register(fake, url, key, **kwargs) -> GoogleRegister:
    return GoogleRegister(key, FakeHTTPClient(url), **kwargs)


def _laid_out(fake, url, key: str, count: int) -> list[str]:
    fake.create(key)
    _register(fake, url, key).ensure_layout(schema.TABS)
    return fill_complaints(fake, key, count)


def test_the_writes_of_a_first_sync_of_20000_complaints_stay_within_limits(fake, fake_url):
    """What the first sync of 20,000 open complaints sends, through the register itself.

    The whole sync at this size is measured by benchmarks/google_requests.py (its rules
    take most of the time); here the writes: three cells per complaint and a Logboek line
    per complaint and message, each request under 2 MB, every cell under 50,000.
    """
    key = "groot"
    nummers = _laid_out(fake, fake_url, key, BIG)
    register = _register(fake, fake_url, key)
    tables = register.read([t.name for t in schema.TABS])
    assert len(tables[schema.KLACHTEN_TAB].rows) == BIG
    fake.reset_log()
    updates = []
    for n in nummers:
        updates += [
            CellUpdate(n, H("antwoord_uiterlijk"), "27-11-2026"),
            CellUpdate(n, H("aangifte_geadviseerd"), "Nee"),
            CellUpdate(n, H("controle"), "Bevestiging via ontbreekt; Coördinator ontbreekt"),
        ]
    assert register.update(schema.KLACHTEN_TAB, updates).written == 3 * BIG
    lines = [logbook.entry(n, "Antwoord uiterlijk bijgewerkt", "27-11-2026") for n in nummers]
    lines += [logbook.entry(n, "Overzicht te laat verstuurd", "in overzicht") for n in nummers]
    register.append(schema.LOGBOEK_TAB, lines)
    assert all(r.status == 200 for r in fake.requests)
    assert max(r.size for r in fake.requests) < RECOMMENDED
    assert len([r for r in fake.requests if r.kind == "values.batchUpdate"]) > 1  # chunked
    rows = fake.rows(key, schema.KLACHTEN_TAB)[1:]
    due = schema.KLACHTEN.headers.index(H("antwoord_uiterlijk"))
    # A date column holds the date as a serial number (written RAW, shown in DATE format).
    assert all(row[due] == DUE_SERIAL for row in rows)
    assert [row[0] for row in rows] == nummers  # nothing moved
    assert len(fake.rows(key, schema.LOGBOEK_TAB)) == 1 + 2 * BIG


def test_a_first_sync_of_thousands_of_open_complaints_completes(fake, fake_url, tmp_path):
    key = "veel-open"
    count = 6_000  # more than one write of under 2 MB
    _laid_out(fake, fake_url, key, count)
    fake.reset_log()
    config = Config(output_dir=tmp_path / "uitvoer")
    sync.run_sync(config, shared=_register(fake, fake_url, key), today=TODAY)
    assert all(r.status == 200 for r in fake.requests)
    assert max(r.size for r in fake.requests) < RECOMMENDED
    assert len([r for r in fake.requests if r.kind == "values.batchUpdate"]) > 1
    due = schema.KLACHTEN.headers.index(H("antwoord_uiterlijk"))
    assert all(row[due] for row in fake.rows(key, schema.KLACHTEN_TAB)[1:])
    logboek = fake.rows(key, schema.LOGBOEK_TAB)[1:]
    assert all(len(str(v)) <= MAX_CELL_CHARS for line in logboek for v in line)
    overview = [line for line in logboek if line[2] == "Overzicht te laat verstuurd"]
    assert len(overview) == count  # one line per complaint in the overview, not one list
    fake.reset_log()
    sync.run_sync(config, shared=_register(fake, fake_url, key), today=TODAY)
    assert [r.kind for r in fake.writes()] in ([], ["values.append"])  # nothing left to do


def _fail_second(kind: str):
    seen: list[int] = []

    def callback(fake_) -> None:
        seen.append(1)
        if len(seen) == 1:
            fake_.fail(400, kind=kind)  # runs before part one: refuses part two, for good

    return callback


def test_20000_updates_failing_midway_are_completed_by_the_next_call(fake, fake_url):
    key = "half-register"
    nummers = _laid_out(fake, fake_url, key, BIG)
    long = "Categorie onbekend; Bevestiging via ontbreekt; Coördinator ontbreekt; " * 2
    updates = [CellUpdate(n, H("controle"), f"{long}({n})") for n in nummers]
    updates += [CellUpdate(n, H("antwoord_uiterlijk"), "27-11-2026") for n in nummers]
    fake.before("values.batchUpdate", _fail_second("values.batchUpdate"), times=10)
    register = _register(fake, fake_url, key, retry=RetryPolicy(tries=1))
    with pytest.raises(RegisterError):
        register.update(schema.KLACHTEN_TAB, updates)
    due = schema.KLACHTEN.headers.index(H("antwoord_uiterlijk"))
    control = schema.KLACHTEN.headers.index(H("controle"))
    rows = fake.rows(key, schema.KLACHTEN_TAB)[1:]
    done = sum(1 for r in rows if len(r) > control and r[control])
    done += sum(1 for r in rows if len(r) > due and r[due])
    assert 0 < done < 2 * BIG  # the first part arrived, the rest did not
    fake.faults.clear()
    fake.reset_log()
    result = _register(fake, fake_url, key).update(schema.KLACHTEN_TAB, updates)
    assert result.written == 2 * BIG - done  # only what was missing
    rows = fake.rows(key, schema.KLACHTEN_TAB)[1:]
    assert all(r[due] == DUE_SERIAL and r[control].endswith(f"({r[0]})") for r in rows)
    assert [r[0] for r in rows] == nummers  # nothing moved
    assert max(r.size for r in fake.requests) < RECOMMENDED


def test_a_sync_failing_midway_is_completed_by_the_next_run(fake, fake_url, tmp_path):
    key = "half"
    count = 3_000
    _laid_out(fake, fake_url, key, count)
    config = Config(output_dir=tmp_path / "uitvoer")
    fake.fail(400, kind="values.batchUpdate")  # the Klachten write is refused, for good
    register = _register(fake, fake_url, key, retry=RetryPolicy(tries=1))
    with pytest.raises(RegisterError):
        sync.run_sync(config, shared=register, today=TODAY)
    due = schema.KLACHTEN.headers.index(H("antwoord_uiterlijk"))
    rows = fake.rows(key, schema.KLACHTEN_TAB)[1:]
    assert not any(len(r) > due and r[due] for r in rows)  # stopped before writing
    sync.run_sync(config, shared=_register(fake, fake_url, key), today=TODAY)
    rows = fake.rows(key, schema.KLACHTEN_TAB)[1:]
    assert all(row[due] for row in rows)
    nummers = [row[0] for row in rows]
    assert len(nummers) == len(set(nummers)) == count  # nothing moved, nothing doubled
    logboek = [tuple(r[1:3]) for r in fake.rows(key, schema.LOGBOEK_TAB)[1:]]
    assert len(logboek) == len(set(logboek))  # no line twice


def test_a_value_too_long_for_a_cell_is_cut_not_refused(fake, fake_url, make_register):
    key = "lang"
    (n,) = _laid_out(fake, fake_url, key, 1)
    register = make_register(key)
    register.update(schema.KLACHTEN_TAB, [CellUpdate(n, H("controle"), "x" * 60_000)])
    stored = register.read([schema.KLACHTEN_TAB])[schema.KLACHTEN_TAB].column(H("controle"))[0]
    assert len(stored) == MAX_CELL_CHARS
    assert stored.endswith("[ingekort: te lang voor één cel]")


def test_a_big_append_is_split_under_two_megabytes(fake, fake_url, make_register):
    key = "veel"
    _laid_out(fake, fake_url, key, 0)
    register = make_register(key)
    fake.reset_log()
    lines = [
        {"Tijdstip": "20-11-2026 10:00", "Nummer": f"26-{i:06d}", "Actie": "x" * 200}
        for i in range(15_000)
    ]
    register.append(schema.LOGBOEK_TAB, lines)
    appends = [r for r in fake.requests if r.kind == "values.append"]
    assert len(appends) > 1
    assert max(r.size for r in appends) < RECOMMENDED
    assert len(fake.rows(key, schema.LOGBOEK_TAB)) == 1 + 15_000


def test_chunks_count_the_bytes_requests_sends_for_accented_text(fake, fake_url, make_register):
    key = "accenten"
    _laid_out(fake, fake_url, key, 0)
    register = make_register(key)
    fake.reset_log()
    lines = [
        {"Tijdstip": "20-11-2026 10:00", "Nummer": f"26-{i:06d}", "Actie": "é" * 300}
        for i in range(3_000)
    ]  # 1 MB of UTF-8, over 5 MB as sent
    register.append(schema.LOGBOEK_TAB, lines)
    appends = [r for r in fake.requests if r.kind == "values.append"]
    assert len(appends) > 2
    assert max(r.size for r in appends) < RECOMMENDED
