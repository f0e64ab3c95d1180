"""Dutch error pages for every error the app can answer with."""

from __future__ import annotations

import time

from flask import Blueprint, current_app, render_template
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

from klachtsheet.web.attempts import wait_text

bp = Blueprint("errors", __name__)

MESSAGES = {
    400: ("Er ging iets mis", "Het verzoek was niet compleet. Ga terug en probeer het opnieuw."),
    403: ("Geen toegang", "U heeft geen toegang tot deze pagina."),
    404: ("Pagina niet gevonden", "Deze pagina bestaat niet. Controleer het adres."),
    405: ("Er ging iets mis", "Deze pagina kan zo niet worden gebruikt."),
    413: ("Te veel tekst", "U heeft meer tekst verstuurd dan het formulier aankan. "
          "Maak de omschrijving korter en probeer het opnieuw."),
    429: ("Even wachten", "Er zijn te veel pogingen gedaan. Wacht {wacht} en probeer "
          "het dan opnieuw."),
    500: ("Er ging iets mis", "Er ging iets mis aan onze kant. Probeer het later opnieuw."),
}  # fmt: skip
CSRF_MESSAGE = (
    "Deze pagina was verlopen of is niet via het formulier verstuurd. Ga terug, laad de "
    "pagina opnieuw en verstuur het formulier nog een keer."
)


@bp.app_errorhandler(CSRFError)
def csrf_error(error: CSRFError):
    """Tell the person the page expired (a missing or wrong CSRF token)."""
    return render_template("errors/fout.html", title="Pagina verlopen", message=CSRF_MESSAGE), 400


@bp.app_errorhandler(HTTPException)
def http_error(error: HTTPException):
    """Show any HTTP error as a Dutch page with the same status."""
    code = error.code or 500
    title, message = MESSAGES.get(code, MESSAGES[500] if code >= 500 else MESSAGES[400])
    if code == 429:
        message = message.format(wacht=wait_text(_retry_after(error)))
    response = error.get_response()
    response.data = render_template("errors/fout.html", title=title, message=message)
    response.mimetype = "text/html"
    return response, code


def _retry_after(error: HTTPException) -> float:
    """Return how many seconds the person really has to wait."""
    known = getattr(error, "retry_after", None)
    if known is not None:
        return float(known)
    limiter = current_app.extensions.get("klachtsheet_limiter")
    current = getattr(limiter, "current_limit", None) if limiter is not None else None
    if current is not None:
        return max(1.0, float(current.reset_at) - time.time())
    return 60.0


@bp.app_errorhandler(500)
def server_error(error: Exception):
    """Show an unexpected failure without details (they may hold personal data)."""
    title, message = MESSAGES[500]
    return render_template("errors/fout.html", title=title, message=message), 500
