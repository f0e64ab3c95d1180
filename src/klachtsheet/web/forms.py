"""The forms: access code, filling in, and the page with the Nummer (Post/Redirect/Get)."""

from __future__ import annotations

import json
import re
import secrets
from typing import TYPE_CHECKING, Any, cast

from flask import (
    Blueprint,
    Flask,
    abort,
    current_app,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from werkzeug.security import check_password_hash

from klachtsheet import intake
from klachtsheet.exceptions import RegisterError
from klachtsheet.intake import FormDefinition, FormField
from klachtsheet.intake.desk import IntakeDesk
from klachtsheet.web.attempts import Attempts

if TYPE_CHECKING:
    from flask.typing import RouteCallable
from klachtsheet.web import history

bp = Blueprint("forms", __name__)

TOKEN = re.compile(r"^[A-Za-z0-9_-]{16,64}$")
ACCESS_KEY = "toegang"


def _desk() -> IntakeDesk:
    return current_app.extensions["klachtsheet"]


def _form_or_404(name: str) -> FormDefinition:
    form = _desk().form(name)
    if form is None:
        abort(404)
    return form


def _code_hash(name: str) -> str | None:
    return current_app.extensions["klachtsheet_config"].server.access_codes.get(name)


def _has_access(name: str) -> bool:
    return name in session.get(ACCESS_KEY, [])


@bp.get("/")
def index():
    """List the forms."""
    forms = sorted(_desk().forms.values(), key=lambda f: f.title)
    return render_template("forms/index.html", forms=forms)


@bp.route("/formulier/<name>/toegang", methods=["GET", "POST"])
def access(name: str):
    """Ask for the form's access code."""
    form = _form_or_404(name)
    hashed = _code_hash(name)
    if hashed is None:
        return render_template("forms/gesloten.html", form=form), 403
    error = None
    if request.method == "POST":
        code = request.form.get("code", "")
        attempts: Attempts = current_app.extensions["klachtsheet_attempts"]
        key = f"{get_remote_address()}|{name}"
        # Reserve the try before checking: concurrent guesses never get extra tries.
        attempts.reserve(key)
        if code and len(code) <= 200 and check_password_hash(hashed, code):
            attempts.refund(key)  # only wrong codes count: a team may share an address
            session.permanent = True
            session[ACCESS_KEY] = sorted({*session.get(ACCESS_KEY, []), name})
            return redirect(url_for("forms.show", name=name), 303)
        error = "Deze toegangscode klopt niet. Controleer de code en probeer het opnieuw."
    status = 401 if error else 200
    return render_template("forms/toegang.html", form=form, error=error), status


@bp.post("/formulier/<name>/afmelden")
def sign_out(name: str):
    """Forget the access to this form (for a shared computer)."""
    _form_or_404(name)
    session[ACCESS_KEY] = [n for n in session.get(ACCESS_KEY, []) if n != name]
    return redirect(url_for("forms.index"), 303)


@bp.get("/formulier/<name>")
def show(name: str):
    """Show an empty form with a fresh one-time token."""
    form = _form_or_404(name)
    if not _has_access(name):
        return redirect(url_for("forms.access", name=name), 303)
    return _render_form(form, {}, {}, secrets.token_urlsafe(24))


@bp.post("/formulier/<name>")
def submit(name: str):
    """Validate, journal durably, and redirect to the page with the Nummer."""
    form = _form_or_404(name)
    if not _has_access(name):
        return redirect(url_for("forms.access", name=name), 303)
    token = request.form.get("inzending", "")
    if not TOKEN.match(token):
        abort(400)
    desk = _desk()
    earlier = desk.receipt(token)
    if earlier is not None:
        # A double click or a resubmitted page: the same Nummer, never a second row.
        return redirect(url_for("forms.received", name=name, token=token), 303)
    raw = {item.key: request.form.get(item.key, "") for item in form.fields}
    try:
        checked = desk.validate(form, raw)
    except RegisterError:
        return render_template("forms/onbereikbaar.html", form=form), 503
    if not checked.ok:
        return _render_form(form, checked.values, checked.errors, token), 422
    desk.submit(form, checked.values, token, by="formulier")
    desk.write_now()
    desk.wait(token, float(current_app.config["KLACHTSHEET_WAIT_FOR_WRITE"]))
    return redirect(url_for("forms.received", name=name, token=token), 303)


@bp.get("/formulier/<name>/ontvangen/<token>")
def received(name: str, token: str):
    """Show the Nummer, and what happens next."""
    form = _form_or_404(name)
    if not _has_access(name):
        return redirect(url_for("forms.access", name=name), 303)
    receipt = _desk().receipt(token) if TOKEN.match(token) else None
    if receipt is None or receipt.form != name:
        abort(404)
    return render_template("forms/ontvangen.html", form=form, receipt=receipt, told=receipt.outcome)


def _render_form(
    form: FormDefinition,
    values: dict[str, str],
    errors: dict[str, str],
    token: str,
    extra: dict[str, Any] | None = None,
):
    try:
        choices = _desk().choices()
    except RegisterError:
        return render_template("forms/onbereikbaar.html", form=form), 503
    fields = [_view(form, item, values, errors, choices) for item in form.fields]
    # The caller-history panel (web/history.py) for the forms that show it.
    panel = {"history_enabled": history.enabled(form.name), **(extra or {})}
    return render_template(
        "forms/formulier.html", form=form, fields=fields, errors=errors, token=token, **panel
    )


def _view(form, item: FormField, values, errors, choices: intake.Choices) -> dict[str, Any]:
    """Everything the template needs for one field."""
    conditions = [form.describe(c) for c in item.show_if]
    required_when = [form.describe(c) for c in item.required_if]
    options = list(choices.for_field(item))
    typed = choices.asked_as_text(item)
    widget = "text" if typed else _widget(item, options)
    show_if = {c.key: list(c.values) for c in item.show_if}
    return {
        "item": item,
        "id": f"veld-{item.key}",
        "value": values.get(item.key, ""),
        "error": errors.get(item.key),
        "widget": widget,
        "options": options,
        "note": _empty_list_note(item) if typed else "",
        "required": item.required and not item.show_if,
        "conditions": conditions,
        "required_when": required_when,
        "show_if": json.dumps(show_if) if show_if else "",
        "first_id": f"veld-{item.key}-0" if widget in ("radio", "janee") else f"veld-{item.key}",
    }


def _empty_list_note(item: FormField) -> str:
    return (
        f"Het tabblad {item.choices_from} in het register heeft nog geen keuzes: typ het "
        "antwoord zelf. Het kantoor vult de lijst aan."
    )


def _widget(item: FormField, options: list[str]) -> str:
    if item.type == intake.YES_NO:
        return "vinkje" if item.as_checkbox else "janee"
    if item.type == intake.CHOICE:
        return "radio" if len(options) <= 5 else "select"
    return {
        intake.LONG: "textarea",
        intake.DATE: "date",
        intake.PHONE: "tel",
        intake.EMAIL: "email",
    }.get(item.type, "text")


def apply_limits(app: Flask, limiter: Limiter) -> None:
    """Limit wrong access codes and submissions per address (limits are per app)."""
    # Wrong codes: counted atomically in the view itself (web/attempts.py).
    app.extensions["klachtsheet_attempts"] = Attempts(app.config["KLACHTSHEET_CODE_LIMIT"])
    # flask-limiter keeps the view's own type; Flask types its views as sync-or-async.
    views = app.view_functions
    views["forms.submit"] = cast(
        "RouteCallable",
        limiter.limit(lambda: app.config["KLACHTSHEET_SUBMIT_LIMIT"], methods=["POST"])(
            views["forms.submit"]
        ),
    )
