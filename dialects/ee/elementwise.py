"""Element-wise and normalising ops: `ee.add`, `ee.softmax`, `ee.batchnorm` (see activation.py
for `ee.relu` and the other activations)."""

from __future__ import annotations

import math
from typing import ClassVar

from xdsl.dialects.builtin import (
    I64,
    AnyFloat,
    AnyTensorTypeConstr,
    FloatAttr,
    IntegerAttr,
    TensorType,
)
from xdsl.interfaces import HasFolderInterface
from xdsl.ir import Attribute, SSAValue
from xdsl.irdl import (
    VarConstraint,
    irdl_op_definition,
    operand_def,
    prop_def,
    result_def,
    traits_def,
)
from xdsl.traits import Pure
from xdsl.utils.exceptions import VerifyException

from atheena_ir.dialects.ee.base import FoldableOp, TensorOp
from atheena_ir.dialects.ee.canonicalization import BatchNormCanonicalization, fold_constants
from atheena_ir.dialects.ee.folding import LegalFolding, divisors
from atheena_ir.dialects.ee.shapes import expect_shape, tensor_shape


def channel_folding(value: SSAValue) -> LegalFolding:
    """One `coarse` over the channel dimension (dim 1, or dim 0 for a vector)."""
    shape = tensor_shape(value, "input")
    channels = shape[1] if len(shape) > 1 else shape[0]
    return LegalFolding(divisors(channels), divisors(channels), tied=True)


@irdl_op_definition
class AddOp(FoldableOp, HasFolderInterface):
    """
    Element-wise sum of two tensors of the same type (a residual connection).

    ```mlir
    %y = ee.add %a, %b : tensor<1x64x8x8xf32>
    ```
    """

    name = "ee.add"

    T: ClassVar = VarConstraint("T", AnyTensorTypeConstr)
    lhs = operand_def(T)
    rhs = operand_def(T)
    output = result_def(T)

    assembly_format = "$lhs `,` $rhs attr-dict `:` type($output)"

    def __init__(self, lhs: SSAValue, rhs: SSAValue):
        super().__init__(operands=[lhs, rhs], result_types=[lhs.type])

    def fold(self) -> tuple[Attribute] | None:
        import numpy as np

        return fold_constants(self, np.add)

    def legal_folding(self) -> LegalFolding:
        return channel_folding(self.lhs)


@irdl_op_definition
class SoftmaxOp(TensorOp):
    """
    Softmax along `axis`.

    ```mlir
    %p = ee.softmax %z axis 1 : tensor<1x10xf32>
    ```
    """

    name = "ee.softmax"

    T: ClassVar = VarConstraint("T", AnyTensorTypeConstr)
    input = operand_def(T)
    output = result_def(T)

    axis = prop_def(IntegerAttr[I64])

    assembly_format = "$input `axis` $axis attr-dict `:` type($output)"

    def __init__(self, input: SSAValue, axis: int = 1):
        super().__init__(
            operands=[input], result_types=[input.type], properties={"axis": IntegerAttr(axis, 64)}
        )

    def verify_shapes(self) -> None:
        rank = len(tensor_shape(self.input, "input"))
        if not 0 <= self.axis.value.data < rank:
            raise VerifyException(f"axis {self.axis.value.data} is out of range for rank {rank}")


@irdl_op_definition
class BatchNormOp(FoldableOp):
    """
    Inference batch normalisation over channel dim 1:
    `y = scale * (x - mean) / sqrt(var + epsilon) + bias`.

    ```mlir
    %y = ee.batchnorm %x, %scale, %bias, %mean, %var epsilon 1.0e-05
        : tensor<1x16x8x8xf32>, tensor<16xf32>
    ```
    """

    name = "ee.batchnorm"

    T: ClassVar = VarConstraint("T", AnyTensorTypeConstr)
    P: ClassVar = VarConstraint("P", AnyTensorTypeConstr)
    input = operand_def(T)
    scale = operand_def(P)
    bias = operand_def(P)
    mean = operand_def(P)
    var = operand_def(P)
    output = result_def(T)

    epsilon = prop_def(FloatAttr[AnyFloat])

    traits = traits_def(Pure(), BatchNormCanonicalization())

    assembly_format = (
        "$input `,` $scale `,` $bias `,` $mean `,` $var `epsilon` custom<Float>($epsilon) "
        "attr-dict `:` type($output) `,` type($scale)"
    )

    def __init__(
        self,
        input: SSAValue,
        scale: SSAValue,
        bias: SSAValue,
        mean: SSAValue,
        var: SSAValue,
        epsilon: float = 1e-5,
    ):
        super().__init__(
            operands=[input, scale, bias, mean, var],
            result_types=[input.type],
            properties={"epsilon": FloatAttr(epsilon, 64)},
        )

    def verify_shapes(self) -> None:
        shape = tensor_shape(self.input, "input")
        if len(shape) < 2:
            raise VerifyException(f"input must have rank >= 2, got {self.input.type}")
        expect_shape(tensor_shape(self.scale, "scale"), (shape[1],), "scale")
        eps = self.epsilon.value.data
        if not (math.isfinite(eps) and eps >= 0):
            raise VerifyException(f"epsilon must be finite and >= 0, got {eps}")

    def legal_folding(self) -> LegalFolding:
        return channel_folding(self.input)


__all__ = ["AddOp", "BatchNormOp", "SoftmaxOp", "TensorType", "channel_folding"]
