"""
Constant subgraphs evaluated at import time with numpy.

PyTorch exports shape arithmetic (`Shape -> Gather -> Unsqueeze -> Concat -> Reshape`),
`Constant` and `ConstantOfShape` nodes; with static shapes all of it is known when the
model is imported, so these nodes become numpy arrays in the scope and no op at all.
A folder runs when every input is a constant (`Shape` only needs a static shape).

```python
FOLDERS["Concat"](ctx, node, [np.array([1]), np.array([-1])])  # [array([1, -1])]
```
"""

from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np
import onnx
from onnx import helper
from xdsl.ir import SSAValue

from atheena_ir.dialects import ee
from atheena_ir.onnx_frontend.attributes import NodeAttributes
from atheena_ir.onnx_frontend.context import ImportContext
from atheena_ir.onnx_frontend.diagnostics import NodeRefusal
from atheena_ir.onnx_frontend.ops_linear import gemm_reference
from atheena_ir.onnx_frontend.ops_shape import reshape_target
from atheena_ir.onnx_frontend.tensors import tensor_to_array, value_shape

MAX_FOLDED_ELEMENTS = 1 << 24
"""A folded constant larger than this is refused (a corrupt shape, not a real model)."""

Arrays = list[np.ndarray | None]
Folder = Callable[[ImportContext, onnx.NodeProto, Arrays], list[np.ndarray]]


def _need(arrays: Arrays, index: int, what: str) -> np.ndarray:
    if index >= len(arrays) or arrays[index] is None:
        raise NodeRefusal(f"{what} is missing")
    value = arrays[index]
    assert value is not None
    return value


def _check_size(shape: tuple[int, ...] | list[int]) -> tuple[int, ...]:
    dims = tuple(int(d) for d in shape)
    if any(d < 0 for d in dims) or math.prod(dims) > MAX_FOLDED_ELEMENTS:
        raise NodeRefusal(f"constant of shape {list(dims)} is negative or too large")
    return dims


def _constant(ctx: ImportContext, node: onnx.NodeProto, arrays: Arrays) -> list[np.ndarray]:
    attrs = NodeAttributes(node)
    if (tensor := attrs.tensor("value")) is not None:
        return [tensor_to_array(tensor, "attribute 'value'")]
    if attrs.has("value_float"):
        return [np.array(attrs.float("value_float", 0.0), np.float32)]
    if attrs.has("value_int"):
        return [np.array(attrs.int("value_int"), np.int64)]
    for name, dtype in (("value_floats", np.float32), ("value_ints", np.int64)):
        if attrs.has(name):
            value = helper.get_attribute_value(attrs.by_name[name])
            return [np.array(list(value), dtype)]
    raise NodeRefusal("only numeric dense values are supported (not sparse or string)")


def _constant_of_shape(
    ctx: ImportContext, node: onnx.NodeProto, arrays: Arrays
) -> list[np.ndarray]:
    shape = _check_size(_need(arrays, 0, "input shape").reshape(-1).tolist())
    tensor = NodeAttributes(node).tensor("value")
    fill = np.zeros(1, np.float32) if tensor is None else tensor_to_array(tensor, "value")
    if fill.size != 1:
        raise NodeRefusal("attribute 'value' must hold one element")
    return [np.full(shape, fill.reshape(-1)[0], dtype=fill.dtype)]


def fold_shape(
    ctx: ImportContext, node: onnx.NodeProto, source: SSAValue | np.ndarray
) -> np.ndarray:
    """`Shape` of a run-time value (static) or a constant, with opset-15 `start`/`end`."""
    shape = value_shape(source) if isinstance(source, SSAValue) else source.shape
    attrs = NodeAttributes(node)
    rank = len(shape)
    start, end = attrs.int("start", 0), attrs.int("end", rank)
    start, end = (max(0, min(rank, d + rank if d < 0 else d)) for d in (start, end))
    return np.array(shape[start:end], np.int64)


def _axes(
    node: onnx.NodeProto, arrays: Arrays, opset_of_input: int, ctx: ImportContext
) -> list[int] | None:
    if ctx.opset >= opset_of_input:
        if len(arrays) > 1 and arrays[1] is not None:
            return [int(a) for a in arrays[1].reshape(-1)]
        return None
    attrs = NodeAttributes(node)
    return attrs.ints("axes", None) if attrs.has("axes") else None


def _unsqueeze(ctx: ImportContext, node: onnx.NodeProto, arrays: Arrays) -> list[np.ndarray]:
    data = _need(arrays, 0, "input data")
    axes = _axes(node, arrays, 13, ctx)
    if not axes:
        raise NodeRefusal("axes are missing")
    rank = data.ndim + len(axes)
    normal = sorted(a + rank if a < 0 else a for a in axes)
    if len(set(normal)) != len(normal) or any(not 0 <= a < rank for a in normal):
        raise NodeRefusal(f"axes {axes} are out of range for rank {rank}")
    return [np.expand_dims(data, tuple(normal))]


def _squeeze(ctx: ImportContext, node: onnx.NodeProto, arrays: Arrays) -> list[np.ndarray]:
    data = _need(arrays, 0, "input data")
    axes = _axes(node, arrays, 13, ctx)
    if axes is None:
        return [np.squeeze(data)]
    normal = tuple(a + data.ndim if a < 0 else a for a in axes)
    if any(not 0 <= a < data.ndim or data.shape[a] != 1 for a in normal):
        raise NodeRefusal(f"axes {axes} do not name dims of size 1 of shape {list(data.shape)}")
    return [np.squeeze(data, normal)]


def _slice(ctx: ImportContext, node: onnx.NodeProto, arrays: Arrays) -> list[np.ndarray]:
    data = _need(arrays, 0, "input data")
    attrs = NodeAttributes(node)
    if ctx.opset < 10:
        starts, ends = attrs.ints("starts"), attrs.ints("ends")
        axes = attrs.ints("axes", list(range(len(starts))))
        steps = [1] * len(starts)
    else:
        starts = _need(arrays, 1, "starts").reshape(-1).tolist()
        ends = _need(arrays, 2, "ends").reshape(-1).tolist()
        axes = (
            arrays[3].reshape(-1).tolist()
            if len(arrays) > 3 and arrays[3] is not None
            else list(range(len(starts)))
        )
        steps = (
            arrays[4].reshape(-1).tolist()
            if len(arrays) > 4 and arrays[4] is not None
            else [1] * len(starts)
        )
    index = [slice(None)] * data.ndim
    if not len(starts) == len(ends) == len(axes) == len(steps):
        raise NodeRefusal("starts, ends, axes and steps differ in length")
    for start, end, axis, step in zip(starts, ends, axes, steps, strict=True):
        axis = int(axis) + data.ndim if int(axis) < 0 else int(axis)
        if not 0 <= axis < data.ndim or step == 0:
            raise NodeRefusal(f"axis {axis} or step {step} is invalid")
        index[axis] = slice(int(start), int(end), int(step))
    return [data[tuple(index)]]


def _cast(ctx: ImportContext, node: onnx.NodeProto, arrays: Arrays) -> list[np.ndarray]:
    to = NodeAttributes(node).int("to")
    try:
        dtype = helper.tensor_dtype_to_np_dtype(to)
    except Exception:
        raise NodeRefusal(f"cannot cast to ONNX type {to}") from None
    return [_need(arrays, 0, "input").astype(dtype)]


def _reshape(ctx: ImportContext, node: onnx.NodeProto, arrays: Arrays) -> list[np.ndarray]:
    data = _need(arrays, 0, "input data")
    spec = _need(arrays, 1, "input shape").reshape(-1).tolist()
    allowzero = bool(NodeAttributes(node).int("allowzero", 0))
    return [data.reshape(reshape_target(data.shape, [int(d) for d in spec], allowzero))]


def _flatten(ctx: ImportContext, node: onnx.NodeProto, arrays: Arrays) -> list[np.ndarray]:
    data = _need(arrays, 0, "input")
    axis = NodeAttributes(node).int("axis", 1)
    axis = axis + data.ndim if axis < 0 else axis
    if not 0 <= axis <= data.ndim:
        raise NodeRefusal(f"axis {axis} is out of range")
    return [data.reshape(math.prod(data.shape[:axis]), math.prod(data.shape[axis:]))]


def _gather(ctx: ImportContext, node: onnx.NodeProto, arrays: Arrays) -> list[np.ndarray]:
    data, indices = _need(arrays, 0, "input data"), _need(arrays, 1, "indices")
    axis = NodeAttributes(node).int("axis", 0)
    try:
        return [np.take(data, indices.astype(np.int64), axis=axis)]
    except (IndexError, np.exceptions.AxisError) as err:
        raise NodeRefusal(f"gather out of range: {err}") from None


def _concat(ctx: ImportContext, node: onnx.NodeProto, arrays: Arrays) -> list[np.ndarray]:
    parts = [a for a in arrays if a is not None]
    try:
        return [np.concatenate(parts, axis=NodeAttributes(node).int("axis", 0))]
    except (ValueError, np.exceptions.AxisError) as err:
        raise NodeRefusal(f"cannot concatenate: {err}") from None


def _transpose(ctx: ImportContext, node: onnx.NodeProto, arrays: Arrays) -> list[np.ndarray]:
    data = _need(arrays, 0, "input")
    perm = NodeAttributes(node).ints("perm", list(reversed(range(data.ndim))))
    if sorted(perm) != list(range(data.ndim)):
        raise NodeRefusal(f"perm {perm} is not a permutation of {data.ndim} axes")
    return [np.transpose(data, perm)]


def _binary(fn: Callable[[np.ndarray, np.ndarray], np.ndarray]) -> Folder:
    def fold(ctx: ImportContext, node: onnx.NodeProto, arrays: Arrays) -> list[np.ndarray]:
        a, b = _need(arrays, 0, "input A"), _need(arrays, 1, "input B")
        try:
            with np.errstate(all="ignore"):
                return [np.asarray(fn(a, b)).astype(np.result_type(a, b))]
        except (ValueError, ZeroDivisionError, FloatingPointError) as err:
            raise NodeRefusal(f"cannot evaluate on constants: {err}") from None

    return fold


def _divide(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    if np.issubdtype(np.result_type(a, b), np.integer):
        if np.any(b == 0):
            raise ZeroDivisionError("integer division by zero")
        return np.trunc(a / b)
    return a / b


def _unary(fn: Callable[[np.ndarray], np.ndarray]) -> Folder:
    def fold(ctx: ImportContext, node: onnx.NodeProto, arrays: Arrays) -> list[np.ndarray]:
        with np.errstate(all="ignore"):
            return [np.asarray(fn(_need(arrays, 0, "input")))]

    return fold


def _gemm(ctx: ImportContext, node: onnx.NodeProto, arrays: Arrays) -> list[np.ndarray]:
    a, b = _need(arrays, 0, "A"), _need(arrays, 1, "B")
    c = arrays[2] if len(arrays) > 2 else None
    try:
        return [gemm_reference(a, b, c, NodeAttributes(node))]
    except ValueError as err:
        raise NodeRefusal(f"cannot evaluate on constants: {err}") from None


def _expand(ctx: ImportContext, node: onnx.NodeProto, arrays: Arrays) -> list[np.ndarray]:
    data = _need(arrays, 0, "input")
    shape = _check_size(_need(arrays, 1, "shape").reshape(-1).tolist())
    try:
        return [np.array(data * np.ones(shape, data.dtype))]
    except ValueError as err:
        raise NodeRefusal(f"cannot expand: {err}") from None


def _passthrough(ctx: ImportContext, node: onnx.NodeProto, arrays: Arrays) -> list[np.ndarray]:
    return [_need(arrays, 0, "input")]


FOLDERS: dict[str, Folder] = {
    "Constant": _constant,
    "ConstantOfShape": _constant_of_shape,
    "Gather": _gather,
    "Unsqueeze": _unsqueeze,
    "Squeeze": _squeeze,
    "Concat": _concat,
    "Cast": _cast,
    "Reshape": _reshape,
    "Flatten": _flatten,
    "Slice": _slice,
    "Transpose": _transpose,
    "Expand": _expand,
    "Add": _binary(np.add),
    "Sub": _binary(np.subtract),
    "Mul": _binary(np.multiply),
    "Div": _binary(_divide),
    "MatMul": _binary(np.matmul),
    "Gemm": _gemm,
    "Neg": _unary(np.negative),
    "Sqrt": _unary(np.sqrt),
    "Identity": _passthrough,
    "Dropout": _passthrough,
    **{activation.ONNX: _unary(activation.reference) for activation in ee.ACTIVATIONS},
}
"""Ops evaluated when all their inputs are constants (`Shape` is handled by `fold_shape`)."""
