"""Health check for monitoring: is the app up, and how many submissions wait."""

from __future__ import annotations

from flask import Blueprint, current_app, jsonify

bp = Blueprint("health", __name__)


@bp.get("/health")
def health():
    """Report that the app runs and how many submissions wait for the register (no data)."""
    desk = current_app.extensions["klachtsheet"]
    return jsonify(status="ok", wachtrij=desk.pending_count())
