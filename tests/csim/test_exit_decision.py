"""exit_decision against the integer reference (bit for bit) and float softmax (within a margin)."""

from __future__ import annotations

import itertools
from fractions import Fraction

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from atheena_ir.backends.hls import INCLUDE_DIR
from atheena_ir.numerics import exp_table as et
from atheena_ir.numerics import fixed_point as fx
from atheena_ir.numerics.exp_table import threshold_limit
from tests.csim.harness import built, prebuild, run, words

BUILD = prebuild("exit")
MODES = {"c10": (10, 2), "c12": (12, 1), "c3": (3, 3)}  # classes, ports
thresholds = st.one_of(
    st.floats(0.0, 1.0), st.sampled_from([0.0, 0.5, 0.9, 0.99, 0.996, 0.999, 1.0, 1.5, -0.1])
)


def logits(classes: int) -> st.SearchStrategy[np.ndarray]:
    """Raw ap_fixed<16,8> logits: full range, or clustered so that decisions are close."""
    shape = st.integers(1, 12).map(lambda n: (n, classes))
    wide = hnp.arrays(np.int64, shape, elements=st.integers(-(2**15), 2**15 - 1))
    near = hnp.arrays(np.int64, shape, elements=st.integers(-3000, 3000))
    return st.one_of(wide, near)


def run_decisions(mode: str, z: np.ndarray, limit: int) -> dict[int, list[int]]:
    out = run(built(BUILD), mode, len(z), limit, values=[z]).stdout
    ports: dict[int, list[int]] = {}
    for port, values in words(out, "c"):
        ports.setdefault(port, []).append(int(values[1]))
        assert values[0] == len(ports[port]) - 1  # the sample id, in order
    return ports


@settings(max_examples=12)
@given(st.data())
def test_decision_is_bit_exact_on_every_port(data) -> None:
    for mode, (classes, n_ports) in MODES.items():
        z = data.draw(logits(classes))
        thr = data.draw(thresholds)
        ports = run_decisions(mode, z, threshold_limit(thr))
        expected = fx.exit_decision(z, thr).astype(int).tolist()
        assert sorted(ports) == list(range(n_ports))
        for got in ports.values():
            assert got == expected, (mode, thr)


@settings(max_examples=200)
@given(logits(10), thresholds)
def test_decision_agrees_with_float_softmax_outside_the_margin(z: np.ndarray, thr: float) -> None:
    fixed = fx.exit_decision(z, thr)
    z_float = fx.to_float(z, fx.DATA)
    reference = fx.float_exit_decision(z_float, thr)
    if 0 < thr:
        distance = np.abs(fx.sum_exp(z_float) - 1 / thr)
        disagree = fixed != reference
        assert np.all(distance[disagree] <= fx.exit_margin(10) + 1e-12)


@given(st.integers(0, 2**32 - 1), st.fractions(0, 2))
def test_limit_turns_the_threshold_test_into_an_integer_compare(s: int, thr: Fraction) -> None:
    limit = threshold_limit(thr)
    if thr > 0:
        assert (s < limit) == (Fraction(s, 2**16) < 1 / thr) or limit == et.LIMIT_MAX
    else:
        assert limit == et.LIMIT_MAX


def test_table_starts_at_one_and_ends_where_entries_round_to_zero() -> None:
    table = et.exp_table()
    assert table[0] == 2**16
    assert table[-1] >= 1
    assert len(table) == 3017
    assert all(a >= b for a, b in itertools.pairwise(table))


def test_committed_table_header_is_up_to_date() -> None:
    committed = (INCLUDE_DIR / "atheena" / "exp_table.h").read_text()
    assert committed == et.table_header(), (
        "regenerate: python -m atheena_ir.numerics.exp_table"
        " > backends/hls/include/atheena/exp_table.h"
    )
