"""
Patterns real exporters write that the model zoo needs: batch norm as a per-channel `Mul`
(+ `Add`), imported as an exact `ee.batchnorm` that canonicalize folds into the conv before it.
"""

from __future__ import annotations

import numpy as np
import pytest
from onnx import helper
from xdsl.transforms.canonicalize import CanonicalizePass

import atheena_ir
from atheena_ir.dialects import ee
from atheena_ir.errors import UserError
from atheena_ir.interpreter import run
from atheena_ir.onnx_frontend import import_onnx
from tests.onnx_frontend.numeric import check_import, ort_run
from tests.onnx_frontend.onnx_builders import make_model, rng_array

SHAPE = [1, 4, 6, 6]


def _ops(module: object) -> list[str]:
    return [op.name for op in module.walk()]  # type: ignore[attr-defined]


@pytest.mark.parametrize("const_shape", [(4, 1, 1), (1, 4, 1, 1), (1,), ()])
@pytest.mark.parametrize("swap", [False, True])
def test_mul_by_a_per_channel_constant_is_an_exact_batchnorm(
    const_shape: tuple[int, ...], swap: bool
) -> None:
    inputs = ["s", "x"] if swap else ["x", "s"]
    model = make_model(
        [helper.make_node("Mul", inputs, ["y"], name="Mul_0")],
        [("x", SHAPE)],
        [("y", SHAPE)],
        {"s": rng_array(const_shape, seed=1) if const_shape else np.float32(1.5)},
        opset=9,
    )
    module = check_import(model, "ee.batchnorm", rtol=0, atol=0)
    bn = next(op for op in module.walk() if isinstance(op, ee.BatchNormOp))
    assert bn.epsilon.value.data == 0.0
    assert bn.attributes["onnx_name"].data == "Mul_0"  # type: ignore[attr-defined]


def test_mul_then_add_is_one_batchnorm_folded_into_the_conv() -> None:
    nodes = [
        helper.make_node("Conv", ["x", "w"], ["c"], name="Conv_0", kernel_shape=[3, 3]),
        helper.make_node("Mul", ["c", "s"], ["m"], name="Mul_1"),
        helper.make_node("Add", ["m", "b"], ["y"], name="Add_2"),
    ]
    inits = {
        "w": rng_array((4, 4, 3, 3)),
        "s": rng_array((4, 1, 1), 1),
        "b": rng_array((4, 1, 1), 2),
    }
    model = make_model(nodes, [("x", SHAPE)], [("y", [1, 4, 4, 4])], inits, opset=9)
    module = check_import(model, "ee.batchnorm")  # the conv's sums differ in order from ORT's
    names = _ops(module)
    assert names.count("ee.batchnorm") == 1
    assert "ee.add" not in names
    CanonicalizePass().apply(atheena_ir.context(), module)
    names = _ops(module)
    assert "ee.batchnorm" not in names
    assert names.count("ee.conv2d") == 1
    x = rng_array(SHAPE, 3)
    np.testing.assert_allclose(
        run(module, [x]).output, ort_run(model, {"x": x}), rtol=1e-4, atol=1e-4
    )


def test_add_after_a_mul_read_twice_stays_an_add() -> None:
    nodes = [
        helper.make_node("Mul", ["x", "s"], ["m"], name="Mul_0"),
        helper.make_node("Add", ["m", "b"], ["a"], name="Add_1"),
        helper.make_node("Add", ["a", "m"], ["y"], name="Add_2"),
    ]
    inits = {"s": rng_array((4, 1, 1), 1), "b": rng_array((4, 1, 1), 2)}
    model = make_model(nodes, [("x", SHAPE)], [("y", SHAPE)], inits, opset=9)
    module = check_import(model, "ee.batchnorm")
    assert _ops(module).count("ee.add") == 2


def test_add_of_a_spatial_constant_after_a_mul_is_a_plain_add() -> None:
    nodes = [
        helper.make_node("Mul", ["x", "s"], ["m"], name="Mul_0"),
        helper.make_node("Add", ["m", "b"], ["y"], name="Add_1"),
    ]
    inits = {"s": rng_array((4, 1, 1), 1), "b": rng_array((1, 6, 6), 2)}
    model = make_model(nodes, [("x", SHAPE)], [("y", SHAPE)], inits, opset=9)
    module = check_import(model, "ee.batchnorm")
    assert "ee.add" in _ops(module)


def test_unsupported_muls_are_listed_in_one_message_with_the_other_nodes() -> None:
    nodes = [
        helper.make_node("Mul", ["x", "x"], ["sq"], name="Mul_0"),
        helper.make_node("Mul", ["x", "p"], ["sp"], name="Mul_1"),
        helper.make_node("LRN", ["x"], ["n"], name="LRN_2", size=3),
        helper.make_node("Sum", ["sq", "sp", "n"], ["y"], name="Sum_3"),
    ]
    inits = {"p": rng_array((1, 6, 6), 1)}
    model = make_model(nodes, [("x", SHAPE)], [("y", SHAPE)], inits, opset=9)
    with pytest.raises(UserError) as err:
        import_onnx(model, "m.onnx")
    message = str(err.value)
    assert "cannot import 3 nodes" in message
    assert (
        "'Mul_0' (op Mul, opset 9): only a run-time tensor times a per-channel constant" in message
    )
    assert "'Mul_1' (op Mul, opset 9): constant 'p' of shape [1, 6, 6]" in message
    assert "'LRN_2' (op LRN, opset 9): op type not supported" in message
