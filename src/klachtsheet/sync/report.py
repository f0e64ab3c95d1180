"""What one sync did, as a record and as one Dutch line."""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from klachtsheet.sync.changeset import ChangeSet
from klachtsheet.sync.plan import CONFIRMATION, COORDINATOR, NUMMER, Plan, Unit

if TYPE_CHECKING:
    pass


log = logging.getLogger(__name__)


@dataclass(frozen=True)
class HelpdeskReport:
    """What the help-desk additions did in one sync (issue 16)."""

    escalated: int = 0
    changes_seen: int = 0
    print_file: str = ""
    scripts_file: str = ""

    def parts(self, dry_run: bool = False) -> list[str]:
        parts = []
        if self.escalated:
            # Steps, not complaints: one complaint may reach both steps on the same day.
            parts.append(plural(self.escalated, "escalatie", "escalaties"))
        if self.changes_seen:
            logged = " te loggen" if dry_run else " gelogd"
            parts.append(plural(self.changes_seen, "wijziging", "wijzigingen") + logged)
        return parts

    @staticmethod
    def _in(path: str) -> str:
        return f" ({path})" if path else ""


@dataclass(frozen=True)
class SyncReport:
    """What one sync did (or, in a dry run, would do)."""

    checked: int = 0
    assigned: int = 0
    numbered: int = 0
    confirmations: int = 0
    letters: int = 0
    phone_scripts: int = 0
    overdue: int = 0
    with_problems: int = 0
    messages: int = 0
    written: int = 0
    changes: ChangeSet = field(default_factory=ChangeSet)
    proposed_categories: Mapping[str, int] = field(default_factory=dict)
    warnings: tuple[str, ...] = ()
    failures: tuple[str, ...] = ()
    dry_run: bool = False
    # Complaints whose personal data the retention term removed (or would remove).
    anonymised: int = 0
    # Whether e-mail went out over SMTP, or only to the outbox.
    mailed: bool = True
    # Rows whose messages could not be made or sent (each has a Controle message).
    not_done: int = 0
    # Escalations, changes people made, the day's print run (sync/helpdesk.py, issue 16).
    extra: HelpdeskReport = field(default_factory=lambda: HelpdeskReport())

    @property
    def ok(self) -> bool:
        return not self.failures

    def summary(self) -> str:
        """Return one Dutch line: what was checked, assigned, confirmed and is overdue."""
        # Without a mail server nothing leaves: the confirmations wait in the outbox.
        sent = "te versturen" if self.dry_run else ("verstuurd" if self.mailed else "klaargezet")
        parts = [
            plural(self.checked, "melding", "meldingen") + " gecontroleerd",
            f"{self.assigned} toegewezen",
            plural(self.confirmations, "bevestiging", "bevestigingen") + f" {sent}",
            f"{self.overdue} te laat",
        ]
        if self.numbered:
            parts.append(plural(self.numbered, "nummer", "nummers") + " toegekend")
        if self.letters:
            # The day's print run names its file (issue 16).
            parts.append(
                plural(self.letters, "brief", "brieven")
                + " te printen"
                + self.extra._in(self.extra.print_file)
            )
        if self.phone_scripts:
            parts.append(
                plural(self.phone_scripts, "belscript", "belscripts")
                + " klaargezet"
                + self.extra._in(self.extra.scripts_file)
            )
        if self.with_problems:
            parts.append(f"{self.with_problems} met een opmerking in Controle")
        if self.anonymised:
            parts.append(f"{self.anonymised} geanonimiseerd (bewaartermijn)")
        parts += self.extra.parts(self.dry_run)
        if self.proposed_categories:
            n = len(self.proposed_categories)
            parts.append(plural(n, "nieuwe categorie", "nieuwe categorieën") + " voorgesteld")
        if self.not_done:
            parts.append(plural(self.not_done, "rij", "rijen") + " niet afgehandeld (zie Controle)")
        line = ", ".join(parts)
        return f"Proefdraai, niets geschreven of verstuurd: {line}" if self.dry_run else line


def plural(n: int, one: str, many: str) -> str:
    return f"{n} {one if n == 1 else many}"


def build_report(
    the_plan: Plan,
    changes: ChangeSet,
    *,
    delivered: Sequence[Unit],
    written: int,
    warnings: Sequence[str],
    failures: Sequence[str],
    dry_run: bool,
    anonymised: int = 0,
    mailed: bool = True,
    not_done: int = 0,
    extra: HelpdeskReport | None = None,
) -> SyncReport:
    confirmations = [u for u in delivered if u.outgoing.kind == CONFIRMATION]
    controle = {(row.register, row.nummer) for row in the_plan.rows if row.review.messages}
    return SyncReport(
        checked=the_plan.checked,
        assigned=sum(1 for c in changes.changes if c.header == COORDINATOR),
        numbered=sum(1 for c in changes.changes if c.header == NUMMER),
        confirmations=len(confirmations),
        letters=sum(1 for u in confirmations if u.outgoing.via == "Brief"),
        phone_scripts=sum(1 for u in confirmations if u.outgoing.via == "Telefoon"),
        overdue=the_plan.overdue,
        with_problems=len(controle),
        messages=len(delivered),
        written=written,
        changes=changes,
        proposed_categories=dict(the_plan.proposed),
        warnings=tuple(dict.fromkeys(warnings)),
        failures=tuple(failures),
        dry_run=dry_run,
        anonymised=anonymised,
        mailed=mailed,
        not_done=not_done,
        extra=extra or HelpdeskReport(),
    )
