"""
B-LeNet's exit decision at run time: the top function's `limit_0` argument changes the threshold
without regenerating the design. Batches where every sample exits, none does, and about half do
(a threshold at the median table sum) match the fixed-point interpreter with that threshold bit
for bit, with every sample id exactly once.
"""

from __future__ import annotations

import numpy as np
import pytest
from xdsl.dialects.builtin import FloatAttr, ModuleOp

from atheena_ir import models
from atheena_ir.csim import simulate
from atheena_ir.dialects import ee
from atheena_ir.interpreter import run
from tests.hls.flow import FIXED, flow
from tests.interpreter.fixed_point_bounds import heads

SPEC = "split-exits{exit-probs=0.75},fold{coarse=2 fine=max}"
X = models.mnist_digits()[0][:16]


def with_threshold(module: ModuleOp, thr: float) -> ModuleOp:
    copy = module.clone()
    for op in copy.walk():
        if isinstance(op, ee.ExitDecisionOp):
            op.threshold = FloatAttr(thr, op.threshold.type)
    return copy


def threshold(case: str) -> float:
    """A threshold that makes every sample exit, none, or those below the median sum exit."""
    if case == "all":
        return 1e-6
    if case == "none":
        return 1 - 1e-9
    f = flow("b_lenet", models.b_lenet, SPEC)
    z0 = run(heads(f.canonical), X.astype(np.float64), arithmetic=FIXED).outputs[0]
    median = int(np.sort(FIXED.exit_sum(z0))[len(X) // 2])
    thr = float(np.nextafter(2.0**FIXED.table_frac / median, np.inf))
    assert FIXED.limit(thr) == median
    return thr


@pytest.mark.parametrize("case", ["all", "none", "half"])
def test_exit_choices_follow_the_run_time_limit(case: str) -> None:
    f = flow("b_lenet", models.b_lenet, SPEC)
    thr = threshold(case)
    want = run(with_threshold(f.ee_module, thr), X.astype(np.float64), arithmetic=FIXED)
    got = simulate(f.project, X, limits=[FIXED.limit(thr)])
    np.testing.assert_array_equal(got.exits, want.exit_index)
    np.testing.assert_array_equal(got.real, want.output)
    assert sorted(got.order.tolist()) == list(range(len(X)))
    taken = set(got.exits.tolist())
    assert taken == {"all": {0}, "none": {1}, "half": {0, 1}}[case]
