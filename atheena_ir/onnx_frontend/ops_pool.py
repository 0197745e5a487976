"""
ONNX pooling to `ee` pools: `MaxPool` -> `ee.maxpool2d`, `AveragePool` ->
`ee.avgpool2d` (with `count_include_pad`), `GlobalAveragePool` -> `ee.global_avgpool`.

`ceil_mode=1` is accepted where it gives the same shape as floor mode and refused
otherwise; dilated pools, `storage_order=1` and MaxPool's `Indices` output are refused.

```
MaxPool_1(x) {kernel_shape=[2,2], strides=[2,2]}
  ->  %y = ee.maxpool2d %x kernel [2, 2] strides [2, 2] pads [0, 0, 0, 0]
```
"""

from __future__ import annotations

import onnx
from xdsl.dialects.builtin import UnitAttr

from atheena_ir.dialects import ee
from atheena_ir.onnx_frontend.attributes import NodeAttributes
from atheena_ir.onnx_frontend.context import ImportContext
from atheena_ir.onnx_frontend.diagnostics import NodeRefusal
from atheena_ir.onnx_frontend.scope import Value
from atheena_ir.onnx_frontend.tensors import value_shape
from atheena_ir.onnx_frontend.windows import Window, window_attributes


def _pool_window(ctx: ImportContext, node: onnx.NodeProto) -> tuple[Window, list[int]]:
    x = ctx.activation(node, 0, "input X")
    shape = list(value_shape(x))
    if len(shape) != 4:
        raise NodeRefusal(f"input of rank {len(shape)}; only 2-D pooling (NCHW) is supported")
    win = window_attributes(node, None, (shape[2], shape[3]))
    if win.dilations != (1, 1):
        raise NodeRefusal(f"dilations {list(win.dilations)}; dilated pooling is not supported")
    if NodeAttributes(node).int("ceil_mode", 0):
        if _ceil_changes_shape(win, shape):
            raise NodeRefusal(
                "ceil_mode=1 gives a larger output than floor mode for this input; "
                "export with ceil_mode=0 (or pad the input so that the windows fit exactly)"
            )
        dropped = _window_in_end_padding(win, shape)
        inferred = ctx.inferred_shapes.get(node.output[0])
        if dropped and inferred is not None and list(inferred[2:]) != _floor_out(win, shape):
            axis, start, end = dropped
            raise NodeRefusal(
                f"ceil_mode=1 with a last window that starts in the end padding ({axis}: it "
                f"would start at {start}, and the input with its begin padding ends at {end}); "
                "ONNX's "
                f"shape inference keeps that window (output {list(inferred)}) where onnxruntime "
                "drops it, so the output is ambiguous: export with ceil_mode=0, or with pads "
                "that keep every window's start inside the input"
            )
    return win, shape


def _floor_out(win: Window, shape: list[int]) -> list[int]:
    return [
        (size + begin + end - k) // s + 1
        for size, k, s, begin, end in zip(
            shape[2:], win.kernel, win.strides, win.pads[:2], win.pads[2:], strict=True
        )
    ]


def _window_in_end_padding(win: Window, shape: list[int]) -> tuple[str, int, int] | None:
    """(axis, start, end of data) of a ceil-mode last window that would start in the padding."""
    for axis, size, k, s, begin, end in zip(
        ("height", "width"), shape[2:], win.kernel, win.strides, win.pads[:2], win.pads[2:],
        strict=True,
    ):  # fmt: skip
        span = size + begin + end - k
        if span >= 0 and span % s and (-(-span // s)) * s >= size + begin:
            return axis, (-(-span // s)) * s, size + begin
    return None


def _ceil_changes_shape(win: Window, shape: list[int]) -> bool:
    for size, k, s, begin, end in zip(
        shape[2:], win.kernel, win.strides, win.pads[:2], win.pads[2:], strict=True
    ):
        span = size + begin + end - k
        if span < 0:
            continue
        floor_out = span // s + 1
        ceil_out = -(-span // s) + 1
        if (ceil_out - 1) * s >= size + begin:  # the last window would start in the end padding
            ceil_out -= 1
        if ceil_out != floor_out:
            return True
    return False


def convert_maxpool(ctx: ImportContext, node: onnx.NodeProto) -> list[Value]:
    """
    Import `MaxPool` as `ee.maxpool2d`.

    Example: `convert_maxpool(ctx, node)` returns `[pool_result]`.
    """
    if NodeAttributes(node).int("storage_order", 0) != 0:
        raise NodeRefusal("storage_order=1 (column-major indices) is not supported")
    if len(node.output) > 1 and node.output[1]:
        raise NodeRefusal("the Indices output is not supported; use MaxPool with one output")
    win, _ = _pool_window(ctx, node)
    x = ctx.activation(node, 0, "input X")
    return [ctx.emit(ee.MaxPool2dOp(x, win.kernel, win.strides, win.pads)).output]


def convert_avgpool(ctx: ImportContext, node: onnx.NodeProto) -> list[Value]:
    """
    Import `AveragePool` as `ee.avgpool2d`, keeping `count_include_pad`.

    Example: `convert_avgpool(ctx, node)` returns `[pool_result]`.
    """
    win, _ = _pool_window(ctx, node)
    x = ctx.activation(node, 0, "input X")
    op = ee.AvgPool2dOp(x, win.kernel, win.strides, win.pads)
    if NodeAttributes(node).int("count_include_pad", 0):
        op.properties["count_include_pad"] = UnitAttr()
    return [ctx.emit(op).output]


def convert_global_avgpool(ctx: ImportContext, node: onnx.NodeProto) -> list[Value]:
    """
    Import `GlobalAveragePool` (NCHW) as `ee.global_avgpool`.

    Example: `convert_global_avgpool(ctx, node)` returns `[pool_result]`.
    """
    x = ctx.activation(node, 0, "input X")
    if len(value_shape(x)) != 4:
        raise NodeRefusal(f"input of rank {len(value_shape(x))}; only NCHW (rank 4) is supported")
    return [ctx.emit(ee.GlobalAvgPoolOp(x)).output]
