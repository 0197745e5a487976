"""
Canonicalization patterns of the `ee` dialect, run by xDSL's `canonicalize` pass.

The ops name these patterns through `HasCanonicalizationPatternsTrait` (looked up
lazily, so the dialect does not import the passes); constant folding is each op's
`fold()`. Together they leave the importer's output in one canonical form:

- reshapes that change nothing disappear, chains of reshapes and flattens collapse
  into one, and a reshape that is a flatten becomes `ee.flatten` (the form `linear`
  expects);
- a batchnorm after a conv or linear with constant parameters is fused into that
  layer's weights and bias;
- ops on constants fold to `ee.constant`, and dead values go (canonicalize's DCE).

Before (`-p 'canonicalize'`):
```mlir
func.func @main(%x: tensor<1x2x6x6xf32>) -> tensor<1x144xf32> {
  %w = ee.constant dense<0.5> : tensor<4x2x1x1xf32>
  %b = ee.constant dense<0.1> : tensor<4xf32>
  %s = ee.constant dense<2.0> : tensor<4xf32>
  %t = ee.constant dense<1.0> : tensor<4xf32>
  %m = ee.constant dense<0.0> : tensor<4xf32>
  %v = ee.constant dense<1.0> : tensor<4xf32>
  %c = ee.conv2d %x, %w bias %b strides [1, 1] pads [0, 0, 0, 0] dilations [1, 1] groups 1
      : (tensor<1x2x6x6xf32>, tensor<4x2x1x1xf32>, tensor<4xf32>) -> tensor<1x4x6x6xf32>
  %n = ee.batchnorm %c, %s, %t, %m, %v epsilon 0.0 : tensor<1x4x6x6xf32>, tensor<4xf32>
  %r = ee.reshape %n : tensor<1x4x6x6xf32> -> tensor<1x144xf32>
  func.return %r : tensor<1x144xf32>
}
```
After (batchnorm fused: weights `0.5 * 2 / sqrt(1) = 1`, bias `0.1 * 2 + 1 = 1.2`):
```mlir
func.func @main(%x: tensor<1x2x6x6xf32>) -> tensor<1x144xf32> {
  %n = ee.constant dense<1.000000e+00> : tensor<4x2x1x1xf32>
  %n_1 = ee.constant dense<1.200000e+00> : tensor<4xf32>
  %n_2 = ee.conv2d %x, %n bias %n_1 strides [1, 1] pads [0, 0, 0, 0] dilations [1, 1] groups 1
      : (tensor<1x2x6x6xf32>, tensor<4x2x1x1xf32>, tensor<4xf32>) -> tensor<1x4x6x6xf32>
  %r = ee.flatten %n_2 axis 1 : tensor<1x4x6x6xf32> -> tensor<1x144xf32>
  func.return %r : tensor<1x144xf32>
}
```
"""

from __future__ import annotations

import math

import numpy as np
from xdsl.dialects.builtin import TensorType
from xdsl.ir import Operation, SSAValue
from xdsl.pattern_rewriter import PatternRewriter, RewritePattern, op_type_rewrite_pattern

from atheena_ir.dialects import ee
from atheena_ir.dialects.ee.syntax import int_list


def constant_array(value: SSAValue) -> np.ndarray | None:
    """The value of an `ee.constant` result as numpy, or None."""
    owner = value.owner
    return owner.to_array() if isinstance(owner, ee.ConstantOp) else None


class ReshapeChain(RewritePattern):
    """`reshape`/`flatten` of a `reshape`/`flatten`: one reshape from the first input."""

    @op_type_rewrite_pattern
    def match_and_rewrite(self, op: ee.ReshapeOp | ee.FlattenOp, rewriter: PatternRewriter) -> None:
        inner = op.input.owner
        if not isinstance(inner, ee.ReshapeOp | ee.FlattenOp):
            return
        assert isinstance(op.output.type, TensorType)
        rewriter.replace(op, ee.ReshapeOp(inner.input, op.output.type))


class ReshapeAsFlatten(RewritePattern):
    """A reshape that is a flatten becomes `ee.flatten` (canonical before `linear`)."""

    @op_type_rewrite_pattern
    def match_and_rewrite(self, op: ee.ReshapeOp, rewriter: PatternRewriter) -> None:
        assert isinstance(op.input.type, TensorType)
        assert isinstance(op.output.type, TensorType)
        src, dst = tuple(op.input.type.get_shape()), tuple(op.output.type.get_shape())
        if len(dst) != 2 or src == dst:
            return
        for axis in [1, *(a for a in range(len(src) + 1) if a != 1)]:
            if (math.prod(src[:axis]), math.prod(src[axis:])) == dst:
                rewriter.replace(op, ee.FlattenOp(op.input, axis))
                return


def _batchnorm_factors(op: ee.BatchNormOp) -> tuple[np.ndarray, np.ndarray] | None:
    """Per-channel (scale, shift) with `bn(x) = scale * x + shift`, if the params are constant."""
    params = [constant_array(v) for v in (op.scale, op.bias, op.mean, op.var)]
    if any(p is None for p in params):
        return None
    gamma, beta, mean, var = (np.asarray(p, np.float64) for p in params)  # type: ignore[arg-type]
    scale = gamma / np.sqrt(var + float(op.epsilon.value.data))
    return scale, beta - mean * scale


class FuseBatchNorm(RewritePattern):
    """Fold a batchnorm into the weights and bias of the conv or linear layer before it."""

    @op_type_rewrite_pattern
    def match_and_rewrite(self, op: ee.BatchNormOp, rewriter: PatternRewriter) -> None:
        layer = op.input.owner
        if not isinstance(layer, ee.Conv2dOp | ee.LinearOp) or not layer.output.has_one_use():
            return
        if isinstance(layer, ee.LinearOp) and len(op.input.type.get_shape()) != 2:  # type: ignore[union-attr]
            return
        weight = constant_array(layer.weight)
        bias = None if layer.bias is None else constant_array(layer.bias)
        factors = _batchnorm_factors(op)
        if weight is None or factors is None or (layer.bias is not None and bias is None):
            return
        scale, shift = factors
        shape = (-1,) + (1,) * (weight.ndim - 1)
        new_w = (weight.astype(np.float64) * scale.reshape(shape)).astype(np.float32)
        old_b = np.zeros(weight.shape[0]) if bias is None else bias.astype(np.float64)
        new_b = (old_b * scale + shift).astype(np.float32)
        w_op = ee.ConstantOp.from_array(new_w)
        b_op = ee.ConstantOp.from_array(new_b)
        if isinstance(layer, ee.Conv2dOp):
            fused: Operation = ee.Conv2dOp(
                layer.input,
                w_op.output,
                b_op.output,
                int_list(layer.strides),
                int_list(layer.pads),
                int_list(layer.dilations),
                layer.groups.value.data,
            )
        else:
            fused = ee.LinearOp(layer.input, w_op.output, b_op.output)
        fused.attributes.update(layer.attributes)
        if layer.folding is not None:
            fused.properties["folding"] = layer.folding
        rewriter.replace(op, [w_op, b_op, fused])
