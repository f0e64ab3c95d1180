"""Caller history on the phone service's form: earlier complaints and "Waar is mijn klacht?".

Only behind the form's access code. Without JavaScript the buttons post the whole form
back (so nothing typed is lost) and the page shows the results; with it, the script asks
the JSON routes while the phone service types.
"""

from __future__ import annotations

import threading
import time
from datetime import date

from flask import Blueprint, Flask, abort, current_app, jsonify, request
from flask_limiter import Limiter

from klachtsheet import schema
from klachtsheet.exceptions import RegisterError
from klachtsheet.intake.history import HistoryIndex, Query
from klachtsheet.messages.texts import datum
from klachtsheet.model import complaints, now
from klachtsheet.register import open_register

bp = Blueprint("history", __name__)

# Forms that show the caller's history (the volunteer's form does not).
HISTORY_FORMS = ("telefoondienst",)
# Seconds the Klachten rows are reused between look-ups (typing asks many times).
CACHE_SECONDS = 30.0
LOOKUP_LIMIT = "120 per minute;1500 per hour"


class RowCache:
    """The Klachten rows of the shared register, read at most once per CACHE_SECONDS."""

    def __init__(self, location: str, config) -> None:
        self.location, self.config = location, config
        self.index = HistoryIndex([])
        self.read_at = -CACHE_SECONDS
        self.lock = threading.Lock()

    def current(self) -> HistoryIndex:
        with self.lock:
            if time.monotonic() - self.read_at >= CACHE_SECONDS:
                register = open_register(self.location, self.config)
                table = register.read([schema.KLACHTEN_TAB]).get(schema.KLACHTEN_TAB)
                self.index = HistoryIndex(complaints(table) if table is not None else [])
                self.read_at = time.monotonic()
            return self.index

    def forget(self) -> None:
        with self.lock:
            self.read_at = -CACHE_SECONDS


def _cache() -> RowCache:
    cache = current_app.extensions.get("klachtsheet_history")
    if cache is None:
        config = current_app.extensions["klachtsheet_config"]
        cache = RowCache(config.register, config)
        current_app.extensions["klachtsheet_history"] = cache
    return cache


def _today() -> date:
    override = current_app.config.get("KLACHTSHEET_TODAY")
    return override if isinstance(override, date) else now().date()


def enabled(name: str) -> bool:
    """Tell whether this form shows the caller's history."""
    return name in HISTORY_FORMS


def query_from(values) -> Query:
    """Return the query from submitted form values (the form's own field names)."""
    return Query(
        deelnemernummer=str(values.get("deelnemernummer", ""))[:60],
        telefoon=str(values.get("telefoon", ""))[:60],
        naam=str(values.get("deelnemer", ""))[:200],
    )


def lookups(values, *, want_history: bool, want_nummer: bool) -> dict:
    """Return the template context of the history panel for posted values."""
    context: dict = {"history_enabled": True}
    try:
        index = _cache().current()
    except RegisterError:
        context["history_error"] = "Het register is nu niet bereikbaar; probeer het zo opnieuw."
        return context
    if want_history:
        query = query_from(values)
        context["history_searched"] = not query.empty
        context["history"] = index.history(query, _today())
    if want_nummer:
        typed = str(values.get("waar_nummer", ""))[:40]
        context["waar_nummer"] = typed
        context["waar_searched"] = True
        context["waar"] = index.whereabouts(typed)
    return context


def _check(name: str) -> None:
    from klachtsheet.web.forms import _form_or_404, _has_access

    _form_or_404(name)
    if not enabled(name) or not _has_access(name):
        abort(403)


@bp.post("/formulier/<name>/historie.json")
def history_json(name: str):
    """Return the caller's earlier complaints as JSON (for the script)."""
    _check(name)
    try:
        index = _cache().current()
    except RegisterError:
        return jsonify({"fout": "Het register is nu niet bereikbaar."}), 503
    query = query_from(request.form)
    found = index.history(query, _today())
    items = [{**e.to_dict(), "ontvangen_tekst": datum(e.ontvangen)} for e in found]
    return jsonify({"gezocht": not query.empty, "meldingen": items})


@bp.post("/formulier/<name>/waar.json")
def where_json(name: str):
    """Return the status and answer-by date of one Nummer as JSON (for the script)."""
    _check(name)
    try:
        index = _cache().current()
    except RegisterError:
        return jsonify({"fout": "Het register is nu niet bereikbaar."}), 503
    found = index.whereabouts(str(request.form.get("waar_nummer", ""))[:40])
    item = None
    if found is not None:
        item = {
            **found.to_dict(),
            "antwoord_uiterlijk_tekst": datum(found.antwoord_uiterlijk, "full"),
            "afgesloten_op_tekst": datum(found.afgesloten_op),
        }
    return jsonify({"gevonden": found is not None, "melding": item})


@bp.post("/formulier/<name>/zoeken")
def lookup(name: str):
    """Without script: show the form again, as typed, with the history or the Nummer's state."""
    from klachtsheet.web.forms import TOKEN, _form_or_404, _render_form

    form = _form_or_404(name)
    _check(name)
    token = request.form.get("inzending", "")
    if not TOKEN.match(token):
        abort(400)
    values = {item.key: request.form.get(item.key, "") for item in form.fields}
    want_nummer = request.form.get("zoek") == "nummer"
    extra = lookups(request.form, want_history=not want_nummer, want_nummer=want_nummer)
    return _render_form(form, values, {}, token, extra)


def apply_limits(app: Flask, limiter: Limiter) -> None:
    """Limit look-ups per address: enough for typing, too few to walk through Nummers."""
    for view in ("history.history_json", "history.where_json", "history.lookup"):
        if view in app.view_functions:
            app.view_functions[view] = limiter.limit(LOOKUP_LIMIT)(app.view_functions[view])  # type: ignore[assignment]
