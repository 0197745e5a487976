"""The project's example models (`atheena_ir.models`, `examples/`) import, round-trip and
compute what onnxruntime computes, exit choice included."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import onnx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from atheena_ir.dialects import ee
from atheena_ir.interpreter import run
from atheena_ir.onnx_frontend import import_onnx, import_onnx_file
from tests.onnx_frontend.numeric import ort_run
from tests.onnx_frontend.test_roundtrip import assert_round_trips

models = pytest.importorskip("atheena_ir.models")

REPO = Path(__file__).resolve().parents[2]
EXAMPLE = REPO / "examples" / "blenet_mnist.onnx"

NETWORKS = {
    "b_lenet": 1,
    "triple_wins": 1,
    "b_alexnet": 1,
    "lenet_backbone": 0,
    "triple_wins_backbone": 0,
    "alexnet_backbone": 0,
}


@pytest.mark.parametrize(("name", "exits"), sorted(NETWORKS.items()))
def test_example_networks_import_and_round_trip(name: str, exits: int) -> None:
    module = import_onnx(getattr(models, name)(), name)
    assert_round_trips(module)
    assert sum(isinstance(op, ee.ExitOp) for op in module.walk()) == exits


@pytest.mark.parametrize("opset", range(9, 22))
def test_b_lenet_at_every_opset(opset: int) -> None:
    module = import_onnx(models.b_lenet(opset=opset), "b_lenet")
    assert sum(isinstance(op, ee.ExitOp) for op in module.walk()) == 1


def _match_ort(model, module, x: np.ndarray) -> np.ndarray:
    name = model.graph.input[0].name
    result = run(module, x)
    for i in range(len(x)):
        expected = ort_run(model, {name: x[i : i + 1]})
        np.testing.assert_allclose(result.output[i : i + 1], expected, rtol=1e-4, atol=1e-4)
    return np.asarray(result.exit_index)


def test_committed_blenet_mnist_matches_onnxruntime_with_both_exits() -> None:
    if not EXAMPLE.is_file():
        pytest.skip("examples/blenet_mnist.onnx is not present")
    module = import_onnx_file(EXAMPLE)
    assert_round_trips(module)
    images, _ = models.mnist_digits()
    taken = _match_ort(onnx.load(EXAMPLE), module, np.asarray(images[:64], np.float32))
    assert set(taken.tolist()) == {0, 1}


@settings(max_examples=12)
@given(seed=st.integers(0, 2**16), opset=st.sampled_from([9, 11, 12, 13, 18, 21]))
def test_random_early_exit_networks(seed: int, opset: int) -> None:
    net = models.random_early_exit_network(seed)
    model = net.build(opset=opset, seed=seed)
    module = import_onnx(model, "random")
    assert_round_trips(module)
    assert sum(isinstance(op, ee.ExitOp) for op in module.walk()) == net.num_exits - 1
    shape = [d.dim_value for d in model.graph.input[0].type.tensor_type.shape.dim]
    x = np.random.default_rng(seed).uniform(-1, 1, [4, *shape[1:]]).astype(np.float32)
    _match_ort(model, module, x)


def test_shared_blenet_matches_onnxruntime_per_sample(shared: Path) -> None:
    path = shared / "models/atheena/branchy_lenet_20220902.onnx"
    images, _ = models.mnist_digits()
    x = np.asarray(images[:100], np.float32)
    taken = _match_ort(onnx.load(path), import_onnx_file(path), x)
    assert set(taken.tolist()) == {0, 1}
