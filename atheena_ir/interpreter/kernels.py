"""
Kernels: the tensor ops of `ee`, one function per op class, in a dispatch table.

A kernel receives the op, its operands' data and the arithmetic backend, and returns its
results' data. Each array has a leading *row* axis (one row per sample the result will
hold, or a single broadcasting row for a value that is the same for every sample) followed
by the IR shape, e.g. `[rows, 1, C, H, W]` for `tensor<1xCxHxWxf32>`. The engine has already
aligned the operands to the same samples, so a kernel never sees sample indices.

Adding an op (see docs/interpreter.md; an activation needs no kernel of its own)::

    @kernel(ee.AddOp)
    def _add(op: ee.AddOp, args: list[np.ndarray], arith: Arithmetic) -> list[np.ndarray]:
        return [arith.add(args[0], args[1])]
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
from xdsl.dialects.builtin import TensorType
from xdsl.ir import Operation, SSAValue

from atheena_ir.dialects import ee
from atheena_ir.dialects.ee.syntax import int_list
from atheena_ir.errors import UserError
from atheena_ir.interpreter.arithmetic import Arithmetic

Kernel = Callable[[Operation, list[np.ndarray], Arithmetic], list[np.ndarray]]

KERNELS: dict[type[Operation], Kernel] = {}
"""The tensor ops the interpreter runs, by op class."""


def kernel(op_class: type[Operation]) -> Callable[[Kernel], Kernel]:
    """Register a kernel for `op_class` (replacing any earlier one)."""

    def register(fn: Kernel) -> Kernel:
        KERNELS[op_class] = fn
        return fn

    return register


def ir_shape(value: SSAValue) -> tuple[int, ...]:
    """The IR shape of a value (`()` for a scalar such as an `i1` decision)."""
    return tuple(value.type.get_shape()) if isinstance(value.type, TensorType) else ()


def merge_rows(x: np.ndarray) -> np.ndarray:
    """`[rows, B, ...]` -> `[rows * B, ...]`: the sample axis joins the IR's batch dim."""
    return x.reshape(x.shape[0] * x.shape[1], *x.shape[2:])


def split_rows(y: np.ndarray, rows: int) -> np.ndarray:
    """The inverse of `merge_rows`."""
    return y.reshape(rows, y.shape[0] // rows, *y.shape[1:])


def param(x: np.ndarray, op: Operation, what: str) -> np.ndarray:
    """A weight-like operand: the same for every sample, returned without its row axis."""
    if x.shape[0] != 1:
        raise UserError(f"'{op.name}': the {what} must be the same for every sample (a constant)")
    return x[0]


def optional_param(x: list[np.ndarray], op: Operation, what: str) -> np.ndarray | None:
    return param(x[0], op, what) if x else None


def broadcast_rows(args: list[np.ndarray]) -> list[np.ndarray]:
    """Give every operand the same number of rows (uniform operands broadcast)."""
    rows = max(a.shape[0] for a in args)
    return [np.broadcast_to(a, (rows, *a.shape[1:])) for a in args]


@kernel(ee.ConstantOp)
def _constant(op: ee.ConstantOp, args: list[np.ndarray], arith: Arithmetic) -> list[np.ndarray]:
    return [arith.constant(op.to_array())[None]]


@kernel(ee.Conv2dOp)
def _conv2d(op: ee.Conv2dOp, args: list[np.ndarray], arith: Arithmetic) -> list[np.ndarray]:
    x, w, *b = args
    y = arith.conv2d(
        merge_rows(x),
        param(w, op, "weight"),
        optional_param(b, op, "bias"),
        int_list(op.strides),
        int_list(op.pads),
        int_list(op.dilations),
        op.groups.value.data,
    )
    return [split_rows(y, x.shape[0])]


@kernel(ee.MaxPool2dOp)
def _maxpool(op: ee.MaxPool2dOp, args: list[np.ndarray], arith: Arithmetic) -> list[np.ndarray]:
    (x,) = args
    window = (int_list(op.kernel), int_list(op.strides), int_list(op.pads))
    return [split_rows(arith.maxpool2d(merge_rows(x), *window), x.shape[0])]


@kernel(ee.AvgPool2dOp)
def _avgpool(op: ee.AvgPool2dOp, args: list[np.ndarray], arith: Arithmetic) -> list[np.ndarray]:
    (x,) = args
    window = (int_list(op.kernel), int_list(op.strides), int_list(op.pads))
    include = op.count_include_pad is not None
    return [split_rows(arith.avgpool2d(merge_rows(x), *window, include), x.shape[0])]


@kernel(ee.GlobalAvgPoolOp)
def _gap(op: ee.GlobalAvgPoolOp, args: list[np.ndarray], arith: Arithmetic) -> list[np.ndarray]:
    (x,) = args
    return [split_rows(arith.global_avgpool(merge_rows(x)), x.shape[0])]


@kernel(ee.LinearOp)
def _linear(op: ee.LinearOp, args: list[np.ndarray], arith: Arithmetic) -> list[np.ndarray]:
    x, w, *b = args
    y = arith.linear(merge_rows(x), param(w, op, "weight"), optional_param(b, op, "bias"))
    return [split_rows(y, x.shape[0])]


def _activation(op: ee.ActivationOp, args: list[np.ndarray], arith: Arithmetic) -> list[np.ndarray]:
    return [arith.activation(type(op), args[0])]


for _op in ee.ACTIVATIONS:  # one kernel for every activation
    kernel(_op)(_activation)


@kernel(ee.AddOp)
def _add(op: ee.AddOp, args: list[np.ndarray], arith: Arithmetic) -> list[np.ndarray]:
    return [arith.add(args[0], args[1])]


@kernel(ee.SoftmaxOp)
def _softmax(op: ee.SoftmaxOp, args: list[np.ndarray], arith: Arithmetic) -> list[np.ndarray]:
    return [arith.softmax(args[0], op.axis.value.data + 1)]


@kernel(ee.BatchNormOp)
def _batchnorm(op: ee.BatchNormOp, args: list[np.ndarray], arith: Arithmetic) -> list[np.ndarray]:
    x, *stats = args
    scale, bias, mean, var = (param(s, op, "statistics") for s in stats)
    y = arith.batchnorm(merge_rows(x), scale, bias, mean, var, op.epsilon.value.data)
    return [split_rows(y, x.shape[0])]


@kernel(ee.FlattenOp)
@kernel(ee.ReshapeOp)
def _reshape(
    op: ee.FlattenOp | ee.ReshapeOp, args: list[np.ndarray], arith: Arithmetic
) -> list[np.ndarray]:
    (x,) = args
    return [x.reshape(x.shape[0], *ir_shape(op.output))]


@kernel(ee.ConcatOp)
def _concat(op: ee.ConcatOp, args: list[np.ndarray], arith: Arithmetic) -> list[np.ndarray]:
    return [arith.concat(broadcast_rows(args), op.axis.value.data + 1)]


@kernel(ee.ExitDecisionOp)
def _decision(op: ee.ExitDecisionOp, args: list[np.ndarray], arith: Arithmetic) -> list[np.ndarray]:
    (z,) = args
    if op.criterion.data != "top1":
        raise UserError(f"'{op.name}': the interpreter knows only the 'top1' criterion")
    logits = z.reshape(z.shape[0], -1)
    return [arith.top1_exceeds(logits, op.threshold.value.data)]
