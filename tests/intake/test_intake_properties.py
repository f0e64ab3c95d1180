"""Property tests: any Unicode in every field, through the whole way on a local workbook."""

from __future__ import annotations

import subprocess
import tempfile
from pathlib import Path

import openpyxl
import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from klachtsheet import schema
from klachtsheet.intake.parsing import load_forms
from klachtsheet.register import open_confidential
from klachtsheet.register.local import LocalRegister
from support.intake import make_config
from support.pipeline import check_registers, phone_rows, submit_all, sync_and_inzage, values_for


def _keys(form: str) -> list[str]:
    from klachtsheet.files import packaged

    return [f.key for f in load_forms(packaged("forms"))[form].fields]


INPUTS = st.fixed_dictionaries(
    {
        "telefoondienst": values_for("telefoondienst", _keys("telefoondienst")),
        "vrijwilliger": values_for("vrijwilliger", _keys("vrijwilliger")),
    }
)


def _run(tmp: Path, forms, phone):
    register_path = tmp / "klachtenregister.xlsx"
    LocalRegister(register_path).ensure_layout(schema.EXAMPLE_TABS)
    config = make_config(tmp, register_path)
    told, _ = submit_all(
        config,
        tmp,
        lambda: LocalRegister(register_path),
        lambda: LocalRegister(Path(config.confidential_register)),
        forms,
        phone,
    )
    shared = LocalRegister(register_path)
    confidential = open_confidential(config)
    check_registers(told, shared, confidential)
    sync_and_inzage(config, told, shared, confidential)
    check_registers(told, shared, confidential)
    for path in (register_path, Path(config.confidential_register)):
        if path.exists():
            openpyxl.load_workbook(path)  # the workbook still opens
    return register_path, told


@settings(
    max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                           HealthCheck.data_too_large]
)  # fmt: skip
@given(INPUTS, phone_rows())
def test_any_text_anywhere_is_acknowledged_once_and_the_sync_completes(forms, phone):
    with tempfile.TemporaryDirectory() as folder:
        _, told = _run(Path(folder), forms, phone)
    event(f"acknowledged: {len(told.acknowledged)}")


@pytest.mark.libreoffice
def test_libreoffice_opens_a_register_full_of_hostile_text(soffice, tmp_path):
    nasty = "a\u2028b\ufffe\x00c\ud800d\U0010ffff" + "é" * 3000
    forms = {
        "telefoondienst": {**values_for_example("telefoondienst"), "omschrijving": nasty},
        "vrijwilliger": {**values_for_example("vrijwilliger"), "deelnemer": "Jan\u2029Jansen"},
    }
    phone = [dict(PHONE_ROW, Omschrijving=nasty)]
    register_path, told = _run(tmp_path, forms, phone)
    assert told.acknowledged
    out = tmp_path / "csv"
    done = subprocess.run(
        [soffice, "--headless", "--convert-to", "csv", "--outdir", str(out), str(register_path)],
        capture_output=True,
        timeout=120,
        env={"HOME": str(tmp_path), "PATH": "/usr/bin:/bin"},
    )
    assert done.returncode == 0, done.stderr
    text = (out / "klachtenregister.csv").read_text("utf-8", errors="replace")
    assert told.acknowledged[0] in text


def values_for_example(form: str) -> dict[str, str]:
    from support.pipeline import VALID

    return {k: VALID[form].get(k, "") for k in _keys(form)}


from support.pipeline import PHONE_COLUMNS as PHONE_ROW  # noqa: E402
