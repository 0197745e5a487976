"""relu, bias, squeeze, split and ap_fixed quantisation against the numpy reference, bit for bit."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from atheena_ir.numerics import fixed_point as fx
from tests.csim.harness import built, prebuild, run, stream_values, words

BUILD = prebuild("basic")
raw16 = st.integers(-(2**15), 2**15 - 1)


def batch(lanes: int, max_words: int = 6) -> st.SearchStrategy[tuple[int, int, np.ndarray]]:
    """(samples, words per sample, raw values (samples*words, lanes)) of ap_fixed<16,8>."""
    return st.tuples(st.integers(1, 5), st.integers(1, max_words)).flatmap(
        lambda sw: st.tuples(
            st.just(sw[0]),
            st.just(sw[1]),
            st.lists(raw16, min_size=sw[0] * sw[1] * lanes, max_size=sw[0] * sw[1] * lanes).map(
                lambda v: np.array(v, dtype=np.int64).reshape(-1, lanes)
            ),
        )
    )


@settings(max_examples=15)
@given(st.lists(st.integers(-(2**30), 2**30), min_size=1, max_size=40))
def test_double_to_data_t_rounds_half_even_and_saturates(values: list[int]) -> None:
    v = np.array([*values, 2048, 6144, -2048, 2**28, -(2**28)], dtype=np.int64)
    out = run(built(BUILD), "quant", len(v), 0, values=[v])
    got = np.array([int(line.split()[1]) for line in out.stdout.splitlines()])
    np.testing.assert_array_equal(got, fx.from_float(v / 2.0**20, fx.DATA))


@settings(max_examples=15)
@given(st.lists(st.integers(-(2**31), 2**31 - 1), min_size=1, max_size=40))
def test_acc_to_data_t_matches_requantise(values: list[int]) -> None:
    v = np.array([*values, 128, 384, -128, -384, 2**30, -(2**31)], dtype=np.int64)
    out = run(built(BUILD), "requant", len(v), 0, values=[v])
    got = np.array([int(line.split()[1]) for line in out.stdout.splitlines()])
    np.testing.assert_array_equal(got, fx.requantise(v, fx.ACC.frac, fx.DATA))


@settings(max_examples=10)
@given(batch(3))
def test_relu(case: tuple[int, int, np.ndarray]) -> None:
    samples, n, x = case
    ids, got = stream_values(run(built(BUILD), "relu", samples, n, values=[x]).stdout)
    np.testing.assert_array_equal(got, fx.relu(x))
    np.testing.assert_array_equal(ids, np.repeat(np.arange(samples), n))


@settings(max_examples=10)
@given(st.integers(1, 4), st.integers(1, 3), st.data())
def test_bias_adds_in_full_precision_then_quantises(samples: int, pixels: int, data) -> None:
    b = np.array(data.draw(st.lists(raw16, min_size=6, max_size=6)), dtype=np.int64)
    n = samples * pixels * 3
    acc = st.integers(-(2**31), 2**31 - 1)
    x = np.array(data.draw(st.lists(acc, min_size=2 * n, max_size=2 * n)), dtype=np.int64)
    out = run(built(BUILD), "bias", samples, pixels * 3, values=[b, x])
    _, got = stream_values(out.stdout)
    expected = fx.bias_add(x.reshape(-1, 6), fx.ACC, b, fx.WEIGHT, fx.DATA)
    np.testing.assert_array_equal(got.reshape(-1, 6), expected)


@settings(max_examples=8)
@given(st.integers(1, 4), st.integers(1, 4), st.data())
def test_squeeze_relanes_keeping_order(samples: int, chunks: int, data) -> None:
    for mode, lin, lout, chunk in (("squeeze23", 2, 3, 6), ("squeeze42", 4, 2, 4)):
        n = samples * chunks * chunk
        x = np.array(data.draw(st.lists(raw16, min_size=n, max_size=n)), dtype=np.int64)
        out = run(built(BUILD), mode, samples, chunks * chunk // lin, values=[x])
        ids, got = stream_values(out.stdout)
        assert got.shape[1] == lout
        np.testing.assert_array_equal(got.ravel(), x)
        np.testing.assert_array_equal(ids, np.repeat(np.arange(samples), chunks * chunk // lout))


@settings(max_examples=8)
@given(batch(2))
def test_split_copies_every_word_to_every_port(case: tuple[int, int, np.ndarray]) -> None:
    samples, n, x = case
    out = run(built(BUILD), "split", samples, n, values=[x]).stdout
    for port in ("p0", "p1", "p2"):
        got = words(out, port)
        np.testing.assert_array_equal(np.array([v for _, v in got]), x)
        assert [i for i, _ in got] == list(np.repeat(np.arange(samples), n))
