"""Every activation end to end: an ONNX Conv -> activation -> MaxPool -> Flatten -> Gemm network
imported, folded, lowered, printed by -t hls and C-simulated, bit for bit against the
fixed-point interpreter (the add-a-layer tutorial's last step; a new activation is tested here
with no edit)."""

from __future__ import annotations

import numpy as np
import pytest
from onnx import TensorProto, helper, numpy_helper

from atheena_ir.csim import simulate
from atheena_ir.dialects import ee
from tests.hls.flow import flow


def conv_activation_gemm(op: type[ee.ActivationOp]) -> object:
    rng = np.random.default_rng(0)
    inits = {
        "w": rng.uniform(-0.5, 0.5, (4, 2, 3, 3)).astype(np.float32),
        "b": rng.uniform(-0.5, 0.5, (4,)).astype(np.float32),
        "g": rng.uniform(-0.5, 0.5, (3, 4 * 3 * 3)).astype(np.float32),
        "gb": rng.uniform(-0.5, 0.5, (3,)).astype(np.float32),
    }
    nodes = [
        helper.make_node("Conv", ["x", "w", "b"], ["c"], kernel_shape=[3, 3], pads=[1, 1, 1, 1]),
        helper.make_node(op.ONNX, ["c"], ["h"]),
        helper.make_node("MaxPool", ["h"], ["p"], kernel_shape=[2, 2], strides=[2, 2]),
        helper.make_node("Flatten", ["p"], ["f"]),
        helper.make_node("Gemm", ["f", "g", "gb"], ["y"], transB=1),
    ]
    graph = helper.make_graph(
        nodes,
        f"conv_{op.unit_name()}_gemm",
        [helper.make_tensor_value_info("x", TensorProto.FLOAT, [1, 2, 6, 6])],
        [helper.make_tensor_value_info("y", TensorProto.FLOAT, [1, 3])],
        [numpy_helper.from_array(a, n) for n, a in inits.items()],
    )
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 14)])
    model.ir_version = 7
    return model


@pytest.mark.parametrize("op", ee.ACTIVATIONS, ids=lambda op: op.unit_name())
def test_conv_activation_gemm_bit_exact(op: type[ee.ActivationOp]) -> None:
    coarse = 2  # two lanes, and squeezes around the max pool (the unit tests cover one lane)
    name = op.unit_name()
    f = flow(
        f"{name}_c{coarse}", lambda: conv_activation_gemm(op), f"fold{{coarse={coarse} fine=max}}"
    )
    assert any(o.name == f"hws.{name}" for o in f.hws_module.walk())
    x = np.random.default_rng(1).uniform(-4, 4, (16, 2, 6, 6))
    got = simulate(f.project, x)
    want = f.reference(x)
    assert np.abs(want.output).max() > 0
    np.testing.assert_array_equal(got.real, want.output)
