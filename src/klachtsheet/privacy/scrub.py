"""Scrub personal data from a register and its outbox, and report what was scrubbed."""

from __future__ import annotations

import logging
import re
import shutil
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from klachtsheet import schema
from klachtsheet.exceptions import LayoutError
from klachtsheet.messages.outbox import DIGESTS_FOLDER
from klachtsheet.model import CellUpdate, Table
from klachtsheet.register import Register
from klachtsheet.schema import CONFIDENTIAL, SHARED
from klachtsheet.sync import logbook
from klachtsheet.wording import columns, count

log = logging.getLogger(__name__)

REGISTER_NAMES: dict[str, str] = {
    SHARED: "gedeelde register",
    CONFIDENTIAL: "vertrouwelijke register",
}
ACTION = "Persoonsgegevens gewist"
# A Nummer used as a folder name: no separators, no dots first, nothing that climbs out.
_SAFE_FOLDER = re.compile(r"^[0-9A-Za-z][0-9A-Za-z_-]{0,63}$")


def safe_outbox_folder(outbox_dir: Path, nummer: str) -> Path | None:
    """Return the outbox folder of a complaint, or None when the Nummer cannot be a folder name."""
    name = (nummer or "").strip()
    if not _SAFE_FOLDER.match(name):
        return None
    return outbox_dir / name


def outbox_files(outbox_dir: Path, nummer: str) -> list[Path]:
    """Return the documents in the outbox naming one complaint: its folder and the overviews."""
    folder = safe_outbox_folder(outbox_dir, nummer)
    if folder is None:
        return []
    own = []
    if folder.is_dir() and not folder.is_symlink():
        own = sorted(p for p in folder.rglob("*") if p.is_file())
    return own + digest_files(outbox_dir, nummer)


def digest_files(outbox_dir: Path, nummer: str) -> list[Path]:
    """Return the overviews (``_overzichten``) that list this complaint (names, phones)."""
    folder = outbox_dir / DIGESTS_FOLDER
    if not nummer.strip() or not folder.is_dir() or folder.is_symlink():
        return []
    return sorted(
        p
        for p in folder.iterdir()
        if p.is_file() and not p.is_symlink() and nummer.strip() in _text(p)
    )


def _text(path: Path) -> str:
    """Return a document's readable text; an e-mail decoded, whatever its transfer encoding."""
    data = path.read_bytes()
    if path.suffix != ".eml":
        return data.decode("utf-8", errors="replace")
    import email  # the outbox is scrubbed rarely; the sync imports this module every run
    import email.policy

    message = email.message_from_bytes(data, policy=email.policy.default)
    parts = []
    for part in message.walk():
        if part.get_content_maintype() == "text":
            try:
                parts.append(str(part.get_content()))
            except (LookupError, ValueError):
                continue
    return "\n".join([str(message.get("Subject", "")), *parts])


def delete_outbox(outbox_dir: Path, nummer: str) -> int:
    """Delete the outbox documents of one complaint, overviews naming it included."""
    files = outbox_files(outbox_dir, nummer)
    folder = safe_outbox_folder(outbox_dir, nummer)
    if folder is None:
        return 0
    if folder.is_dir() and not folder.is_symlink():
        shutil.rmtree(folder)
    for path in digest_files(outbox_dir, nummer):
        path.unlink(missing_ok=True)
    return len(files)


def outbox_dir_of(config, label: str) -> tuple[Path, ...]:
    """Return the outboxes of a register: the confidential one lives beside its register.

    For the confidential register the shared outbox is searched too: documents made
    before the confidential register had its own outbox may still lie there.
    """
    if label == CONFIDENTIAL:
        return (config.confidential_outbox_dir, config.outbox_dir)
    return (config.outbox_dir,)


@dataclass(frozen=True)
class RegisterOutcome:
    """What anonymising did (or would do) in one register."""

    register: str
    nummers: tuple[str, ...] = ()
    cells: int = 0
    documents: int = 0
    missing: tuple[str, ...] = ()
    ambiguous: tuple[str, ...] = ()

    @property
    def rows(self) -> int:
        return len(self.nummers)


@dataclass(frozen=True)
class AnonymisationReport:
    """What an anonymisation run did in both registers."""

    outcomes: tuple[RegisterOutcome, ...] = ()
    notes: tuple[str, ...] = ()
    dry_run: bool = False
    verb: str = field(default="geanonimiseerd", repr=False)

    @property
    def rows(self) -> int:
        return sum(o.rows for o in self.outcomes)

    @property
    def cells(self) -> int:
        return sum(o.cells for o in self.outcomes)

    @property
    def documents(self) -> int:
        return sum(o.documents for o in self.outcomes)

    @property
    def nummers(self) -> tuple[str, ...]:
        return tuple(n for o in self.outcomes for n in o.nummers)

    def lines(self) -> list[str]:
        """Return one Dutch line per register and per note."""
        result = []
        for outcome in self.outcomes:
            name = REGISTER_NAMES.get(outcome.register, outcome.register)
            if self.dry_run:
                done = f"zouden worden {self.verb}"
                gone = "zouden worden verwijderd"
            else:
                done, gone = self.verb, "verwijderd"
            result.append(
                f"Het {name}: {count(outcome.rows, 'melding', 'meldingen')} {done} "
                f"({count(outcome.cells, 'cel', 'cellen')}); "
                f"{count(outcome.documents, 'document', 'documenten')} uit het postvak-uit {gone}."
            )
            if outcome.missing:
                result.append(f"Het {name}: niet meer gevonden: {', '.join(outcome.missing)}.")
            if outcome.ambiguous:
                result.append(
                    f"Het {name}: Nummer staat er dubbel in, niets gewist: "
                    f"{', '.join(outcome.ambiguous)}; maak de Nummers eerst uniek."
                )
        result.extend(self.notes)
        return result


def anonymise_in(
    register: Register,
    label: str,
    updates: Mapping[str, Sequence[CellUpdate]],
    outbox_nummers: Iterable[str],
    *,
    outbox_dir: Path | Sequence[Path],
    reason: str,
    by: str,
    dry_run: bool,
) -> RegisterOutcome:
    """Write the blanking of one register in one update, log it, and clear the outbox.

    ``updates`` maps Nummer -> its cell updates; ``outbox_nummers`` are the complaints
    whose outbox documents go, including ones anonymised before (a crash may have
    left their documents behind).
    """
    outbox_nummers = list(dict.fromkeys(outbox_nummers))
    outboxes = [outbox_dir] if isinstance(outbox_dir, Path) else list(outbox_dir)
    if dry_run:
        found = sum(len(outbox_files(o, n)) for n in outbox_nummers for o in outboxes)
        cells = sum(len(u) for u in updates.values())
        return RegisterOutcome(label, tuple(n for n, u in updates.items() if u), cells, found)
    changes = [change for nummer_updates in updates.values() for change in nummer_updates]
    result = register.update(schema.KLACHTEN_TAB, changes) if changes else None
    skipped = set(result.missing + result.ambiguous) if result else set()
    done = [n for n, u in updates.items() if u and n not in skipped]
    blanked = set(done)  # asked once per Nummer below: a list would make that quadratic
    documents: dict[str, int] = {}
    for nummer in outbox_nummers:
        if nummer not in skipped:
            documents[nummer] = sum(delete_outbox(o, nummer) for o in outboxes)
    entries = []
    for nummer in dict.fromkeys([*done, *(n for n, d in documents.items() if d)]):
        entries.append(
            logbook.entry(
                nummer,
                ACTION,
                _details(
                    updates.get(nummer, ()) if nummer in blanked else (),
                    documents.get(nummer, 0),
                    reason,
                ),
                by=by,
            )
        )
    if entries:
        register.append(schema.LOGBOEK_TAB, entries)
    log.info(
        "anonymised %d complaint(s) in the %s register (%s), %d document(s) deleted",
        len(done),
        label,
        reason,
        sum(documents.values()),
    )
    return RegisterOutcome(
        label,
        tuple(done),
        result.written if result else 0,
        sum(documents.values()),
        result.missing if result else (),
        result.ambiguous if result else (),
    )


def _details(updates: Sequence[CellUpdate], documents: int, reason: str) -> str:
    """Name the columns and counts, never a value."""
    parts = []
    headers = [u.header for u in updates]
    if headers:
        parts.append(f"{len(headers)} {columns(headers)} leeggemaakt")
    if documents:
        parts.append(f"{count(documents, 'document', 'documenten')} uit het postvak-uit verwijderd")
    return f"{'; '.join(parts)} ({reason})"


def require_logbook(tables: Mapping[str, Table], location: str) -> None:
    """Refuse before any change when the Logboek tab is missing: every erasure is logged."""
    if schema.LOGBOEK_TAB not in tables:
        raise LayoutError(
            f"Register {location}: tabblad '{schema.LOGBOEK_TAB}' ontbreekt; "
            "voer eerst 'klachtsheet init' uit"
        )
    if schema.KLACHTEN_TAB not in tables:
        raise LayoutError(
            f"Register {location}: tabblad '{schema.KLACHTEN_TAB}' ontbreekt; "
            "voer eerst 'klachtsheet init' uit"
        )
