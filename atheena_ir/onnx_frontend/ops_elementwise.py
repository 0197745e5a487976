"""
Element-wise and normalising ops: every activation (`Relu` -> `ee.relu`, `HardSwish` ->
`ee.hardswish`, ...: `ee.ACTIVATIONS`), `Add`/`Sum` -> `ee.add` (a constant
operand is broadcast to the activation's shape or folded into a preceding bias),
`Softmax` -> `ee.softmax`, `BatchNormalization` (inference) -> `ee.batchnorm`.

Softmax below opset 13 normalises over all dims from `axis` on (the input coerced to
2-D); where that differs from one axis it is imported as flatten, softmax, reshape.

```
Relu_2(x) -> %y = ee.relu %x : tensor<1x5x14x14xf32>
```
"""

from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np
import onnx
from xdsl.ir import SSAValue

from atheena_ir.dialects import ee
from atheena_ir.onnx_frontend.attributes import NodeAttributes
from atheena_ir.onnx_frontend.context import ImportContext
from atheena_ir.onnx_frontend.diagnostics import NodeRefusal
from atheena_ir.onnx_frontend.ops_linear import fold_bias_add
from atheena_ir.onnx_frontend.scope import Value
from atheena_ir.onnx_frontend.tensors import f32_decimal, f32_tensor, value_shape

Converter = Callable[[ImportContext, onnx.NodeProto], list[Value]]


def convert_activation(activation: type[ee.ActivationOp]) -> Converter:
    """
    The converter of an `ee` activation's ONNX op (`activation.ONNX`, one input, no
    attributes): the node becomes one `activation` op.

    Example: `convert_activation(ee.ReluOp)(ctx, node)` returns `[relu_result]`.
    """

    def convert(ctx: ImportContext, node: onnx.NodeProto) -> list[Value]:
        return [ctx.emit(activation(ctx.activation(node, 0, "input X"))).output]

    convert.__name__ = f"convert_{activation.unit_name()}"
    return convert


def convert_add(ctx: ImportContext, node: onnx.NodeProto) -> list[Value]:
    """
    Import `Add` (and `Sum`) of run-time tensors of one shape, or of a run-time tensor and
    a constant that broadcasts to it.

    Example: `convert_add(ctx, node)` returns `[sum_result]`.
    """
    activations: list[tuple[str, SSAValue]] = []
    constant: tuple[str, np.ndarray] | None = None
    for i, name in enumerate(node.input):
        if not name:
            continue
        const = ctx.constant(node, i, "x") if ctx.is_constant(node, i) else None
        if const is None:
            activations.append((name, ctx.activation(node, i, f"input {i}")))
        elif constant is None:
            constant = (name, const)
        else:
            constant = (constant[0], constant[1] + const)
    if not activations:
        raise NodeRefusal("has no inputs")
    shape = value_shape(activations[0][1])
    for name, value in activations[1:]:
        if value_shape(value) != shape:
            raise NodeRefusal(
                f"adds '{activations[0][0]}' of shape {list(shape)} and '{name}' of shape "
                f"{list(value_shape(value))}; broadcasting between run-time tensors is not "
                "supported"
            )
    if constant is not None and len(activations) == 1:
        folded = fold_bias_add(ctx, *activations[0], constant[1], constant[0])
        if folded is not None:
            return [folded]
    result = activations[0][1]
    for _, value in activations[1:]:
        result = ctx.emit(ee.AddOp(result, value)).output
    if constant is not None:
        name, array = constant
        try:
            grown = np.broadcast_shapes(array.shape, shape) != shape
        except ValueError:
            grown = True
        if grown:
            raise NodeRefusal(
                f"constant '{name}' of shape {list(array.shape)} does not broadcast to the "
                f"run-time input's shape {list(shape)}"
            )
        full = ctx.materialise(np.broadcast_to(array, shape), name, reuse=array.shape == shape)
        result = ctx.emit(ee.AddOp(result, full)).output
    return [result]


def _normalised_axis(axis: int, rank: int, inclusive_end: bool = False) -> int:
    limit = rank + 1 if inclusive_end else rank
    normal = axis + rank if axis < 0 else axis
    if not 0 <= normal < limit:
        raise NodeRefusal(f"axis {axis} is out of range for rank {rank}")
    return normal


def convert_softmax(ctx: ImportContext, node: onnx.NodeProto) -> list[Value]:
    """
    Import `Softmax` with the semantics of the model's opset.

    Example: `convert_softmax(ctx, node)` returns `[softmax_result]`.
    """
    x = ctx.activation(node, 0, "input")
    shape = value_shape(x)
    if ctx.opset >= 13:
        axis = _normalised_axis(NodeAttributes(node).int("axis", -1), len(shape))
        return [ctx.emit(ee.SoftmaxOp(x, axis)).output]
    axis = _normalised_axis(NodeAttributes(node).int("axis", 1), len(shape))
    trailing = [i for i in range(axis, len(shape)) if shape[i] != 1]
    if len(trailing) <= 1:  # one dim from `axis` on carries the classes: the same as one axis
        return [ctx.emit(ee.SoftmaxOp(x, trailing[0] if trailing else axis)).output]
    flat = ctx.emit(ee.FlattenOp(x, axis)).output
    soft = ctx.emit(ee.SoftmaxOp(flat, 1)).output
    return [ctx.emit(ee.ReshapeOp(soft, f32_tensor(shape))).output]


def convert_batchnorm(ctx: ImportContext, node: onnx.NodeProto) -> list[Value]:
    """
    Import inference `BatchNormalization` as `ee.batchnorm` (statistics must be constants).

    Example: `convert_batchnorm(ctx, node)` returns `[normalised]`.
    """
    attrs = NodeAttributes(node)
    if attrs.int("training_mode", 0):
        raise NodeRefusal("training_mode=1 is not supported; export the model in eval mode")
    if any(out for out in node.output[1:]):
        raise NodeRefusal("the running mean/var outputs (training mode) are not supported")
    if not attrs.int("spatial", 1):
        raise NodeRefusal("spatial=0 (per-element statistics) is not supported")
    x = ctx.activation(node, 0, "input X")
    shape = value_shape(x)
    if len(shape) < 2:
        raise NodeRefusal(f"input of rank {len(shape)}; BatchNormalization needs rank >= 2")
    names = ["scale", "B", "input_mean", "input_var"]
    params = []
    for i, what in enumerate(names, start=1):
        array = ctx.constant(node, i, what)
        if array is None or math.prod(array.shape) != shape[1]:
            raise NodeRefusal(f"{what} must be a constant of {shape[1]} values (one per channel)")
        reuse = array.shape == (shape[1],)
        params.append(ctx.materialise(array.reshape(shape[1]), node.input[i], reuse=reuse))
    eps = f32_decimal(attrs.float("epsilon", 1e-5))
    return [ctx.emit(ee.BatchNormOp(x, *params, eps)).output]
