"""
How the `ee` ops take part in xDSL's `canonicalize`: constant folding helpers, the
constant materialisation interface, and the traits naming each op's patterns (which
live in `atheena_ir.passes.ee_canonicalization` and are imported lazily).

```mlir
%c = ee.constant dense<[-1.0, 2.0]> : tensor<2xf32>
%r = ee.relu %c : tensor<2xf32>          // canonicalize: ee.constant dense<[0.0, 2.0]>
```
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from xdsl.dialect_interfaces.constant_materialization import ConstantMaterializationInterface
from xdsl.dialects.builtin import BytesAttr, DenseIntOrFPElementsAttr, TensorType, f32
from xdsl.ir import Attribute, Operation, SSAValue
from xdsl.pattern_rewriter import RewritePattern
from xdsl.traits import HasCanonicalizationPatternsTrait

from atheena_ir.dialects.ee.constant import ConstantOp, dense_to_array

if TYPE_CHECKING:
    import numpy as np  # imported where used: a parse need not load numpy

FOLD_LIMIT = 1 << 20
"""Largest result (elements) a fold materialises, so canonicalize never bloats the IR."""


def constant_operand(value: SSAValue) -> np.ndarray | None:
    owner = value.owner
    return owner.to_array() if isinstance(owner, ConstantOp) else None


def dense(array: np.ndarray, result_type: Attribute) -> DenseIntOrFPElementsAttr | None:
    """`array` as a float32 dense attribute of `result_type`, or None if it does not fit."""
    if not isinstance(result_type, TensorType) or result_type.element_type != f32:
        return None
    if array.size > FOLD_LIMIT:
        return None
    import numpy as np

    data = np.ascontiguousarray(array, dtype="<f4").reshape(tuple(result_type.get_shape()))
    return DenseIntOrFPElementsAttr(result_type, BytesAttr(data.tobytes()))


def fold_constants(
    op: Operation, fn: Callable[..., np.ndarray]
) -> tuple[DenseIntOrFPElementsAttr] | None:
    """Apply `fn` to the op's operands when they are all constants."""
    import numpy as np

    arrays = [constant_operand(v) for v in op.operands]
    if not arrays or any(a is None for a in arrays):
        return None
    result = dense(np.asarray(fn(*arrays), dtype=np.float32), op.results[0].type)
    return None if result is None else (result,)


class EEConstantMaterialization(ConstantMaterializationInterface):
    """Folded values become `ee.constant` ops."""

    def materialize_constant(self, value: Attribute, type: Attribute) -> Operation | None:
        if isinstance(value, DenseIntOrFPElementsAttr) and value.type == type:
            return ConstantOp(value)
        return None


class ReshapeCanonicalization(HasCanonicalizationPatternsTrait):
    @classmethod
    def get_canonicalization_patterns(cls) -> tuple[RewritePattern, ...]:
        from atheena_ir.passes.ee_canonicalization import ReshapeAsFlatten, ReshapeChain

        return (ReshapeChain(), ReshapeAsFlatten())


class FlattenCanonicalization(HasCanonicalizationPatternsTrait):
    @classmethod
    def get_canonicalization_patterns(cls) -> tuple[RewritePattern, ...]:
        from atheena_ir.passes.ee_canonicalization import ReshapeChain

        return (ReshapeChain(),)


class BatchNormCanonicalization(HasCanonicalizationPatternsTrait):
    @classmethod
    def get_canonicalization_patterns(cls) -> tuple[RewritePattern, ...]:
        from atheena_ir.passes.ee_canonicalization import FuseBatchNorm

        return (FuseBatchNorm(),)


__all__ = ["dense_to_array"]
