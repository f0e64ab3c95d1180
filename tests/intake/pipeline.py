"""The whole way for property tests: form and phone list -> queue -> register -> sync -> inzage.

Shared by tests/intake/test_intake_properties.py (local workbook) and
tests/google/test_google_properties.py (the fake Google Sheets).
"""

from __future__ import annotations

import csv
import re
from collections import Counter
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from urllib.parse import urlencode

from hypothesis import strategies as st
from intake_helpers import COMPLAINT, REPORT, open_form, unlock

from klachtsheet import schema
from klachtsheet.categories import normalise
from klachtsheet.exceptions import KlachtsheetError
from klachtsheet.intake.desk import IntakeDesk
from klachtsheet.intake.phonelist import PhoneListError, import_phone_list
from klachtsheet.intake.queue import SubmissionQueue
from klachtsheet.intake.writer import QueueWriter
from klachtsheet.privacy.access import PersonQuery, answer_access_request
from klachtsheet.register import Register
from klachtsheet.sync.run import run_sync
from klachtsheet.web import create_app

TODAY = date(2026, 11, 26)
VALID = {"telefoondienst": COMPLAINT, "vrijwilliger": REPORT}
PHONE_COLUMNS = {
    "Ingevoerd door": "Mia", "Soort": "Klacht", "Deelnemer": "Mevr. A", "Locatie": "Utrecht",
    "Categorie": "niet opgehaald", "Omschrijving": "Niemand kwam", "Opgelost in 1e lijn": "Nee",
    "Bevestiging via": "Telefoon", "Telefoon": "030 1234567", "Datum activiteit": "20-11-2026",
}  # fmt: skip

# Every code point of every plane: controls, separators, noncharacters, lone surrogates.
ANY_CHAR = st.characters(codec=None, exclude_categories=())
SPECIAL = st.sampled_from(
    [
        *"\u2028\u2029\x85\r\n\x0b\x0c\x00\x1f\x7f\x9f\ufffe\uffff\ud800\udfff\U0010ffff\t \u200b",
        "\U0001fffe",
    ]
)
CHARS = st.one_of(ANY_CHAR, SPECIAL)
FRAGMENTS = st.sampled_from(["=IMPORTXML(1)", "<img src=x onerror=alert(1)>", "\r\n", "a@b.nl"])
SMALL = st.lists(st.one_of(st.text(CHARS, max_size=20), FRAGMENTS), max_size=4).map("".join)
# Up to 60,000 characters without making Hypothesis draw each one.
BIG = st.builds(
    lambda seed, n: (seed * (n // len(seed) + 1))[:n],
    st.text(CHARS, min_size=1, max_size=8),
    st.integers(0, 60_000),
)
HOSTILE = st.one_of(SMALL, SMALL, SMALL, BIG)


def values_for(form: str, keys: list[str]):
    """Valid values for a form, with a few of its fields (any of them) replaced by hostile text."""
    base = {k: VALID[form].get(k, "") for k in keys}

    @st.composite
    def build(draw):
        chosen = draw(st.lists(st.sampled_from(keys), max_size=3, unique=True))
        return {k: draw(HOSTILE) if k in chosen else v for k, v in base.items()}

    return build()


def phone_rows():
    @st.composite
    def row(draw):
        chosen = draw(st.lists(st.sampled_from(list(PHONE_COLUMNS)), max_size=3, unique=True))
        return {k: draw(HOSTILE) if k in chosen else v for k, v in PHONE_COLUMNS.items()}

    return st.lists(row(), min_size=1, max_size=3)


@dataclass
class Outcome:
    acknowledged: list[str] = field(default_factory=list)
    names: list[str] = field(default_factory=list)


def submit_all(
    config,
    tmp: Path,
    shared: Callable[[], Register],
    confidential: Callable[[], Register],
    forms: Mapping[str, Mapping[str, str]],
    phone: list[Mapping[str, str]],
) -> tuple[Outcome, IntakeDesk]:
    """Post both forms (and a double submit) and import the phone list; return what was told."""
    writer = QueueWriter(SubmissionQueue(config.queue_dir), shared, confidential)
    desk = IntakeDesk(config, writer=writer)
    app = create_app(
        config,
        {"TESTING": True, "KLACHTSHEET_BACKGROUND_WRITER": False, "KLACHTSHEET_DESK": desk},
    )
    client = app.test_client()
    told = Outcome()
    for form, values in forms.items():
        unlock(client, form)
        hidden = open_form(client, form)
        # A hostile client may send bytes no browser sends (lone surrogates as UTF-8).
        body = urlencode({**hidden, **values}, errors="surrogatepass")
        headers = {"Content-Type": "application/x-www-form-urlencoded"}
        response = client.post(f"/formulier/{form}", data=body, headers=headers)
        assert response.status_code in (303, 413, 422), response.status_code
        if response.status_code != 303:
            continue
        page = client.get(response.headers["Location"])
        assert page.status_code == 200
        receipt = desk.receipt(hidden["inzending"])
        assert receipt is not None and receipt.nummer in page.text
        again = client.post(f"/formulier/{form}", data=body, headers=headers)
        assert again.status_code == 303  # the same token: the same Nummer, no new row
        told.acknowledged.append(receipt.nummer)
        told.names.append(values.get("deelnemer", ""))
    path = tmp / "lijst.csv"
    with path.open("w", encoding="utf-8", errors="replace", newline="") as handle:
        out = csv.writer(handle, delimiter=";", quoting=csv.QUOTE_ALL)
        out.writerow(list(PHONE_COLUMNS))
        for row in phone:
            out.writerow([row[k] for k in PHONE_COLUMNS])
    try:
        result = import_phone_list(path, desk, "telefoondienst")
    except PhoneListError:
        result = None  # the whole file refused with a Dutch reason: nothing acknowledged
    if result is not None and result.ok:
        told.acknowledged += [r.nummer for r in result.receipts]
        told.names += [row["Deelnemer"] for row in phone]
    desk.write_now()
    assert desk.pending_count() == 0, desk.writer.last_error
    return told, desk


def check_registers(told: Outcome, shared: Register, confidential: Register | None) -> None:
    """Every acknowledged Nummer exactly once; Logboek ids unique."""
    tables = shared.read([schema.KLACHTEN_TAB, schema.LOGBOEK_TAB])
    counts = Counter(n.strip() for n in tables[schema.KLACHTEN_TAB].column("Nummer"))
    for nummer in told.acknowledged:
        assert counts[nummer] == 1, (nummer, counts[nummer])
    assert len(counts) == len(set(told.acknowledged))
    ids = tables[schema.LOGBOEK_TAB].column("Id")
    assert len(ids) == len(set(ids))
    if confidential is not None:
        secret = confidential.read([schema.KLACHTEN_TAB, schema.LOGBOEK_TAB])
        conf = Counter(secret[schema.KLACHTEN_TAB].column("Nummer"))
        assert all(c == 1 for c in conf.values())
        ids = secret[schema.LOGBOEK_TAB].column("Id")
        assert len(ids) == len(set(ids))


def sync_and_inzage(config, told: Outcome, shared: Register, confidential: Register | None):
    """Run the sync (must succeed for every row) and an inzage for one of the people."""
    report = run_sync(config, shared=shared, confidential=confidential, today=TODAY)
    assert report.ok, report.failures
    assert report.not_done == 0, report.summary()
    again = run_sync(config, shared=shared, confidential=confidential, today=TODAY)
    assert again.ok and again.messages == 0
    for name in told.names:
        if len(normalise(name)) >= 2 and not re.search(r"[\x00-\x1f]", name):
            try:
                query = PersonQuery(naam=name)
            except KlachtsheetError:
                continue
            answer_access_request(config, shared, confidential, query, today=TODAY)
            break
