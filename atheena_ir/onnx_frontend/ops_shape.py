"""
Shape ops: `Flatten` -> `ee.flatten`, `Reshape` with a constant shape -> `ee.reshape`
(0 copies a dim unless `allowzero=1`, -1 is inferred), `Concat` -> `ee.concat`;
`Identity` and `Dropout` (inference) are removed: their output is their input.

```
Flatten_6(x[1,10,4,4]) {axis=1}  ->  %f = ee.flatten %x axis 1 : ... -> tensor<1x160xf32>
```
"""

from __future__ import annotations

import math

import numpy as np
import onnx

from atheena_ir.dialects import ee
from atheena_ir.onnx_frontend.attributes import NodeAttributes
from atheena_ir.onnx_frontend.context import ImportContext
from atheena_ir.onnx_frontend.diagnostics import NodeRefusal
from atheena_ir.onnx_frontend.scope import Value
from atheena_ir.onnx_frontend.tensors import f32_tensor, value_shape


def reshape_target(in_shape: tuple[int, ...], spec: list[int], allowzero: bool) -> tuple[int, ...]:
    """
    The output shape of ONNX Reshape for input shape `in_shape` and shape input `spec`.

    Example: `reshape_target((1, 10, 4, 4), [0, -1], False) == (1, 160)`.
    """
    out: list[int] = []
    for i, d in enumerate(spec):
        if d == 0 and not allowzero:
            if i >= len(in_shape):
                raise NodeRefusal(f"shape {spec}: a 0 at position {i} has no input dim to copy")
            out.append(in_shape[i])
        elif d < -1:
            raise NodeRefusal(f"shape {spec} has a negative size {d}")
        else:
            out.append(d)
    total = math.prod(in_shape)
    if out.count(-1) > 1:
        raise NodeRefusal(f"shape {spec} has more than one -1")
    if -1 in out:
        known = math.prod(d for d in out if d != -1)
        if known == 0 or total % known:
            raise NodeRefusal(f"cannot reshape {list(in_shape)} to {spec}")
        out[out.index(-1)] = total // known
    if math.prod(out) != total:
        raise NodeRefusal(f"cannot reshape {list(in_shape)} ({total} elements) to {spec}")
    return tuple(out)


def convert_reshape(ctx: ImportContext, node: onnx.NodeProto) -> list[Value]:
    """
    Import `Reshape` with a constant shape as `ee.reshape` (nothing when the shape stays).

    Example: `convert_reshape(ctx, node)` returns `[reshaped]`.
    """
    x = ctx.activation(node, 0, "input data")
    spec = ctx.constant(node, 1, "input shape")
    if spec is None:
        shape_attr = NodeAttributes(node).ints("shape", None)  # opset < 5 form
        spec = np.asarray(shape_attr)
    allowzero = bool(NodeAttributes(node).int("allowzero", 0))
    target = reshape_target(value_shape(x), [int(d) for d in spec.reshape(-1)], allowzero)
    if target == value_shape(x):
        return [x]
    return [ctx.emit(ee.ReshapeOp(x, f32_tensor(target))).output]


def convert_flatten(ctx: ImportContext, node: onnx.NodeProto) -> list[Value]:
    """
    Import `Flatten` as `ee.flatten` (negative axes counted from the end).

    Example: `convert_flatten(ctx, node)` returns `[flat]`.
    """
    x = ctx.activation(node, 0, "input")
    rank = len(value_shape(x))
    axis = NodeAttributes(node).int("axis", 1)
    axis = axis + rank if axis < 0 else axis
    if not 0 <= axis <= rank:
        raise NodeRefusal(f"axis {axis} is out of range for rank {rank}")
    return [ctx.emit(ee.FlattenOp(x, axis)).output]


def convert_concat(ctx: ImportContext, node: onnx.NodeProto) -> list[Value]:
    """
    Import `Concat` as `ee.concat`; constant inputs become `ee.constant`.

    Example: `convert_concat(ctx, node)` returns `[joined]`.
    """
    inputs = [ctx.activation(node, i, f"input {i}") for i, name in enumerate(node.input) if name]
    if not inputs:
        raise NodeRefusal("has no inputs")
    rank = len(value_shape(inputs[0]))
    axis = NodeAttributes(node).int("axis", 1 if ctx.opset < 4 else 0)
    axis = axis + rank if axis < 0 else axis
    if not 0 <= axis < rank or any(len(value_shape(v)) != rank for v in inputs):
        raise NodeRefusal(f"axis {axis} or the input ranks do not fit rank {rank}")
    if len(inputs) == 1:
        return [inputs[0]]
    return [ctx.emit(ee.ConcatOp(inputs, axis)).output]


def convert_identity(ctx: ImportContext, node: onnx.NodeProto) -> list[Value]:
    """
    Remove `Identity`: its output is its input.

    Example: `convert_identity(ctx, node)` returns `[input]`.
    """
    found = ctx.value(node, 0)
    if found is None:
        raise NodeRefusal("input is missing")
    return [found]


def convert_dropout(ctx: ImportContext, node: onnx.NodeProto) -> list[Value]:
    """
    Remove `Dropout` (inference): its output is its input; the mask output is refused.

    Example: `convert_dropout(ctx, node)` returns `[input]`.
    """
    if NodeAttributes(node).int("is_test", 1) == 0 and ctx.opset < 7:
        raise NodeRefusal("is_test=0 (training) is not supported")
    if len(node.input) > 2 and node.input[2]:
        training = ctx.constant(node, 2, "input training_mode")
        if training is not None and bool(np.any(training)):
            raise NodeRefusal("training_mode=true is not supported; export in eval mode")
    return convert_identity(ctx, node)
