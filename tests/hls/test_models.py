"""
Every example model end to end: ONNX -> canonicalize -> split-exits -> fold -> lower-to-hws ->
-t hls -> g++ C simulation. The outputs and exits equal the fixed-point interpreter bit for bit,
every sample id comes back exactly once, and exits and top-1 agree with onnxruntime except
within the quantisation margin (tests/hls/agreement.py; the untrained example models give no
meaningful agreement rates, the trained ATHEENA B-LeNet in test_shared.py does).
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import onnx
import pytest

from atheena_ir import models
from atheena_ir.csim import CsimResult, simulate
from atheena_ir.csim.simulate import load_manifest
from tests.hls.agreement import check_against_onnxruntime
from tests.hls.flow import Flow, exits_of, flow

FOLDINGS = {
    "c1": "fold{coarse=1}",
    "c2": "fold{coarse=2 fine=max}",
    # coarse_out 2 after coarse_in 1: squeezes between neighbours
    "squeeze": "fold{coarse-in=1 coarse-out=2 fine=max}",
}
# model, foldings, samples (the AlexNets are large: small batches)
MODELS: dict[str, tuple[Callable[[], onnx.ModelProto], tuple[str, ...], int]] = {
    "b_lenet": (models.b_lenet, ("c1", "c2", "squeeze"), 16),
    "triple_wins": (models.triple_wins, ("c2",), 6),
    "lenet_backbone": (models.lenet_backbone, ("squeeze",), 12),
    "b_alexnet": (models.b_alexnet, ("c2",), 4),
    "alexnet_backbone": (models.alexnet_backbone, ("c2",), 2),
}
CASES = [(m, f) for m, (_, folds, _) in MODELS.items() for f in folds]


def ee_spec(model: Callable[[], onnx.ModelProto], folding: str) -> str:
    """split-exits (half the samples spread over the exits) and the folding."""
    n = exits_of(model())
    split = f"split-exits{{exit-probs={','.join([f'{0.5 / n:g}'] * n)}}}," if n else ""
    return split + FOLDINGS[folding]


def model_flow(name: str, folding: str) -> Flow:
    model = MODELS[name][0]
    return flow(f"{name}_{folding}", model, ee_spec(model, folding))


def inputs(f: Flow, n: int) -> np.ndarray:
    """MNIST digits for 1x28x28 inputs, uniform random values otherwise."""
    rows, cols, ch = load_manifest(f.project)["inputs"][0]["map"]
    if (rows, cols, ch) == (28, 28, 1):
        return models.mnist_digits()[0][:n]
    return np.random.default_rng(7).uniform(-1, 1, (n, ch, rows, cols)).astype(np.float32)


_RESULTS: dict[tuple[str, str], tuple[np.ndarray, CsimResult]] = {}


def simulated(name: str, folding: str) -> tuple[Flow, np.ndarray, CsimResult]:
    """The batch and its C-simulation result (once per session)."""
    f = model_flow(name, folding)
    if (name, folding) not in _RESULTS:
        x = inputs(f, MODELS[name][2])
        _RESULTS[name, folding] = (x, simulate(f.project, x))
    return (f, *_RESULTS[name, folding])


@pytest.mark.parametrize(("name", "folding"), CASES)
def test_bit_exact_against_fixed_point(name: str, folding: str) -> None:
    f, x, got = simulated(name, folding)
    want = f.reference(x)
    assert sorted(got.order.tolist()) == list(range(len(x)))
    np.testing.assert_array_equal(got.sample_ids, np.arange(len(x)))
    np.testing.assert_array_equal(got.exits, want.exit_index)
    np.testing.assert_array_equal(got.real, want.output.reshape(got.real.shape))


@pytest.mark.parametrize(("name", "folding"), [c for c in CASES if c[1] != "c1"])
def test_agrees_with_onnxruntime_within_margin(name: str, folding: str) -> None:
    f, x, got = simulated(name, folding)
    check_against_onnxruntime(f, MODELS[name][0](), x, got)


def test_squeezes_and_coarse_are_exercised() -> None:
    """The foldings above really put squeezes and several lanes into the designs."""
    text = str(model_flow("b_lenet", "squeeze").hws_module)
    assert "hws.squeeze" in text
    assert "hws.fork" in str(model_flow("b_lenet", "c2").hws_module)
