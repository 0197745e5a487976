"""C simulation against onnxruntime: exits and top-1 agree except within the quantisation margin.

The margin is the rigorous bound of tests/interpreter/fixed_point_bounds.py: a sample may take
another exit than in float only where its float `S = 1/confidence` lies within the margin of
`1/thr` at some exit (or where a value may saturate) - `Bounded.ambiguous()`; where the exits
agree, its top-1 class may differ only where the float logits' two largest are closer than twice
the logit bound of that exit.

The rigorous margin is wide: on the trained B-LeNet (threshold 0.996, i.e. `1/thr` within 0.004 of
the `S = 1` of a confident sample) it covers nearly every sample, so there the measured agreement
rates carry the weight (tests/hls/test_shared.py, bench_shared_agreement.py: 99.7 % of exits and
100 % of top-1 on 1000 digits).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import onnx

from atheena_ir.csim.simulate import CsimResult
from tests.hls.flow import FIXED, Flow
from tests.interpreter.fixed_point_bounds import FLOAT32_SLACK, bounded, heads
from tests.interpreter.ort_exits import ort_run


@dataclass
class Agreement:
    """Shares of samples whose exit / top-1 equal onnxruntime's, and how many were ambiguous."""

    exits: float
    top1: float
    ambiguous: int


def check_against_onnxruntime(
    flow: Flow, model: onnx.ModelProto, x: np.ndarray, got: CsimResult
) -> Agreement:
    """Assert the agreement described in the module doc; return the measured shares."""
    out, exits = ort_run(model, x.astype(np.float32))
    out = out.reshape(len(x), -1)
    with np.errstate(over="ignore"):  # loose bounds overflow to inf: those samples are ambiguous
        bound = bounded(heads(flow.canonical), x, FIXED)
    with np.errstate(over="ignore"):
        ambiguous = bound.ambiguous()
    differ = got.exits != exits
    assert not np.any(differ & ~ambiguous), np.flatnonzero(differ & ~ambiguous)
    same = ~differ & bound.saturation_free
    errs = np.stack([e.reshape(len(x), -1).max(axis=1) for e in bound.errors])
    err = errs[np.clip(exits, 0, len(errs) - 1), np.arange(len(x))]
    top = np.sort(out, axis=1)
    gap = top[:, -1] - top[:, -2] if out.shape[1] > 1 else np.full(len(x), np.inf)
    close = gap <= 2 * err + FLOAT32_SLACK * (1 + np.abs(top[:, -1]))
    top1_differ = got.real.reshape(len(x), -1).argmax(axis=1) != out.argmax(axis=1)
    assert not np.any(top1_differ & same & ~close), np.flatnonzero(top1_differ & same & ~close)
    return Agreement(
        exits=float(np.mean(~differ)),
        top1=float(np.mean(~top1_differ)),
        ambiguous=int(ambiguous.sum()),
    )
