"""
ONNX `Conv` (2-D, NCHW) to `ee.conv2d`: groups, dilations, strides, pads, auto_pad and
an optional bias. The weights and bias must be constants.

```
Conv_0(input, W[5,1,5,5], B[5]) {pads=[4,4,4,4]}
  ->  %y = ee.conv2d %x, %w bias %b strides [1, 1] pads [4, 4, 4, 4] dilations [1, 1] groups 1
```
"""

from __future__ import annotations

import onnx

from atheena_ir.dialects import ee
from atheena_ir.onnx_frontend.attributes import NodeAttributes
from atheena_ir.onnx_frontend.context import ImportContext
from atheena_ir.onnx_frontend.diagnostics import NodeRefusal
from atheena_ir.onnx_frontend.scope import Value
from atheena_ir.onnx_frontend.tensors import value_shape
from atheena_ir.onnx_frontend.windows import window_attributes


def convert_conv(ctx: ImportContext, node: onnx.NodeProto) -> list[Value]:
    """
    Import a `Conv` node as `ee.conv2d`.

    Example: `convert_conv(ctx, node)` returns `[conv_result]`.
    """
    x = ctx.activation(node, 0, "input X")
    shape = value_shape(x)
    if len(shape) != 4:
        raise NodeRefusal(f"input of rank {len(shape)}; only 2-D convolution (NCHW) is supported")
    weight = ctx.constant(node, 1, "weight W")
    if weight is None:
        raise NodeRefusal("weight W is missing")
    if weight.ndim != 4:
        raise NodeRefusal(f"weight W has rank {weight.ndim}; a 2-D convolution needs rank 4")
    bias = ctx.constant(node, 2, "bias B")
    groups = NodeAttributes(node).int("group", 1, minimum=1)
    filters, per_group, k0, k1 = weight.shape
    if shape[1] % groups or filters % groups or per_group * groups != shape[1]:
        raise NodeRefusal(
            f"{shape[1]} input channels, {filters} filters of {per_group} channels and "
            f"group={groups} do not fit together"
        )
    if bias is not None and bias.shape != (filters,):
        raise NodeRefusal(f"bias B has shape {list(bias.shape)}, expected [{filters}]")
    win = window_attributes(node, (k0, k1), (shape[2], shape[3]))
    w_value = ctx.materialise(weight, node.input[1], reuse=True)
    b_value = None if bias is None else ctx.materialise(bias, node.input[2], reuse=True)
    op = ee.Conv2dOp(x, w_value, b_value, win.strides, win.pads, win.dilations, groups)
    return [ctx.emit(op).output]
