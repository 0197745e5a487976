"""The interpreter's user errors: wrong inputs, unknown ops, nothing to run; and its API."""

from __future__ import annotations

import numpy as np
import pytest
from xdsl.builder import Builder
from xdsl.dialects import arith, func
from xdsl.dialects.builtin import ModuleOp, TensorType, f32
from xdsl.ir import Block, Region
from xdsl.rewriter import InsertPoint

from atheena_ir.dialects import ee
from atheena_ir.errors import UserError
from atheena_ir.interpreter import run

T = TensorType(f32, [1, 3, 4, 4])


def _relu_module(name: str = "main") -> ModuleOp:
    block = Block(arg_types=[T])
    b = Builder(InsertPoint.at_end(block))
    y = b.insert(ee.ReluOp(block.args[0])).output
    b.insert(func.ReturnOp(y))
    return ModuleOp([func.FuncOp(name, ([T], [T]), Region(block))])


def test_runs_a_batch_and_reports_exit_zero_without_exits() -> None:
    x = np.random.default_rng(0).standard_normal((5, 3, 4, 4)).astype(np.float32)
    res = run(_relu_module(), x)
    np.testing.assert_array_equal(res.output, np.maximum(x, 0))
    np.testing.assert_array_equal(res.exit_index, np.zeros(5))
    main = next(op for op in _relu_module().walk() if isinstance(op, func.FuncOp))
    assert run(main, [x]).output.shape == (5, 3, 4, 4)


@pytest.mark.parametrize(
    ("x", "message"),
    [
        (np.zeros((2, 3, 4, 5), np.float32), r"shape \[2, 3, 4, 5\], expected \[N, 3, 4, 4\]"),
        (np.zeros((3, 4, 4), np.float32), r"shape \[3, 4, 4\], expected \[N, 3, 4, 4\]"),
        (np.zeros((2, 3, 4, 4), np.float64), r"dtype float64, expected .*astype\(np.float32\)"),
        (np.zeros((2, 3, 4, 4), np.int32), "dtype int32"),
        ([[0.0]], "must be a numpy array"),
    ],
)
def test_wrong_input_is_a_user_error(x: object, message: str) -> None:
    with pytest.raises(UserError, match=message):
        run(_relu_module(), [x])  # type: ignore[list-item]


def test_wrong_number_of_inputs() -> None:
    x = np.zeros((1, 3, 4, 4), np.float32)
    with pytest.raises(UserError, match="takes 1 inputs, got 2"):
        run(_relu_module(), [x, x])


def test_unknown_op_is_named() -> None:
    block = Block(arg_types=[T])
    b = Builder(InsertPoint.at_end(block))
    y = b.insert(arith.AddfOp(block.args[0], block.args[0])).result
    b.insert(func.ReturnOp(y))
    module = ModuleOp([func.FuncOp("main", ([T], [T]), Region(block))])
    with pytest.raises(UserError, match=r"no implementation of 'arith.addf'.*ee.conv2d"):
        run(module, np.zeros((1, 3, 4, 4), np.float32))


def test_missing_main_is_named() -> None:
    funcs = [op.clone() for name in "ab" for op in _relu_module(name).ops]
    both = ModuleOp(funcs)
    with pytest.raises(UserError, match=r"no func.func @main.*@a, @b"):
        run(both, np.zeros((1, 3, 4, 4), np.float32))
