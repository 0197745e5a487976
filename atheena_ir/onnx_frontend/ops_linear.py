"""
Fully connected layers to `ee.linear` (`y = x W^T + b`).

* `Gemm(A, B, C)`: `alpha`, `beta`, `transA`, `transB` are folded into constant weights
  (`W = alpha * op(B)^T`, `b = beta * C`); A must be the run-time input and B, C constants.
* `MatMul(A, B)` with a constant `B[K, M]`: `W = B^T`.
* `MatMul` followed by `Add` of a constant: the add becomes the bias (see `fold_bias_add`,
  which also folds a per-channel constant `Add` into the bias of an `ee.conv2d`).

```
Gemm_7(x[1,640], W[10,640], b[10]) {transB=1}  ->  %y = ee.linear %x, %w bias %b
```
"""

from __future__ import annotations

import numpy as np
import onnx
from xdsl.ir import Operation, SSAValue

from atheena_ir.dialects import ee
from atheena_ir.onnx_frontend.attributes import NodeAttributes
from atheena_ir.onnx_frontend.context import ImportContext
from atheena_ir.onnx_frontend.diagnostics import NodeRefusal
from atheena_ir.onnx_frontend.scope import Value
from atheena_ir.onnx_frontend.tensors import value_shape


def gemm_reference(
    a: np.ndarray, b: np.ndarray, c: np.ndarray | None, attrs: NodeAttributes
) -> np.ndarray:
    """Gemm on constants: `alpha * op(A) op(B) + beta * C` (used by constant folding)."""
    a = a.T if attrs.int("transA", 0) else a
    b = b.T if attrs.int("transB", 0) else b
    y = attrs.float("alpha", 1.0) * (a @ b)
    if c is not None:
        y = y + attrs.float("beta", 1.0) * c
    return y.astype(np.result_type(a, b))


def convert_gemm(ctx: ImportContext, node: onnx.NodeProto) -> list[Value]:
    """
    Import `Gemm` as `ee.linear` with alpha/beta/transB folded into the constants.

    Example: `convert_gemm(ctx, node)` returns `[linear_result]`.
    """
    attrs = NodeAttributes(node)
    if attrs.int("transA", 0):
        raise NodeRefusal(
            "transA=1 on the run-time input A is not supported; ee.linear takes A as [N, K]"
        )
    x = ctx.activation(node, 0, "input A")
    b = ctx.constant(node, 1, "input B (the weights)")
    c = ctx.constant(node, 2, "input C (the bias)")
    if b is None or b.ndim != 2:
        raise NodeRefusal("input B (the weights) must be a constant matrix")
    shape = value_shape(x)
    if len(shape) != 2:
        raise NodeRefusal(f"input A has rank {len(shape)}; Gemm needs a matrix [N, K]")
    alpha, beta = attrs.float("alpha", 1.0), attrs.float("beta", 1.0)
    trans_b = attrs.int("transB", 0)
    with np.errstate(all="ignore"):  # a non-finite alpha is refused by `materialise`
        weight = (b if trans_b else b.T) * np.float32(alpha)
    weight_name = node.input[1]
    w_value = ctx.materialise(weight, weight_name, reuse=alpha == 1.0 and bool(trans_b))
    bias_value = None
    if c is not None:
        rows, m = shape[0], weight.shape[0]
        with np.errstate(all="ignore"):
            bias = _row_bias(c * np.float32(beta), (rows, m), "input C (the bias)")
        same = beta == 1.0 and c.shape == (m,)
        bias_value = ctx.materialise(bias, node.input[2], reuse=same)
    if weight.shape[1] != shape[1]:
        raise NodeRefusal(
            f"input A is {list(shape)} but the weights need {weight.shape[1]} features"
        )
    return [ctx.emit(ee.LinearOp(x, w_value, bias_value)).output]


def _row_bias(c: np.ndarray, out_shape: tuple[int, int], what: str) -> np.ndarray:
    """The per-output bias `[M]` that `c` broadcasts to over `[N, M]` (equal rows)."""
    try:
        full = np.broadcast_to(c, out_shape)
    except ValueError:
        raise NodeRefusal(
            f"{what} of shape {list(c.shape)} does not broadcast to {list(out_shape)}"
        ) from None
    if not np.array_equal(full, np.broadcast_to(full[:1], out_shape)):
        raise NodeRefusal(f"{what} differs between rows; only a per-output bias is supported")
    return np.ascontiguousarray(full[0])


def convert_matmul(ctx: ImportContext, node: onnx.NodeProto) -> list[Value]:
    """
    Import `MatMul(A, B)` with constant `B[K, M]` as `ee.linear` with weight `B^T`.

    Example: `convert_matmul(ctx, node)` returns `[linear_result]`.
    """
    x = ctx.activation(node, 0, "input A")
    b = ctx.constant(node, 1, "input B (the weights)")
    shape = value_shape(x)
    if b is None or b.ndim != 2 or len(shape) != 2:
        raise NodeRefusal(
            f"only [N, K] x constant [K, M] is supported, got A of shape {list(shape)}"
            + ("" if b is None else f" and B of shape {list(b.shape)}")
        )
    if b.shape[0] != shape[1]:
        raise NodeRefusal(f"A is {list(shape)} but B is {list(b.shape)}")
    w_value = ctx.materialise(np.ascontiguousarray(b.T), node.input[1])
    return [ctx.emit(ee.LinearOp(x, w_value, None)).output]


def fold_bias_add(
    ctx: ImportContext, x_name: str, x: SSAValue, c: np.ndarray, c_name: str
) -> SSAValue | None:
    """
    Fold `Add(x, c)` into the bias of the `ee.linear`/`ee.conv2d` producing `x` when that
    op is only read by this Add and `c` is a per-output constant; None otherwise.

    Example: MatMul + Add(bias) becomes one `ee.linear %x, %w bias %b`.
    """
    owner = x.owner
    if ctx.uses.get(x_name, 0) != 1 or not isinstance(owner, ee.LinearOp | ee.Conv2dOp):
        return None
    if owner.parent_block() is not ctx.block:
        return None
    out_shape = value_shape(x)
    try:
        if np.broadcast_shapes(c.shape, out_shape) != out_shape:
            return None
    except ValueError:
        return None
    full = np.broadcast_to(c, out_shape)
    per_channel = full[(slice(0, 1), slice(None), *([slice(0, 1)] * (len(out_shape) - 2)))]
    if not np.array_equal(full, np.broadcast_to(per_channel, out_shape)):
        return None
    bias = per_channel.reshape(-1).astype(np.float32)
    if owner.bias is not None:
        old = owner.bias.owner
        if not isinstance(old, ee.ConstantOp):
            return None
        bias = bias + old.to_array()
    new_bias = ctx.materialise(bias, c_name)
    new_op: Operation
    if isinstance(owner, ee.LinearOp):
        new_op = ee.LinearOp(owner.input, owner.weight, new_bias)
    else:
        new_op = ee.Conv2dOp(owner.input, owner.weight, new_bias, result_type=owner.output.type)
        new_op.properties.update(owner.properties)
    new_op.attributes.update(owner.attributes)
    ctx.builder.insert(new_op)
    old_bias = owner.bias
    owner.detach()
    owner.erase()
    if old_bias is not None and not old_bias.uses and old_bias.owner is not None:
        old_owner = old_bias.owner
        assert isinstance(old_owner, Operation)
        ctx.scope.forget(old_bias)
        old_owner.detach()
        old_owner.erase()
    return new_op.results[0]
