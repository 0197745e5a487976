"""
Importing a recognised early exit (`exit_pattern.ExitChain`) as `ee.exit_decision` +
`ee.exit`, with the rest-of-network branch imported into the exit's region in a child
scope (so it reads outer-scope values directly). Nested `If`s give nested exits.

```mlir
%d = ee.exit_decision top1(%z) > 0.996 : tensor<1x10xf32> {onnx_name = "Greater_11"}
%out = ee.exit %z if %d : tensor<1x10xf32> else {
  ...
  ee.yield %z2 : tensor<1x10xf32>
} attributes {onnx_name = "If_13"}
```
"""

from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np
import onnx
from xdsl.ir import Block, SSAValue

from atheena_ir.dialects import ee
from atheena_ir.onnx_frontend.attributes import NodeAttributes
from atheena_ir.onnx_frontend.context import ImportContext
from atheena_ir.onnx_frontend.exit_pattern import ExitChain, ExitPatternError
from atheena_ir.onnx_frontend.scope import POISONED, Value
from atheena_ir.onnx_frontend.tensors import f32_decimal, value_shape

GraphImporter = Callable[[ImportContext, onnx.GraphProto], None]


def _logits(ctx: ImportContext, chain: ExitChain) -> SSAValue:
    value = ctx.scope.lookup(chain.logits)
    if not isinstance(value, SSAValue):
        raise ExitPatternError(f"the exit logits '{chain.logits}' must be computed at run time")
    shape = value_shape(value)
    if not shape or math.prod(shape[:-1]) != 1 or shape[-1] < 2:
        raise ExitPatternError(
            f"the exit logits '{chain.logits}' have shape {list(shape)}; an exit needs one "
            "sample's class scores [1, C] with C >= 2 (export with batch size 1)"
        )
    forwarded = ctx.scope.lookup(chain.forwarded)
    if forwarded is not value:
        raise ExitPatternError(
            f"the exit branch forwards '{chain.forwarded}' but the decision reads the softmax of "
            f"'{chain.logits}'; the forwarded logits must be the ones the decision scores"
        )
    return value


def _check_reductions(ctx: ImportContext, chain: ExitChain, rank: int) -> None:
    """The softmax and the ReduceMax must both cover the class axis (the last one)."""
    soft = NodeAttributes(chain.softmax)
    axis = soft.int("axis", -1 if ctx.opset >= 13 else 1)
    axis = axis + rank if axis < 0 else axis
    if not (axis == rank - 1 if ctx.opset >= 13 else 0 <= axis <= rank - 1):
        raise ExitPatternError(
            f"Softmax '{chain.softmax.name}' normalises along axis {axis}, not the class axis"
        )
    red = NodeAttributes(chain.reduce_max)
    if ctx.opset >= 18:
        raw = (
            ctx.scope.lookup(chain.reduce_max.input[1]) if len(chain.reduce_max.input) > 1 else None
        )
        if raw is not None and not isinstance(raw, np.ndarray):
            raise ExitPatternError(f"ReduceMax '{chain.reduce_max.name}' axes must be constant")
        axes = None if raw is None or raw.size == 0 else [int(a) for a in raw.reshape(-1)]
        if axes is None and red.int("noop_with_empty_axes", 0):
            raise ExitPatternError(f"ReduceMax '{chain.reduce_max.name}' reduces nothing")
    else:
        axes = red.ints("axes", None) if red.has("axes") else None
    if axes is not None and rank - 1 not in [a + rank if a < 0 else a for a in axes]:
        raise ExitPatternError(
            f"ReduceMax '{chain.reduce_max.name}' reduces axes {axes}, not the class axis"
        )


def _threshold(ctx: ImportContext, chain: ExitChain) -> float:
    value = ctx.scope.lookup(chain.threshold)
    if not isinstance(value, np.ndarray) or value.size != 1:
        raise ExitPatternError(
            f"the threshold '{chain.threshold}' compared in '{chain.compare.name}' must be a "
            "constant scalar (a Constant node or an initializer)"
        )
    thr = np.float32(value.reshape(-1)[0])
    if chain.inclusive:  # max >= thr  <=>  max > (the float32 just below thr)
        return float(np.nextafter(thr, np.float32(-np.inf)))
    return f32_decimal(float(thr))


def import_exit(ctx: ImportContext, chain: ExitChain, import_graph: GraphImporter) -> list[Value]:
    """
    Emit the decision and the exit for `chain`; `import_graph` imports the rest branch.

    Example: `import_exit(ctx, match_exit_chain(if_node, ctx.scope), import_graph)`.
    """
    logits = _logits(ctx, chain)
    _check_reductions(ctx, chain, len(value_shape(logits)))
    threshold = _threshold(ctx, chain)
    if_node = ctx.node
    ctx.node = chain.compare
    decision = ctx.emit(ee.ExitDecisionOp(logits, threshold)).decision
    ctx.node = if_node
    block = Block()
    with ctx.nested(block) as scope:
        import_graph(ctx, chain.rest)
        out_name = chain.rest.output[0].name
        result = scope.lookup(out_name)
        if result is None:
            raise ExitPatternError(f"the rest branch's output '{out_name}' is never computed")
        if result is POISONED:
            return [POISONED]
        if isinstance(result, np.ndarray):
            result = ctx.materialise(result, out_name)
        assert isinstance(result, SSAValue)
        ctx.builder.insert(ee.YieldOp(result))
    return [ctx.emit(ee.ExitOp(logits, decision, block)).output]
