"""Complaint register for a volunteer charity: form, sync and team-meeting agenda."""

# Nothing is imported here: the console entry point starts reading the register before
# anything else (launch.py), and every import of this package comes first.


def __getattr__(name: str) -> str:
    # The version is looked up when asked for: importlib.metadata costs a sync's start
    # 40 ms, and only --version and the reports' footers need it. Kept once found.
    if name == "__version__":
        from importlib.metadata import PackageNotFoundError, version

        try:
            found = version("klachtsheet")
        except PackageNotFoundError:  # running from a source tree without installation
            found = "0.0.0"
        globals()["__version__"] = found
        return found
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
