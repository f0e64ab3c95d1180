"""The intake desk: validates a submission, gives it a Nummer, queues it and reports its state.

Shared by the web form and the phone-list import, so both apply the same rules.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from klachtsheet import schema
from klachtsheet.exceptions import RegisterError
from klachtsheet.intake import (
    Choices,
    FormDefinition,
    Outcome,
    Validated,
    build_complaint,
    load_forms,
    outcome,
    validate,
)
from klachtsheet.intake.queue import Entry
from klachtsheet.intake.writer import QueueWriter, Snapshot
from klachtsheet.model import Complaint, now, setting_int
from klachtsheet.privacy.confidential import stub
from klachtsheet.sync import logbook

if TYPE_CHECKING:
    from klachtsheet.config import Config

log = logging.getLogger(__name__)

ACTION = "Ingevoerd via formulier"
RECEIVED = "ontvangen_op"
WRITTEN, QUEUED, BUSY = "geschreven", "wachtrij", "bezet"


@dataclass(frozen=True)
class Receipt:
    """What happened to a submission: its Nummer, what to tell the person, and where it is."""

    token: str
    form: str
    outcome: Outcome
    state: str
    created: bool = True

    @property
    def nummer(self) -> str:
        return self.outcome.nummer


def parts(complaint: Complaint, form: str, by: str) -> dict[str, dict[str, str]]:
    """Return the rows to append for a complaint, by queue part (see queue.PARTS)."""
    # Details name the form and the state, never a value a person typed.
    details = f"Formulier {form}; {complaint.soort or 'melding'}; status {complaint.status}"
    if complaint.is_confidential:
        shared_log = logbook.entry(complaint.nummer, ACTION, details + "; vertrouwelijk", by=by)
        return {
            "vertrouwelijk": complaint.to_mapping(),
            "vertrouwelijk_logboek": logbook.entry(complaint.nummer, ACTION, details, by=by),
            "klachten": stub(complaint).to_mapping(),
            "logboek": shared_log,
        }
    return {
        "klachten": complaint.to_mapping(),
        "logboek": logbook.entry(complaint.nummer, ACTION, details, by=by),
    }


class IntakeDesk:
    """Form definitions, the register snapshot and the queue, behind one small interface."""

    def __init__(
        self,
        config: Config,
        forms: Mapping[str, FormDefinition] | None = None,
        writer: QueueWriter | None = None,
    ) -> None:
        self.config = config
        self.forms = dict(forms) if forms is not None else load_forms(config.forms_dir)
        self.writer = writer or QueueWriter.from_config(config)
        self.queue = self.writer.queue

    def form(self, name: str) -> FormDefinition | None:
        """Return the form with this name, or None."""
        return self.forms.get(name)

    def snapshot(self) -> Snapshot:
        """Return the latest view of the register (read once, refreshed by the writer)."""
        return self.writer.current()

    def choices(self) -> Choices:
        """Return the live choices (locations, active categories)."""
        snap = self.snapshot()
        return Choices(snap.locations, snap.catalogue)

    def validate(
        self, form: FormDefinition, raw: Mapping[str, str], *, lenient: bool = False
    ) -> Validated:
        """Validate submitted values against the form and the live choices."""
        checked = validate(form, raw, self.choices(), lenient=lenient)
        snap = self.snapshot()
        category = snap.catalogue.match(checked.values.get("categorie", ""))
        confidential = checked.values.get("vertrouwelijk") == schema.YES or bool(
            category and category.confidential
        )
        if confidential and not snap.settings.get("vertrouwenspersoon", "").strip():
            keys = [i.key for i in form.fields]
            key = "vertrouwelijk" if "vertrouwelijk" in keys else "categorie"
            if key in keys and key not in checked.errors:
                checked.errors[key] = (
                    "Er is nog geen vertrouwenspersoon ingesteld, dus niemand zou deze "
                    "vertrouwelijke melding krijgen. Bel de back office, of vink "
                    "vertrouwelijk uit als de deelnemer dat goed vindt."
                )
        return checked

    def submit(
        self, form: FormDefinition, values: Mapping[str, str], token: str, by: str = "formulier"
    ) -> Receipt:
        """Journal validated values durably under a new Nummer (or the token's earlier one)."""
        return self.submit_many(form, [(token, values)], by)[0]

    def submit_many(
        self, form: FormDefinition, items: Sequence[tuple[str, Mapping[str, str]]], by: str
    ) -> list[Receipt]:
        """Journal several validated submissions in one durable write, all or none."""
        snap = self.snapshot()
        days, _ = setting_int(snap.settings, "antwoordtermijn")

        def builder(values: Mapping[str, str]):
            def build(nummer: str):
                complaint = build_complaint(form, values, nummer, now(), snap.catalogue)
                if values.get(RECEIVED) and all(i.key != RECEIVED for i in form.fields):
                    # A phone list says when the call came in (step 3: yesterday's calls).
                    complaint = complaint.with_values(ontvangen_op=values[RECEIVED])
                category = snap.catalogue.match(complaint.categorie)
                told = outcome(complaint, category, days, snap.settings)
                return told.to_dict(), parts(complaint, form.name, by)

            return build

        results = self.queue.submit_many(
            [(token, form.name, builder(values)) for token, values in items],
            known=snap.nummers,
        )
        receipts = []
        for entry, created in results:
            receipts.append(self._receipt(entry, created))
            if created:
                log.info("submission %s queued (form %s)", entry.nummer, form.name)
        return receipts

    def write_now(self) -> None:
        """Get queued submissions written: wake the background writer, or write here."""
        if self.writer.running:
            self.writer.notify()
            return
        # A busy register leaves it queued; the writer keeps the reason for the result page.
        with contextlib.suppress(RegisterError):
            self.writer.flush()

    def wait(self, token: str, timeout: float) -> None:
        """Wait (at most timeout seconds) until a submission is written or a write fails."""
        if timeout > 0 and self.writer.running:
            self.writer.wait_for(token, timeout)

    def receipt(self, token: str) -> Receipt | None:
        """Return the current state of the submission with this token."""
        entry = self.queue.lookup(token)
        return self._receipt(entry, False) if entry is not None else None

    def _receipt(self, entry: Entry, created: bool) -> Receipt:
        if entry.done:
            state = WRITTEN
        elif self.writer.last_error:
            state = BUSY
        else:
            state = QUEUED
        return Receipt(entry.id, entry.form, Outcome.from_dict(entry.outcome), state, created)

    def pending_count(self) -> int:
        """Return how many submissions wait for the register."""
        return len(self.queue.pending())

    def __repr__(self) -> str:
        return f"IntakeDesk(forms={sorted(self.forms)}, queue={self.queue.directory})"
