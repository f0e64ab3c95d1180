"""Confirmations over a real SMTP server (aiosmtpd on 127.0.0.1), exactly once, across crashes."""

from __future__ import annotations

import contextlib
from datetime import UTC, datetime
from email import message_from_bytes
from email.headerregistry import Address
from email.policy import default

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from klachtsheet.exceptions import RowDeliveryError
from klachtsheet.messages import mailer
from klachtsheet.messages.outbox import INTENT, SENT, Journal
from klachtsheet.sync.plan import JOURNAL_FILE
from klachtsheet.sync.run import run_sync

EXTRA = [
    {  # police advice from the description, e-mail confirmation
        "Nummer": "@nummer", "Ontvangen op": "23-11-2026", "Kanaal": "Telefoon",
        "Soort": "Klacht", "Deelnemer": "Mevr. Tas", "E-mail deelnemer": "tas@example.org",
        "Bevestiging via": "E-mail", "Locatie": "Rotterdam", "Categorie": "Overig",
        "Omschrijving": "Mijn portemonnee is gestolen in de bus.", "Status": "Overgedragen",
        "Overgedragen op": "18-12-2026",
    },
]  # fmt: skip


def mails_to(handler, address: str) -> list:
    found = []
    for envelope in handler.messages:
        if address in envelope.rcpt_tos:
            found.append(message_from_bytes(envelope.content, policy=default))
    return found


def body(message) -> str:
    return message.get_body(("plain",)).get_content()


@pytest.fixture
def mail_register(sh, register_path, messy):
    sh.type_rows(register_path, EXTRA)
    return register_path


def test_one_confirmation_per_handed_over_complaint(
    smtp_config, smtp_server, register, mail_register, sh
):
    _, handler = smtp_server
    first = run_sync(smtp_config, shared=register, today=sh.TODAY)

    assert "bevestigingen verstuurd" in first.summary()  # with SMTP they really went
    [jansen] = mails_to(handler, "jansen@example.org")
    [tas] = mails_to(handler, "tas@example.org")
    assert not mails_to(handler, "mulder@example.org")  # unknown location: nothing sent
    assert not mails_to(handler, "hoek@example.org")  # no handover date: nothing sent
    assert "binnen 10 werkdagen" in body(jansen)
    assert "donderdag 10 december 2026" in body(jansen)
    assert "Bram Jansen" in body(jansen)
    assert "aangifte" not in body(jansen).lower()
    # Handed over on 18-12-2026: Christmas and New Year are not working days.
    assert "dinsdag 5 januari 2027" in " ".join(body(tas).split())
    assert "aangifte te doen bij de politie" in " ".join(body(tas).split())
    nummer = sh.by_name(sh.read_rows(register.path))["Mevr. Jansen"]["Nummer"]
    assert jansen["Subject"] == f"Uw klacht {nummer} is in behandeling"
    # The coordinators hear of it once; letter and phone script go to the phone service.
    assert len(mails_to(handler, "utrecht@voorbeeld.nl")) == 1
    assert len(mails_to(handler, "rotterdam@voorbeeld.nl")) == 1
    tasks = mails_to(handler, "telefoondienst@voorbeeld.nl")
    subjects = sorted(m["Subject"].split(":")[0] for m in tasks)
    assert subjects == [
        "1 melding van een vrijwilliger wacht op een belletje – 26 november 2026",
        "Brief printen en versturen",
        "Deelnemer bellen",
    ]
    assert len(mails_to(handler, "tineke@voorbeeld.nl")) == 1  # first-line colleague told
    assert len(mails_to(handler, "regio.midden@voorbeeld.nl")) == 1  # satisfaction call list

    count = len(handler.messages)
    report = run_sync(smtp_config, shared=register, today=sh.TODAY)
    assert len(handler.messages) == count
    assert report.messages == 0 and report.written == 0


class CrashingRegister:
    """The register, except that the power fails when the sync writes the sheet."""

    def __init__(self, inner) -> None:
        self.inner, self.location = inner, inner.location

    def read(self, tabs):
        return self.inner.read(tabs)

    def batch(self):
        return self.inner.batch()

    def update(self, tab, updates):
        raise RuntimeError("stroomstoring")

    def append(self, tab, rows):
        raise AssertionError("the Logboek comes after the sheet")


def test_crash_between_sending_and_writing_sends_nothing_twice(
    smtp_config, smtp_server, register, register_path, messy, sh
):
    _, handler = smtp_server
    with pytest.raises(RuntimeError):
        run_sync(smtp_config, shared=CrashingRegister(register), today=sh.TODAY)
    sent = len(handler.messages)
    [first] = mails_to(handler, "jansen@example.org")
    assert sh.by_name(sh.read_rows(register_path))["Mevr. Jansen"]["Nummer"] == ""

    report = run_sync(smtp_config, shared=register, today=sh.TODAY)

    assert len(handler.messages) == sent
    jansen = sh.by_name(sh.read_rows(register_path))["Mevr. Jansen"]
    assert jansen["Bevestiging verstuurd op"] == "26-11-2026"
    # The row typed without a Nummer gets the very Nummer the participant was sent.
    assert first["Subject"] == f"Uw klacht {jansen['Nummer']} is in behandeling"
    assert report.confirmations == 0 and report.messages == 0
    assert not report.warnings or all("onderbroken" not in w for w in report.warnings)


def test_crash_while_sending_never_sends_again(
    smtp_config, smtp_server, register, register_path, messy, sh, monkeypatch
):
    _, handler = smtp_server

    def power_failure(self, message):
        raise SystemExit("stroomstoring tijdens het versturen")

    monkeypatch.setattr(mailer.Mailer, "send", power_failure)
    with pytest.raises(SystemExit):
        run_sync(smtp_config, shared=register, today=sh.TODAY)
    monkeypatch.undo()

    report = run_sync(smtp_config, shared=register, today=sh.TODAY)

    # Better a warning to check by hand than a second letter to an 84-year-old.
    assert not mails_to(handler, "jansen@example.org")
    assert any("onderbroken" in w for w in report.warnings)
    jansen = sh.by_name(sh.read_rows(register_path))["Mevr. Jansen"]
    assert jansen["Bevestiging verstuurd op"] == "26-11-2026"


def test_crash_after_one_message_went_journals_that_one_as_sent(
    smtp_config, smtp_server, register, mail_register, sh, monkeypatch
):
    _, handler = smtp_server
    send = mailer.Mailer.send
    went: list[str] = []

    def power_failure_at_the_second(self, message):
        if went:
            raise SystemExit("stroomstoring tijdens het versturen")
        went.append(message["To"].addresses[0].addr_spec)
        return send(self, message)

    monkeypatch.setattr(mailer.Mailer, "send", power_failure_at_the_second)
    with pytest.raises(SystemExit):
        run_sync(smtp_config, shared=register, today=sh.TODAY)
    monkeypatch.undo()

    # The first went and is journalled as sent (its SENT shared the commit of the second's
    # INTENT); only the one that was being sent is left uncertain.
    entries = Journal(smtp_config.state_dir / JOURNAL_FILE).load()
    states = sorted(e.status for e in entries.values() if not e.key.startswith("nummer:"))
    assert states == sorted([INTENT, SENT])
    [first] = went
    run_sync(smtp_config, shared=register, today=sh.TODAY)
    assert len(mails_to(handler, first)) == 1


def test_one_journal_commit_per_message(
    smtp_config, smtp_server, register, mail_register, sh, monkeypatch
):
    from klachtsheet import sqlite

    commits = []
    transaction = sqlite.transaction

    def counted(connection):
        commits.append(connection)
        return transaction(connection)

    monkeypatch.setattr("klachtsheet.messages.outbox.transaction", counted)
    report = run_sync(smtp_config, shared=register, today=sh.TODAY)

    # Each message's SENT goes with the next one's INTENT: n + 1 commits, not 2n.
    assert report.confirmations >= 2 and len(smtp_server[1].messages) >= 10
    # + 1 for the last SENT, + 1 for the Nummers given out to rows typed without one.
    assert len(commits) == report.messages + 2


def test_smtp_down_fails_with_reason_and_retries_later(
    config, register, register_path, messy, sh, smtp_server
):
    from dataclasses import replace

    from klachtsheet.config import SmtpConfig

    _, handler = smtp_server
    down = replace(
        config,
        smtp=SmtpConfig(
            host="127.0.0.1",
            port=sh.free_port(),
            sender="k@voorbeeld.nl",
            security="geen",
            timeout=2,
        ),
    )
    report = run_sync(down, shared=register, today=sh.TODAY)
    assert not report.ok and "kon niet worden verstuurd" in report.failures[0]
    assert sh.by_name(sh.read_rows(register_path))["Mevr. Jansen"]["Bevestiging verstuurd op"] == ""
    assert sh.by_name(sh.read_rows(register_path))["Dhr. Peters"]["Controle"] != ""

    controller, _ = smtp_server
    up = replace(down, smtp=replace(down.smtp, port=controller.port))
    report = run_sync(up, shared=register, today=sh.TODAY)
    assert report.ok and len(mails_to(handler, "jansen@example.org")) == 1


def test_sender_may_carry_its_own_name():
    message = mailer.compose(
        to="a@example.org", to_name="Mevr. A", subject="Onderwerp", body="Tekst",
        sender="Klachten <klachten@voorbeeld.nl>", sender_name="Stichting",
    )  # fmt: skip
    assert str(message["From"]) == "Klachten <klachten@voorbeeld.nl>"
    assert str(message["To"]) == '"Mevr. A" <a@example.org>'


NAMES = st.text(st.characters(codec="utf-8", exclude_categories=["Cs", "Cc", "Zl", "Zp"]),
                max_size=40)  # fmt: skip


@settings(max_examples=150, deadline=None)
@given(
    NAMES, NAMES, NAMES, st.text(max_size=300), st.sampled_from(["", "Klachten <k@voorbeeld.nl>"])
)
def test_headers_kept_for_the_run_give_the_bytes_of_a_fresh_message(
    to_name, subject, sender_name, text, sender
):
    def composed():
        with contextlib.suppress(RowDeliveryError):
            return mailer.compose(
                to="a@example.org", to_name=to_name, subject=subject, body=text,
                sender=sender, sender_name=sender_name,
            ).as_bytes()  # fmt: skip
        return None

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(mailer, "now", lambda: datetime(2026, 11, 26, 9, 30, tzinfo=UTC))
        patch.setattr(mailer, "make_msgid", lambda domain: f"<1@{domain}>")
        composed()  # the headers of this run kept, then made again from what was kept
        kept = composed()
        patch.setattr(mailer, "POLICY", default)
        patch.setattr(mailer, "_sender", lambda name, address: Address(name, addr_spec=address))
        fresh = composed()
    assert kept == fresh
