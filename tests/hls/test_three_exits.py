"""
Nothing is hard-wired to two exits or ten classes: a network with two early exits and a final
classifier over 7 classes (3 exit decisions' worth of buffers, a 3-input exit merge) goes through
the flow and matches the fixed-point interpreter bit for bit, with every exit taken.
"""

from __future__ import annotations

import numpy as np
import onnx

from atheena_ir.csim import simulate
from atheena_ir.models import build_early_exit_model, conv, flatten, global_avgpool, linear, relu
from tests.hls.flow import flow

CLASSES = 7
SPEC = "split-exits{exit-probs=0.3,0.3},fold{coarse=2 fine=max}"


def three_exit_model() -> onnx.ModelProto:
    """Input 3x8x8; exits after each of three conv segments."""
    head = [global_avgpool(), flatten(), linear(CLASSES)]
    return build_early_exit_model(
        [[conv(4, 3, pad=1), relu()], [conv(4, 3, pad=1), relu()], [conv(6, 3, pad=1), relu()]],
        [head, head, head],
        thresholds=(0.3, 0.45),
        input_shape=(3, 8, 8),
        num_classes=CLASSES,
        seed=4,
        name="three_exits",
    )


def test_three_exits_seven_classes_bit_exact() -> None:
    f = flow("three_exits", three_exit_model, SPEC)
    assert "atheena::exit_merge<" in (f.project / "src" / "main_top.cpp").read_text()
    x = np.random.default_rng(11).uniform(-2, 2, (24, 3, 8, 8)).astype(np.float32)
    got = simulate(f.project, x)
    want = f.reference(x)
    np.testing.assert_array_equal(got.exits, want.exit_index)
    np.testing.assert_array_equal(got.real, want.output)
    assert got.real.shape == (24, CLASSES)
    assert sorted(got.order.tolist()) == list(range(24))
    assert set(got.exits.tolist()) == {0, 1, 2}
