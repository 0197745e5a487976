"""split + exit_decision + cond_buffer + exit_merge reassemble a batch: every id once, right exit,
bit-exact logits."""

from __future__ import annotations

import numpy as np
from hypothesis import example, given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from atheena_ir.csim import parse_results
from atheena_ir.numerics import fixed_point as fx
from atheena_ir.numerics import layout
from atheena_ir.numerics.exp_table import threshold_limit
from tests.csim.harness import built, prebuild, run

BUILD = prebuild("early_exit")
MAP, CLASSES, LANES = 16, 5, 2


def reference(x: np.ndarray, ws: list[np.ndarray], thr0: float, thr1: float):
    """(exit, logits) per sample of the testbench's three-exit network."""
    logits0 = fx.linear(x, ws[0])
    y = fx.relu(x)
    logits1 = fx.linear(y, ws[1])
    logits2 = fx.linear(y, ws[2])
    d0, d1 = fx.exit_decision(logits0, thr0), fx.exit_decision(logits1, thr1)
    exits = np.where(d0, 0, np.where(d1, 1, 2))
    chosen = np.choose(exits[:, None], [logits0, logits1, logits2])
    return exits, chosen


@settings(max_examples=12)
@given(
    x=st.integers(1, 40).flatmap(
        lambda n: hnp.arrays(np.int64, (n, MAP), elements=st.integers(-1024, 1024))
    ),
    ws=st.lists(
        hnp.arrays(np.int64, (CLASSES, MAP), elements=st.integers(-512, 512)),
        min_size=3,
        max_size=3,
    ),
    thr0=st.floats(0.2, 1.0),
    thr1=st.floats(0.2, 1.0),
)
@example(
    x=np.ones((7, MAP), np.int64) * 300,
    ws=[np.eye(CLASSES, MAP, dtype=np.int64)] * 3,
    thr0=0.0,
    thr1=0.0,
)
@example(
    x=np.ones((5, MAP), np.int64) * 300,
    ws=[np.eye(CLASSES, MAP, dtype=np.int64)] * 3,
    thr0=1.0,
    thr1=1.0,
)
def test_every_sample_leaves_once_at_its_exit(x, ws, thr0, thr1) -> None:
    weights = [layout.linear_unit_weights(w, LANES, 1) for w in ws]
    out = run(
        built(BUILD), len(x), threshold_limit(thr0), threshold_limit(thr1), values=[*weights, x]
    )
    results = parse_results(out.stdout)
    exits, logits = reference(x, ws, thr0, thr1)
    assert sorted(r.sample_id for r in results) == list(range(len(x)))
    for r in results:
        assert r.exit == exits[r.sample_id], r.sample_id
        np.testing.assert_array_equal(r.values, logits[r.sample_id])


def test_alternating_exits() -> None:
    n = 12
    x = np.zeros((n, MAP), np.int64)
    x[::2, 0] = 2000  # even samples: a confident first exit
    w0 = np.zeros((CLASSES, MAP), np.int64)
    w0[0, 0] = 256  # logit 0 = x[0]
    w = np.eye(CLASSES, MAP, dtype=np.int64)
    weights = [layout.linear_unit_weights(m, LANES, 1) for m in (w0, w, w)]
    out = run(built(BUILD), n, threshold_limit(0.9), threshold_limit(1.0), values=[*weights, x])
    got = {r.sample_id: r.exit for r in parse_results(out.stdout)}
    assert got == {i: 0 if i % 2 == 0 else 2 for i in range(n)}
