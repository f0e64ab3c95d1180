"""The embedded register: an .xlsx workbook read with calamine and patched in place.

Part-modules: ``register`` (LocalRegister: locking, cache, the Protocol's operations),
``book`` (the workbook in memory), ``reader`` (python-calamine; ``klachtsheet.readahead``
starts it in a background thread), ``sheetxml`` and ``cellstyles`` (patching one worksheet
and the date styles), ``package`` (the zip, raw copies), ``lock`` (file lock,
LibreOffice/Excel lock files), ``layout`` (openpyxl: init).
"""

from klachtsheet.register.local.register import LocalRegister

__all__ = ["LocalRegister"]
