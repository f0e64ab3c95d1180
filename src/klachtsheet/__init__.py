"""Complaint register for a volunteer charity: form, sync and team-meeting agenda."""

from functools import cache


def __getattr__(name: str) -> str:
    # The version is looked up when asked for: importlib.metadata costs a sync's start
    # 40 ms, and only --version and the reports' footers need it.
    if name == "__version__":
        return _version()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


@cache
def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("klachtsheet")
    except PackageNotFoundError:  # running from a source tree without installation
        return "0.0.0"
