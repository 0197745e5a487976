"""The importer on `HardSwish` (opset 14+): `ee.hardswish`, numerically as onnxruntime."""

from __future__ import annotations

import numpy as np
import pytest
from onnx import helper

from atheena_ir.onnx_frontend import import_onnx, supported_summary
from tests.onnx_frontend.numeric import check_import, ort_run
from tests.onnx_frontend.onnx_builders import make_model, rng_array, single_node
from tests.onnx_frontend.test_roundtrip import assert_round_trips


@pytest.mark.parametrize("opset", [14, 17, 21])
def test_hardswish_imports_as_ee_hardswish(opset: int) -> None:
    model = single_node("HardSwish", [("x", [1, 3, 4, 4])], None, None, opset)
    assert_round_trips(check_import(model, "ee.hardswish"))


def test_hardswish_matches_onnxruntime_over_its_three_pieces() -> None:
    """Inputs in [-5, 5] cover x <= -3 (0), the quadratic part and x >= 3 (x)."""
    model = single_node("HardSwish", [("x", [1, 2, 8, 8])], None, None, 14)
    x = np.random.default_rng(1).uniform(-5, 5, (1, 2, 8, 8)).astype(np.float32)
    from atheena_ir.interpreter import run

    got = run(import_onnx(model, "t.onnx"), x).output
    np.testing.assert_allclose(got, ort_run(model, {"x": x}), rtol=1e-6, atol=1e-6)


def test_conv_hardswish_gemm_chain() -> None:
    """A Conv -> HardSwish -> Flatten -> Gemm network, as MobileNetV3 blocks are exported."""
    nodes = [
        helper.make_node("Conv", ["x", "w"], ["c"], kernel_shape=[3, 3], pads=[1, 1, 1, 1]),
        helper.make_node("HardSwish", ["c"], ["h"]),
        helper.make_node("Flatten", ["h"], ["f"]),
        helper.make_node("Gemm", ["f", "g", "gb"], ["y"], transB=1),
    ]
    inits = {
        "w": rng_array((4, 2, 3, 3), 1),
        "g": rng_array((3, 4 * 5 * 5), 2),
        "gb": rng_array((3,), 3),
    }
    model = make_model(nodes, [("x", [1, 2, 5, 5])], [("y", [1, 3])], inits, opset=14)
    module = check_import(model, "ee.hardswish")
    names = [op.name for op in module.walk()]
    assert names.index("ee.conv2d") < names.index("ee.hardswish") < names.index("ee.linear")


def test_hardswish_on_a_constant_is_evaluated_at_import() -> None:
    c = np.array([[-4.0, -1.0, 0.0, 1.0, 4.0]], np.float32)
    nodes = [
        helper.make_node("HardSwish", ["c"], ["h"]),
        helper.make_node("Add", ["x", "h"], ["y"]),
    ]
    model = make_model(nodes, [("x", [1, 5])], [("y", [1, 5])], {"c": c}, opset=14)
    module = check_import(model, "ee.add")
    assert "ee.hardswish" not in [op.name for op in module.walk()]


def test_hardswish_is_listed_as_supported() -> None:
    assert "HardSwish" in supported_summary()
