"""Helpers shared by the test areas and the benchmarks; pytest puts tests/ on sys.path.

- ``support.fake_sheets``: a stateful fake of the Google Sheets API v4, served over HTTP.
- ``support.intake``: configurations, complaints and form posts for the intake tests.
- ``support.google``: pytest fixtures of the fake (a plugin of tests/conftest.py).
- ``support.sync``: the messy hand-typed rows, settings and helpers of the sync tests.
"""
