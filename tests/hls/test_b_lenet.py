"""B-LeNet end to end: ONNX -> passes -> -t hls -> g++ C simulation, bit for bit."""

from __future__ import annotations

import numpy as np
import pytest

from atheena_ir import models
from atheena_ir.csim import simulate
from tests.hls.flow import flow

PIPELINES = {
    "c2": "canonicalize,split-exits{exit-probs=0.75},fold{coarse=2 fine=max}",
}


@pytest.mark.parametrize("folding", sorted(PIPELINES))
def test_b_lenet_bit_exact(folding: str) -> None:
    f = flow(f"b_lenet_{folding}", models.b_lenet, PIPELINES[folding])
    x, _ = models.mnist_digits()
    x = x[:24]
    got = simulate(f.project, x)
    want = f.reference(x)
    np.testing.assert_array_equal(got.exits, want.exit_index)
    np.testing.assert_array_equal(got.real, want.output)
