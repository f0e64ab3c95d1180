"""Complaint register for a volunteer charity: form, sync and team-meeting agenda."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("klachtsheet")
except PackageNotFoundError:  # running from a source tree without installation
    __version__ = "0.0.0"
