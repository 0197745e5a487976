"""
The importer on every activation (`ee.ACTIVATIONS`: `Relu`, `HardSwish`, ...): each imports as
its `ee` op from its first opset on, computes what onnxruntime computes, is evaluated at import
on constants and is listed as supported. A new activation is tested here with no edit.
"""

from __future__ import annotations

import numpy as np
import onnx
import pytest
from onnx import helper

from atheena_ir.dialects import ee
from atheena_ir.errors import UserError
from atheena_ir.interpreter import run
from atheena_ir.onnx_frontend import MAX_OPSET, MIN_OPSET, import_onnx, supported_summary
from tests.onnx_frontend.numeric import check_import, ort_run
from tests.onnx_frontend.onnx_builders import make_model, rng_array, single_node
from tests.onnx_frontend.test_roundtrip import assert_round_trips

ACTIVATIONS = pytest.mark.parametrize("op", ee.ACTIVATIONS, ids=lambda op: op.unit_name())


def first_opset(op: type[ee.ActivationOp]) -> int:
    """The first default-domain opset with the op, at least the importer's minimum."""
    versions = [
        s.since_version
        for s in onnx.defs.get_all_schemas_with_history()
        if s.name == op.ONNX and s.domain == ""
    ]
    return max(MIN_OPSET, min(versions))


@ACTIVATIONS
def test_imports_as_its_ee_op_from_its_first_opset(op: type[ee.ActivationOp]) -> None:
    for opset in sorted({first_opset(op), MAX_OPSET}):
        model = single_node(op.ONNX, [("x", [1, 3, 4, 4])], None, None, opset)
        assert_round_trips(check_import(model, op.name))


@ACTIVATIONS
def test_matches_onnxruntime_over_a_wide_range(op: type[ee.ActivationOp]) -> None:
    """Inputs in [-8, 8] plus the integers there (the corners of piecewise functions)."""
    model = single_node(op.ONNX, [("x", [1, 2, 9, 9])], None, None, first_opset(op))
    x = np.random.default_rng(1).uniform(-8, 8, (1, 2, 9, 9)).astype(np.float32)
    x.flat[:17] = np.arange(-8, 9)
    got = run(import_onnx(model, "t.onnx"), x).output
    np.testing.assert_allclose(got, ort_run(model, {"x": x}), rtol=1e-6, atol=1e-6)


@ACTIVATIONS
def test_conv_activation_gemm_chain(op: type[ee.ActivationOp]) -> None:
    """Conv -> activation -> Flatten -> Gemm, as CNN blocks are exported."""
    nodes = [
        helper.make_node("Conv", ["x", "w"], ["c"], kernel_shape=[3, 3], pads=[1, 1, 1, 1]),
        helper.make_node(op.ONNX, ["c"], ["h"]),
        helper.make_node("Flatten", ["h"], ["f"]),
        helper.make_node("Gemm", ["f", "g", "gb"], ["y"], transB=1),
    ]
    inits = {
        "w": rng_array((4, 2, 3, 3), 1),
        "g": rng_array((3, 4 * 5 * 5), 2),
        "gb": rng_array((3,), 3),
    }
    opset = max(first_opset(op), 11)
    model = make_model(nodes, [("x", [1, 2, 5, 5])], [("y", [1, 3])], inits, opset=opset)
    module = check_import(model, op.name)
    names = [o.name for o in module.walk()]
    assert names.index("ee.conv2d") < names.index(op.name) < names.index("ee.linear")


@ACTIVATIONS
def test_on_a_constant_it_is_evaluated_at_import(op: type[ee.ActivationOp]) -> None:
    c = np.array([[-4.0, -1.0, 0.0, 1.0, 4.0]], np.float32)
    nodes = [helper.make_node(op.ONNX, ["c"], ["h"]), helper.make_node("Add", ["x", "h"], ["y"])]
    model = make_model(nodes, [("x", [1, 5])], [("y", [1, 5])], {"c": c}, opset=first_opset(op))
    module = check_import(model, "ee.add")
    assert op.name not in [o.name for o in module.walk()]


@ACTIVATIONS
def test_is_listed_as_supported(op: type[ee.ActivationOp]) -> None:
    assert op.ONNX in supported_summary()


def test_hardswish_below_its_first_opset_is_refused_with_its_name() -> None:
    """HardSwish exists from opset 14: an opset-13 model using it names the op and the opset."""
    model = single_node("HardSwish", [("x", [1, 3])], [1, 3], None, 13)
    with pytest.raises(UserError, match=r"HardSwish.*13"):
        import_onnx(model, "t.onnx")
