"""The hardswish unit (atheena/hardswish.h) against `fixed_point.hardswish`, bit for bit."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from atheena_ir.csim import fixed_point as fx
from tests.csim.harness import built, prebuild, run, stream_values

BUILD = prebuild("hardswish")

TYPES = {
    "data": fx.DATA,
    "rnd12": fx.FixedType(12, 4, rounding="RND", overflow="SAT"),
    "wrap10": fx.FixedType(10, 2),
}


def _check(name: str, samples: int, x: np.ndarray) -> None:
    n = x.shape[0] // samples
    ids, got = stream_values(run(built(BUILD), name, samples, n, values=[x]).stdout)
    np.testing.assert_array_equal(got, fx.hardswish(x, TYPES[name]))
    np.testing.assert_array_equal(ids, np.repeat(np.arange(samples), n))


@pytest.mark.parametrize("name", sorted(TYPES))
def test_every_value_of_the_type(name: str) -> None:
    """All raw values (2^16 for data_t), including -3, 3, the saturating top and ties."""
    t = TYPES[name]
    x = np.arange(t.min_raw, t.max_raw + 1, dtype=np.int64)
    x = np.concatenate([x, np.zeros((-len(x)) % 3, np.int64)]).reshape(-1, 3)
    _check(name, 1, x)


@settings(max_examples=10)
@given(st.integers(1, 4), st.integers(1, 5), st.data())
def test_samples_keep_their_ids(samples: int, words: int, data) -> None:
    n = samples * words * 3
    raw = data.draw(st.lists(st.integers(-(2**15), 2**15 - 1), min_size=n, max_size=n))
    _check("data", samples, np.array(raw, dtype=np.int64).reshape(-1, 3))
