"""Wait while a person has the local workbook open, so the sync does its work after all.

The back office keeps the workbook open all day; LibreOffice and Excel then hold a lock
file and the workbook cannot be saved. The sync checks before it writes or sends
anything, waits up to ``[register] wachten_als_geopend`` seconds, and gives up with a
message that names who has it open, having sent nothing.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Sequence

from klachtsheet.exceptions import RegisterOpen
from klachtsheet.register import Register
from klachtsheet.wording import count

log = logging.getLogger(__name__)

POLL_SECONDS = 5.0
Notify = Callable[[str], None]


def opened_by(register: Register) -> str | None:
    """Return who has a register open in a spreadsheet program; None for Google or nobody."""
    probe = getattr(register, "opened_by", None)
    return probe() if callable(probe) else None


def wait_until_closed(
    registers: Sequence[Register | None],
    timeout: float,
    *,
    notify: Notify | None = None,
    poll: float | None = None,
    clock: Callable[[], float] = time.monotonic,
    sleep: Callable[[float], None] = time.sleep,
    what: str = "de dagelijkse controle",
) -> float:
    """Return once no register is open in LibreOffice or Excel; the seconds waited.

    Raises RegisterOpen after ``timeout`` seconds, naming who has it open.
    """
    start = clock()
    told = ""
    # A short wait (as in tests) is checked more often than every few seconds.
    poll = poll if poll is not None else min(POLL_SECONDS, max(0.2, timeout / 20))
    while True:
        holders = [(r, who) for r in registers if r is not None and (who := opened_by(r))]
        if not holders:
            if told and notify is not None:
                notify(f"Het register is gesloten; {what} gaat verder.")
            return clock() - start
        register, who = holders[0]
        name = _name(register)
        waited = clock() - start
        if waited >= timeout:
            raise RegisterOpen(
                f"Register {name} is geopend door {who}; {_duration(timeout)} gewacht. "
                f"{what[0].upper()}{what[1:]} is gestopt zonder iets te versturen of te "
                "schrijven; sluit het bestand en probeer het opnieuw (een ingeplande "
                "controle doet het de volgende keer)."
            )
        message = (
            f"Register {name} is geopend door {who}; {what} wacht tot het "
            f"gesloten is (hoogstens {_duration(timeout)})."
        )
        if message != told:
            told = message
            log.info("register open elsewhere; waiting up to %.0f s", timeout)
            if notify is not None:
                notify(message)
        sleep(max(0.0, min(poll, timeout - waited)))


def _name(register: Register) -> str:
    path = getattr(register, "path", None)
    return getattr(path, "name", None) or register.location


def _duration(seconds: float) -> str:
    if seconds >= 120:
        return count(round(seconds / 60), "minuut", "minuten")
    return count(round(seconds), "seconde", "seconden")
