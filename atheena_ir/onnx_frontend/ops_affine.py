"""
Per-channel affine maps written with plain arithmetic, as converters from other frameworks
(and hand-folded exports) write an inference batch norm:

```
Mul(x, scale[C,1,1])                  -> ee.batchnorm x, scale, 0, mean 0, var 1, epsilon 0
Mul(x, scale[C,1,1]) -> Add(., b[C,1,1]) -> ee.batchnorm x, scale, b, mean 0, var 1, epsilon 0
```

Both are exact: `scale * (x - 0) / sqrt(1 + 0) + b` is `x * scale + b` in float32 too. As an
`ee.batchnorm` the map folds into a preceding convolution or linear layer (`canonicalize`), so
it costs no hardware. The constant may be a scalar or any shape that broadcasts to one value per
channel (`[C,1,1]`, `[1,C,1,1]`, `[C]` on a `[N, C]` input); anything else is refused.
"""

from __future__ import annotations

import numpy as np
import onnx
from xdsl.ir import SSAValue

from atheena_ir.dialects import ee
from atheena_ir.onnx_frontend.context import ImportContext
from atheena_ir.onnx_frontend.diagnostics import NodeRefusal
from atheena_ir.onnx_frontend.ops_elementwise import convert_add
from atheena_ir.onnx_frontend.scope import Value
from atheena_ir.onnx_frontend.tensors import value_shape


def per_channel(c: np.ndarray, shape: tuple[int, ...]) -> np.ndarray | None:
    """
    The `[C]` values of constant `c` when it broadcasts to `shape` (`[N, C, ...]`) with one
    value per channel (equal over the batch and the spatial positions); None otherwise.

    Example: `per_channel(np.ones((4, 1, 1)), (1, 4, 8, 8))` is `np.ones(4)`.
    """
    if len(shape) < 2:
        return None
    try:
        if np.broadcast_shapes(c.shape, shape) != shape:
            return None
    except ValueError:
        return None
    full = np.broadcast_to(c, shape)
    first = full[(slice(0, 1), slice(None), *([slice(0, 1)] * (len(shape) - 2)))]
    if not np.array_equal(full, np.broadcast_to(first, shape)):
        return None
    return np.ascontiguousarray(first.reshape(-1)).astype(np.float32)


def _split(ctx: ImportContext, node: onnx.NodeProto) -> tuple[int, int] | None:
    """Indices (activation, constant) of a two-input node with one of each, else None."""
    if len([name for name in node.input if name]) != 2:
        return None
    flags = [ctx.is_constant(node, i) for i in range(2)]
    if flags == [False, True]:
        return 0, 1
    if flags == [True, False]:
        return 1, 0
    return None


def _affine(
    ctx: ImportContext, x: SSAValue, scale: np.ndarray, bias: np.ndarray, name: str
) -> SSAValue:
    """Emit `ee.batchnorm` computing `x * scale + bias` per channel (exact)."""
    c = scale.shape[0]
    params = [
        ctx.materialise(scale, name),
        ctx.materialise(bias, f"{name}.zero_bias"),
        ctx.materialise(np.zeros(c, np.float32), f"{name}.zero_mean"),
        ctx.materialise(np.ones(c, np.float32), f"{name}.unit_var"),
    ]
    return ctx.emit(ee.BatchNormOp(x, *params, 0.0)).output


def convert_mul(ctx: ImportContext, node: onnx.NodeProto) -> list[Value]:
    """
    Import `Mul` of a run-time tensor by a per-channel constant as an exact `ee.batchnorm`.

    Example: `convert_mul(ctx, node)` returns `[batchnorm_result]`.
    """
    sides = _split(ctx, node)
    if sides is None:
        raise NodeRefusal(
            "only a run-time tensor times a per-channel constant is supported (a batch norm "
            "written as Mul); a product of two run-time tensors has no ee op"
        )
    xi, ci = sides
    x = ctx.activation(node, xi, "input")
    const = ctx.constant(node, ci, "the constant factor")
    assert const is not None
    shape = value_shape(x)
    scale = per_channel(const, shape)
    if scale is None:
        raise NodeRefusal(
            f"constant '{node.input[ci]}' of shape {list(const.shape)} is not one factor per "
            f"channel of the input {list(shape)}; only per-channel scaling is supported"
        )
    return [_affine(ctx, x, scale, np.zeros_like(scale), node.input[ci])]


def convert_add_affine(ctx: ImportContext, node: onnx.NodeProto) -> list[Value]:
    """
    Import `Add`/`Sum`; a per-channel constant added to the result of a `Mul` imported as a
    bias-free `ee.batchnorm` (and read only here) becomes that batch norm's bias, everything
    else goes to `convert_add`.

    Example: `Mul(x, s) -> Add(., b)` becomes one `ee.batchnorm x, s, b, 0, 1 epsilon 0`.
    """
    sides = _split(ctx, node)
    if sides is not None:
        xi, ci = sides
        x = ctx.value(node, xi)
        const = ctx.constant(node, ci, "the constant addend")
        owner = x.owner if isinstance(x, SSAValue) else None
        if (
            isinstance(x, SSAValue)
            and const is not None
            and isinstance(owner, ee.BatchNormOp)
            and owner.parent_block() is ctx.block
            and ctx.uses.get(node.input[xi], 0) == 1
            and _zero_bias_affine(owner)
            and (bias := per_channel(const, value_shape(x))) is not None
        ):
            return [_affine_from(ctx, owner, bias, node.input[ci])]
    return convert_add(ctx, node)


def _zero_bias_affine(op: ee.BatchNormOp) -> bool:
    """Whether `op` is `x * scale` exactly: bias and mean 0, var 1, epsilon 0, all constant."""
    arrays = []
    for v in (op.bias, op.mean, op.var):
        if not isinstance(v.owner, ee.ConstantOp):
            return False
        arrays.append(v.owner.to_array())
    bias, mean, var = arrays
    return (
        op.epsilon.value.data == 0.0
        and not np.any(bias)
        and not np.any(mean)
        and bool(np.all(var == 1.0))
    )


def _affine_from(ctx: ImportContext, old: ee.BatchNormOp, bias: np.ndarray, name: str) -> SSAValue:
    """Replace bias-free `old` by a batch norm with `bias`, keeping its scale and name."""
    new_bias = ctx.materialise(bias, name)
    new = ee.BatchNormOp(old.input, old.scale, new_bias, old.mean, old.var, 0.0)
    new.attributes.update(old.attributes)
    ctx.builder.insert(new)
    old_bias = old.bias
    old.detach()
    old.erase()
    if not old_bias.uses and isinstance(old_bias.owner, ee.ConstantOp):
        ctx.scope.forget(old_bias)
        old_bias.owner.detach()
        old_bias.owner.erase()
    return new.output
