"""Record what the sync did: the change set into the register, one Logboek line per action."""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

from klachtsheet import schema
from klachtsheet.model import now
from klachtsheet.register import Register
from klachtsheet.rules import escalation as esc
from klachtsheet.rules import followup as fu
from klachtsheet.schema import CONFIDENTIAL, SHARED
from klachtsheet.sync.changeset import Change, ChangeSet
from klachtsheet.sync.deliver import RowFailure
from klachtsheet.sync.digests import BACKOFFICE, BACKOFFICE_COPY, MANAGER_OVERDUE
from klachtsheet.sync.logbook import entry
from klachtsheet.sync.plan import (
    AANGIFTE,
    ANTWOORD,
    BEVESTIGD,
    BY,
    CONFIRMATION,
    CONTROLE,
    COORDINATOR,
    COORDINATOR_MAIL,
    FIRST_LINE,
    MEDEWERKER,
    NUMMER,
    Unit,
)
from klachtsheet.sync.report import plural

if TYPE_CHECKING:
    pass


log = logging.getLogger(__name__)


def write_changes(
    changes: ChangeSet, shared: Register, confidential: Register | None
) -> tuple[int, tuple[str, ...]]:
    """Write each register's changes in one update; report rows that were gone."""
    written = 0
    warnings = []
    for register, name in ((shared, SHARED), (confidential, CONFIDENTIAL)):
        updates = changes.updates(name)
        if register is None or not updates:
            continue
        result = register.update(schema.KLACHTEN_TAB, updates)
        written += result.written
        for n in result.missing:
            warnings.append(
                f"Nummer {n} is tijdens de sync verdwenen of veranderd; de volgende sync "
                "probeert het opnieuw"
            )
        for n in result.ambiguous:
            warnings.append(f"Nummer {n} staat meer dan eens in het register; niet bijgewerkt")
        for n in result.changed_meanwhile:
            warnings.append(
                f"Nummer {n}: iemand vulde tijdens de sync zelf een cel in; die is niet "
                "overschreven"
            )
    return written, tuple(warnings)


def write_logbook(
    changes: ChangeSet,
    delivered: Sequence[Unit],
    shared: Register,
    confidential: Register | None,
    failures: Sequence[RowFailure] = (),
    extra: Mapping[str, Sequence[dict[str, str]]] | None = None,
) -> None:
    """Append what the sync did to each register's Logboek in one call: no personal data."""
    at = now()
    lines: dict[str, list[dict[str, str]]] = {SHARED: [], CONFIDENTIAL: []}
    for register_name, extra_lines in (extra or {}).items():
        lines.setdefault(register_name, []).extend(extra_lines)
    by_row: dict[tuple[str, str], list[Change]] = {}
    for change in changes.changes:
        by_row.setdefault((change.register, change.nummer), []).append(change)
    for (where, n), row_changes in by_row.items():
        for action, details in _row_actions(row_changes):
            lines[where].append(entry(n, action, details, BY, at))
    for unit in delivered:
        lines[unit.outgoing.register] += delivery_lines(unit, at)
    for failure in failures:
        if failure.nummer:
            # One line per row, reason and day: an hourly sync does not repeat it (the Id).
            key = f"mislukt|{failure.register}|{failure.nummer}|{failure.reason}|{at.date()}"
            line_id = "m-" + hashlib.sha256(key.encode()).hexdigest()[:14]
            lines[failure.register].append(
                entry(failure.nummer, "Versturen mislukt", failure.reason, BY, at, line_id)
            )
    for target, name in ((shared, SHARED), (confidential, CONFIDENTIAL)):
        if target is not None and lines[name]:
            target.append(schema.LOGBOEK_TAB, lines[name])


def delivery_lines(unit: Unit, at) -> list[dict[str, str]]:
    """Return the Logboek lines of one delivered message: one per complaint it is about."""
    if unit.outgoing.kind in esc.KINDS and unit.digest is not None:
        # One line per complaint and step (issue 16): the step is what people look up.
        return escalation_lines(unit.digest, at)
    action, details = _delivery_action(unit)
    if not action:
        return []
    if unit.digest is not None:
        # One line per complaint in the overview: a joined list of Nummers would pass
        # Google's 50,000 characters per cell at a few thousand complaints.
        return [entry(row.nummer, action, details, BY, at) for row in unit.digest.items]
    return [entry(unit.outgoing.nummer, action, details, BY, at)]


def escalation_lines(digest: fu.Digest, at) -> list[dict[str, str]]:
    """Return the Logboek lines of one escalation message: one per complaint."""
    who = "regiocoördinator" if digest.kind == esc.REGION else "klachtmanager"
    return [
        entry(row.nummer, esc.ACTIONS[digest.kind], f"per e-mail aan de {who}", BY, at)
        for row in digest.items
    ]


def _row_actions(changes: Sequence[Change]) -> list[tuple[str, str]]:
    actions = []
    for change in changes:
        if change.header == NUMMER:
            actions.append(("Nummer toegekend", "rij zonder nummer"))
        elif change.header == COORDINATOR:
            actions.append(("Coördinator toegewezen", "kolom Coördinator was leeg"))
        elif change.header == ANTWOORD:
            actions.append(("Antwoord uiterlijk bijgewerkt", change.new or "leeggemaakt"))
        elif change.header == AANGIFTE:
            actions.append(("Aangifte-advies bijgewerkt", change.new or "leeggemaakt"))
        elif change.header == BEVESTIGD:
            actions.append(("Bevestiging verstuurd", change.new))
        elif change.header == MEDEWERKER:
            actions.append(("Teruggekoppeld medewerker op ingevuld", change.new))
        elif change.header == CONTROLE:
            count = len(change.new.split("; ")) if change.new else 0
            details = plural(count, "opmerking", "opmerkingen") if count else "alles in orde"
            actions.append(("Controle bijgewerkt", details))
    return actions


def _delivery_action(unit: Unit) -> tuple[str, str]:
    kind = unit.outgoing.kind
    if kind == CONFIRMATION:
        return "", ""  # logged with its Bevestiging verstuurd op
    if kind == COORDINATOR_MAIL:
        return "Coördinator geïnformeerd", "per e-mail"
    if kind == FIRST_LINE:
        return "Medewerker 1e lijn geïnformeerd", "terugkoppeling per e-mail"
    names = {
        fu.OVERDUE: "Overzicht te laat verstuurd",
        fu.PHONE_SERVICE: "Overzicht telefoondienst verstuurd",
        fu.SATISFACTION: "Bellijst tevredenheid verstuurd",
        BACKOFFICE: "Niet over te dragen: back office ingelicht",
        BACKOFFICE_COPY: "Niet over te dragen: klachtmanager ingelicht",
        MANAGER_OVERDUE: "Overzicht te laat aan klachtmanager verstuurd",
    }
    count = len(unit.digest.items) if unit.digest is not None else 0
    return names[kind], f"in overzicht van {plural(count, 'melding', 'meldingen')}"
