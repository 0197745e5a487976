"""Early exits in PyTorch's `If` form, with the tolerated variants, against onnxruntime."""

from __future__ import annotations

import numpy as np
import pytest
from xdsl.dialects.builtin import ModuleOp

from atheena_ir.dialects import ee
from atheena_ir.interpreter import run
from atheena_ir.onnx_frontend import import_onnx
from tests.onnx_frontend.numeric import ort_run
from tests.onnx_frontend.onnx_builders import exit_model
from tests.onnx_frontend.test_roundtrip import assert_round_trips


def _decisions(module: ModuleOp) -> list[ee.ExitDecisionOp]:
    return [op for op in module.walk() if isinstance(op, ee.ExitDecisionOp)]


def _check_per_sample(model, module: ModuleOp, samples: int = 12) -> np.ndarray:
    """Every sample's output matches onnxruntime; returns the exit each sample took."""
    x = np.random.default_rng(3).uniform(-2, 2, (samples, 1, 2, 6, 6)).astype(np.float32)
    result = run(module, x[:, 0])
    for i in range(samples):
        expected = ort_run(model, {"input": x[i]})
        np.testing.assert_allclose(result.output[i : i + 1], expected, rtol=1e-4, atol=1e-5)
    return np.asarray(result.exit_index)


@pytest.mark.parametrize(
    "variant",
    [
        {},
        {"cast": False},
        {"threshold_source": "initializer"},
        {"keepdims": 1},
        {"reduce_axes": False},
        {"opset": 18},
        {"opset": 21, "keepdims": 1, "cast": False},
        {"comparison": "Less"},
        {"comparison": "GreaterOrEqual"},
        {"comparison": "LessOrEqual"},
        {"opset": 9, "threshold_source": "initializer"},
    ],
)
def test_exit_variants_import_and_match_onnxruntime(variant: dict) -> None:
    model = exit_model(**{"exits": 2, "thresholds": [0.4, 0.45], **variant})
    module = import_onnx(model, "m")
    assert_round_trips(module)
    assert len(_decisions(module)) == 2
    assert not [op for op in module.walk() if isinstance(op, ee.SoftmaxOp)]
    _check_per_sample(model, module)


def test_nested_exits_give_n_exits_and_all_are_taken() -> None:
    model = exit_model(exits=3, classes=3, thresholds=[0.99, 0.99, 0.99])
    module = import_onnx(model, "m")
    exits = [op for op in module.walk() if isinstance(op, ee.ExitOp)]
    assert len(exits) == 3
    assert exits[1].parent_op() is exits[0]
    taken = _check_per_sample(model, module, samples=40)
    assert set(taken.tolist()) == {0, 1, 2, 3}


def test_thresholds_print_as_written() -> None:
    module = import_onnx(exit_model(thresholds=[0.996]), "m")
    assert "top1(%6) > 0.996" in str(module)


def test_greater_or_equal_keeps_float32_semantics() -> None:
    module = import_onnx(exit_model(comparison="GreaterOrEqual", thresholds=[0.5]), "m")
    thr = _decisions(module)[0].threshold.value.data
    assert np.float32(thr) < np.float32(0.5)
    assert np.nextafter(np.float32(thr), np.float32(1)) == np.float32(0.5)


def test_exit_names_come_from_the_onnx_nodes() -> None:
    module = import_onnx(exit_model(), "m")
    text = str(module)
    assert '{onnx_name = "Greater_0"}' in text
    assert 'attributes {onnx_name = "If_0"}' in text
