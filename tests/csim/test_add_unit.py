"""The add unit (atheena/add.h, a residual connection's join) against `fixed_point.add`, bit
for bit, on the corners of three data types (saturating and wrapping) and random words."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from atheena_ir.numerics import fixed_point as fx
from tests.csim.harness import built, prebuild, run, stream_values

BUILD = prebuild("add")

TYPES = {
    "data": fx.DATA,
    "rnd12": fx.FixedType(12, 4, rounding="RND", overflow="SAT"),
    "wrap10": fx.FixedType(10, 2),
}


def _check(type_name: str, samples: int, a: np.ndarray, b: np.ndarray) -> None:
    n = a.shape[0] // samples
    out = run(built(BUILD), type_name, samples, n, values=[a, b]).stdout
    ids, got = stream_values(out)
    np.testing.assert_array_equal(got, fx.add(a, b, TYPES[type_name]))
    np.testing.assert_array_equal(ids, np.repeat(np.arange(samples), n))


@pytest.mark.parametrize("type_name", sorted(TYPES))
def test_corners_overflow_by_the_types_mode(type_name: str) -> None:
    t = TYPES[type_name]
    corners = np.array([t.min_raw, t.min_raw + 1, -1, 0, 1, t.max_raw - 1, t.max_raw], np.int64)
    a, b = (g.reshape(-1) for g in np.meshgrid(corners, corners))
    pad = (-len(a)) % 3
    a, b = (np.concatenate([v, np.zeros(pad, np.int64)]).reshape(-1, 3) for v in (a, b))
    _check(type_name, 1, a, b)


@settings(max_examples=10)
@given(st.integers(1, 4), st.integers(1, 5), st.data())
def test_random_words_keep_their_ids(samples: int, words: int, data) -> None:
    n = samples * words * 3
    values = st.lists(st.integers(-(2**15), 2**15 - 1), min_size=n, max_size=n)
    a, b = (np.array(data.draw(values), np.int64).reshape(-1, 3) for _ in range(2))
    _check("data", samples, a, b)
