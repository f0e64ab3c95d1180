"""Dutch error pages for every error the app can answer with."""

from __future__ import annotations

from flask import Blueprint, render_template
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

bp = Blueprint("errors", __name__)

MESSAGES = {
    400: ("Er ging iets mis", "Het verzoek was niet compleet. Ga terug en probeer het opnieuw."),
    403: ("Geen toegang", "U heeft geen toegang tot deze pagina."),
    404: ("Pagina niet gevonden", "Deze pagina bestaat niet. Controleer het adres."),
    405: ("Er ging iets mis", "Deze pagina kan zo niet worden gebruikt."),
    413: ("Te veel tekst", "U heeft meer tekst verstuurd dan het formulier aankan. "
          "Maak de omschrijving korter en probeer het opnieuw."),
    429: ("Even wachten", "Er zijn te veel pogingen gedaan. Wacht een kwartier en probeer "
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
    response = error.get_response()
    response.data = render_template("errors/fout.html", title=title, message=message)
    response.mimetype = "text/html"
    return response, code


@bp.app_errorhandler(500)
def server_error(error: Exception):
    """Show an unexpected failure without details (they may hold personal data)."""
    title, message = MESSAGES[500]
    return render_template("errors/fout.html", title=title, message=message), 500
