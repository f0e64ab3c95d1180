"""Fault injection: kill -9 of the form server and the sync at random points (50 trials).

The same code as benchmarks/fault_injection.py, which prints the counts as a table.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

BENCHMARK = Path(__file__).resolve().parents[2] / "benchmarks" / "fault_injection.py"


@pytest.mark.skipif(sys.platform == "win32", reason="needs fork and SIGKILL")
def test_kill_9_anywhere_loses_and_doubles_nothing(tmp_path):
    spec = importlib.util.spec_from_file_location("fault_injection", BENCHMARK)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    counts = module.run_trials(tmp_path, trials=50, seed=7)
    print(counts)
    assert counts["trials"] == 50
    assert counts["acknowledged"] > 0  # submissions really arrived between the kills
    assert counts["acknowledged twice"] == 0
    assert counts["lost"] == 0
    assert counts["duplicated rows"] == 0
    assert counts["duplicated logboek lines"] == 0
