"""sliding_window and pool (max, avg) against the numpy reference, bit for bit."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from atheena_ir.numerics import fixed_point as fx
from tests.csim.harness import built, prebuild, run, stream_values

BUILD = prebuild("window")
# mode: (lanes, rows, cols, channels, kernel, stride, pads (t, l, b, r))
WINDOWS = {
    "win_a": (2, 5, 6, 4, (3, 3), (1, 1), (1, 1, 1, 1)),
    "win_b": (1, 7, 5, 3, (2, 3), (2, 1), (0, 1, 1, 0)),
}
POOLS = {
    "maxpool": (2, 6, 6, 4, 2, 2, 0),
    "avgpool": (3, 5, 5, 3, 3, 1, 1),
    "avgpool2": (1, 4, 4, 2, 2, 2, 0),
}


def maps(rows: int, cols: int, channels: int) -> st.SearchStrategy[np.ndarray]:
    shape = st.integers(1, 3).map(lambda n: (n, rows, cols, channels))
    return hnp.arrays(np.int64, shape, elements=st.integers(-(2**15), 2**15 - 1))


@settings(max_examples=6)
@given(st.data())
def test_sliding_window_emits_padded_windows_in_order(data) -> None:
    for mode, (lanes, rows, cols, ch, kernel, stride, pads) in WINDOWS.items():
        x = data.draw(maps(rows, cols, ch))
        ids, got = stream_values(run(built(BUILD), mode, len(x), values=[x]).stdout)
        win = fx.windows(x, kernel, stride, pads)  # N Ho Wo KH KW C
        n, ho, wo, kh, kw, _ = win.shape
        expected = win.reshape(n, ho, wo, kh, kw, ch // lanes, lanes).transpose(0, 1, 2, 5, 3, 4, 6)
        np.testing.assert_array_equal(got, expected.reshape(-1, kh * kw * lanes), err_msg=mode)
        np.testing.assert_array_equal(ids, np.repeat(np.arange(n), ho * wo * ch // lanes))


@settings(max_examples=6)
@given(st.data())
def test_pools_match_the_reference(data) -> None:
    for mode, (_lanes, rows, cols, ch, k, s, p) in POOLS.items():
        x = data.draw(maps(rows, cols, ch))
        _, got = stream_values(run(built(BUILD), mode, len(x), values=[x]).stdout)
        pads = (p, p, p, p)
        if mode == "maxpool":
            expected = fx.max_pool(x, (k, k), (s, s), pads)
        else:
            expected = fx.avg_pool(x, (k, k), (s, s), pads)
        np.testing.assert_array_equal(got.reshape(expected.shape), expected, err_msg=mode)


def test_avg_pool_of_a_power_of_two_window_is_the_exact_mean() -> None:
    x = fx.from_float(np.arange(32, dtype=float).reshape(1, 4, 4, 2) / 8, fx.DATA)
    mean = fx.to_float(fx.avg_pool(x, (2, 2), (2, 2)), fx.DATA)
    ref = fx.to_float(x, fx.DATA).reshape(1, 2, 2, 2, 2, 2).mean(axis=(2, 4))
    np.testing.assert_array_equal(mean, ref)
