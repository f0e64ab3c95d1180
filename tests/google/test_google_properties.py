"""Property test on the fake Google Sheets: any Unicode in every field, the whole way."""

from __future__ import annotations

import itertools
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from klachtsheet import schema
from klachtsheet.files import packaged
from klachtsheet.intake.parsing import load_forms
from support.intake import make_config
from support.pipeline import check_registers, phone_rows, submit_all, sync_and_inzage, values_for

KEYS = {name: [f.key for f in form.fields] for name, form in load_forms(packaged("forms")).items()}
INPUTS = st.fixed_dictionaries({name: values_for(name, keys) for name, keys in KEYS.items()})
COUNTER = itertools.count()


@settings(
    max_examples=6,
    deadline=None,
    suppress_health_check=[
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
        HealthCheck.function_scoped_fixture,
    ],
)
@given(INPUTS, phone_rows())
def test_any_text_on_google_is_acknowledged_once_and_the_sync_completes(
    make_register, forms, phone
):
    n = next(COUNTER)
    shared = make_register(f"prop-shared-{n}")
    shared.ensure_layout(schema.EXAMPLE_TABS)
    secret = make_register(f"prop-secret-{n}")
    secret.ensure_layout(schema.CONFIDENTIAL_TABS)
    with tempfile.TemporaryDirectory() as folder:
        tmp = Path(folder)
        config = make_config(tmp, tmp / "niet-gebruikt.xlsx")
        told, _ = submit_all(config, tmp, lambda: shared, lambda: secret, forms, phone)
        check_registers(told, shared, secret)
        sync_and_inzage(config, told, shared, secret)
        check_registers(told, shared, secret)
