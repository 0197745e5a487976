"""
The trained ATHEENA B-LeNet (../shared/models/atheena/branchy_lenet_20220902.onnx) end to end on
MNIST digits: bit for bit against the fixed-point interpreter, every sample id once, and exits
and top-1 equal to onnxruntime's except within the quantisation margin; on this batch at least
95 % agree (tests/hls/bench_shared_agreement.py measures 1000 digits against the 99 % target).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import onnx

from atheena_ir import models
from atheena_ir.csim import simulate
from tests.hls.agreement import check_against_onnxruntime
from tests.hls.flow import Flow, flow

MODEL = "models/atheena/branchy_lenet_20220902.onnx"
SPEC = "split-exits{exit-probs=0.75},fold{coarse=2 fine=max}"
SAMPLES = 48


def shared_flow(shared: Path) -> tuple[Flow, onnx.ModelProto]:
    model = onnx.load(shared / MODEL)
    return flow("shared_b_lenet", lambda: model, SPEC), model


def test_shared_b_lenet_bit_exact_and_agrees_with_onnxruntime(shared: Path) -> None:
    f, model = shared_flow(shared)
    x = models.mnist_digits()[0][:SAMPLES]
    got = simulate(f.project, x)
    want = f.reference(x)
    assert sorted(got.order.tolist()) == list(range(SAMPLES))
    np.testing.assert_array_equal(got.exits, want.exit_index)
    np.testing.assert_array_equal(got.real, want.output)
    agreement = check_against_onnxruntime(f, model, x, got)
    assert agreement.exits >= 0.95
    assert agreement.top1 >= 0.95
