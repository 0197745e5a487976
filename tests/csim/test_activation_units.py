"""
Every activation unit (atheena/<name>.h, one per `ee.ACTIVATIONS` op) against its registered
fixed-point arithmetic (`fixed_point.ACTIVATION_UNITS`), bit for bit, on every raw value of
three data types. A new activation is tested here with no edit.
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from atheena_ir.dialects import ee
from atheena_ir.numerics import fixed_point as fx
from tests.csim.harness import built, prebuild, run, stream_values

NAMES = [op.unit_name() for op in ee.ACTIVATIONS]
BUILDS = {name: prebuild("activation", ACTIVATION=name) for name in NAMES}

TYPES = {
    "data": fx.DATA,
    "rnd12": fx.FixedType(12, 4, rounding="RND", overflow="SAT"),
    "wrap10": fx.FixedType(10, 2),
}


def _check(unit: str, type_name: str, samples: int, x: np.ndarray) -> None:
    n = x.shape[0] // samples
    out = run(built(BUILDS[unit]), type_name, samples, n, values=[x]).stdout
    ids, got = stream_values(out)
    np.testing.assert_array_equal(got, fx.ACTIVATION_UNITS[unit](x, TYPES[type_name]))
    np.testing.assert_array_equal(ids, np.repeat(np.arange(samples), n))


@pytest.mark.parametrize("type_name", sorted(TYPES))
@pytest.mark.parametrize("unit", NAMES)
def test_every_value_of_the_type(unit: str, type_name: str) -> None:
    """All raw values (2^16 for data_t): every corner, the saturating top and every tie."""
    t = TYPES[type_name]
    x = np.arange(t.min_raw, t.max_raw + 1, dtype=np.int64)
    x = np.concatenate([x, np.zeros((-len(x)) % 3, np.int64)]).reshape(-1, 3)
    _check(unit, type_name, 1, x)


@settings(max_examples=10)
@given(st.sampled_from(NAMES), st.integers(1, 4), st.integers(1, 5), st.data())
def test_samples_keep_their_ids(unit: str, samples: int, words: int, data) -> None:
    n = samples * words * 3
    raw = data.draw(st.lists(st.integers(-(2**15), 2**15 - 1), min_size=n, max_size=n))
    _check(unit, "data", samples, np.array(raw, dtype=np.int64).reshape(-1, 3))
