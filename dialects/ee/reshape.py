"""Shape-changing ops: `ee.flatten`, `ee.reshape`, `ee.concat`."""

from __future__ import annotations

import math

from xdsl.dialects.builtin import I64, AnyTensorTypeConstr, IntegerAttr, TensorType
from xdsl.interfaces import HasFolderInterface
from xdsl.ir import Attribute, SSAValue
from xdsl.irdl import (
    irdl_op_definition,
    operand_def,
    prop_def,
    result_def,
    traits_def,
    var_operand_def,
)
from xdsl.traits import Pure
from xdsl.utils.exceptions import VerifyException

from atheena_ir.dialects.ee.base import FoldableOp, TensorOp
from atheena_ir.dialects.ee.canonicalization import (
    FlattenCanonicalization,
    ReshapeCanonicalization,
    fold_constants,
)
from atheena_ir.dialects.ee.folding import LegalFolding, divisors
from atheena_ir.dialects.ee.shapes import expect_shape, format_shape, tensor_shape


def _fold_reshape(op: FlattenOp | ReshapeOp) -> tuple[SSAValue | Attribute] | None:
    if op.input.type == op.output.type:
        return (op.input,)
    return fold_constants(op, lambda a: a)


@irdl_op_definition
class FlattenOp(TensorOp, HasFolderInterface):
    """
    Collapse the dims before `axis` into one and the dims from `axis` on into another,
    as ONNX Flatten does.

    ```mlir
    %f = ee.flatten %x axis 1 : tensor<1x10x8x8xf32> -> tensor<1x640xf32>
    ```
    """

    name = "ee.flatten"

    input = operand_def(AnyTensorTypeConstr)
    output = result_def(AnyTensorTypeConstr)

    axis = prop_def(IntegerAttr[I64])

    traits = traits_def(Pure(), FlattenCanonicalization())

    assembly_format = "$input `axis` $axis attr-dict `:` type($input) `->` type($output)"

    def fold(self) -> tuple[SSAValue | Attribute] | None:
        return _fold_reshape(self)

    def __init__(self, input: SSAValue, axis: int = 1):
        assert isinstance(input.type, TensorType)
        shape = input.type.get_shape()
        out = [math.prod(shape[:axis]), math.prod(shape[axis:])]
        super().__init__(
            operands=[input],
            result_types=[TensorType(input.type.element_type, out)],
            properties={"axis": IntegerAttr(axis, 64)},
        )

    def verify_shapes(self) -> None:
        shape = tensor_shape(self.input, "input")
        axis = self.axis.value.data
        if not 0 <= axis <= len(shape):
            raise VerifyException(f"axis {axis} is out of range for rank {len(shape)}")
        expected = (math.prod(shape[:axis]), math.prod(shape[axis:]))
        expect_shape(tensor_shape(self.output, "result"), expected, "result")


@irdl_op_definition
class ReshapeOp(TensorOp, HasFolderInterface):
    """
    Reinterpret a tensor with a new static shape of the same element count.

    ```mlir
    %r = ee.reshape %x : tensor<1x640xf32> -> tensor<1x10x8x8xf32>
    ```
    """

    name = "ee.reshape"

    input = operand_def(AnyTensorTypeConstr)
    output = result_def(AnyTensorTypeConstr)

    traits = traits_def(Pure(), ReshapeCanonicalization())

    assembly_format = "$input attr-dict `:` type($input) `->` type($output)"

    def fold(self) -> tuple[SSAValue | Attribute] | None:
        return _fold_reshape(self)

    def __init__(self, input: SSAValue, result_type: TensorType):
        super().__init__(operands=[input], result_types=[result_type])

    def verify_shapes(self) -> None:
        src = tensor_shape(self.input, "input")
        dst = tensor_shape(self.output, "result")
        if math.prod(src) != math.prod(dst):
            raise VerifyException(
                f"cannot reshape {format_shape(src)} ({math.prod(src)} elements) "
                f"to {format_shape(dst)} ({math.prod(dst)} elements)"
            )


@irdl_op_definition
class ConcatOp(FoldableOp):
    """
    Join tensors along `axis`; every other dimension must agree.

    Along the channels (axis 1) it folds with one `coarse` that divides every input's
    channels (the lanes of its hardware unit); along another axis only by 1.

    ```mlir
    %c = ee.concat %a, %b axis 1
        : (tensor<1x16x8x8xf32>, tensor<1x32x8x8xf32>) -> tensor<1x48x8x8xf32>
    %d = ee.concat %a, %b axis 1 {folding = #ee.fold<coarse_in = 8, coarse_out = 8>}
        : (tensor<1x16x8x8xf32>, tensor<1x32x8x8xf32>) -> tensor<1x48x8x8xf32>
    ```
    """

    name = "ee.concat"

    inputs = var_operand_def(AnyTensorTypeConstr)
    output = result_def(AnyTensorTypeConstr)

    axis = prop_def(IntegerAttr[I64])

    assembly_format = "$inputs `axis` $axis attr-dict `:` functional-type($inputs, $output)"

    def __init__(self, inputs: list[SSAValue], axis: int = 1):
        types = [v.type for v in inputs]
        assert all(isinstance(t, TensorType) for t in types)
        shape = list(types[0].get_shape())  # type: ignore[union-attr]
        shape[axis] = sum(t.get_shape()[axis] for t in types)  # type: ignore[union-attr]
        super().__init__(
            operands=[inputs],
            result_types=[TensorType(types[0].element_type, shape)],  # type: ignore[union-attr]
            properties={"axis": IntegerAttr(axis, 64)},
        )

    def verify_shapes(self) -> None:
        if not self.inputs:
            raise VerifyException("needs at least one input")
        shapes = [tensor_shape(v, f"input {i}") for i, v in enumerate(self.inputs)]
        rank, axis = len(shapes[0]), self.axis.value.data
        if not 0 <= axis < rank:
            raise VerifyException(f"axis {axis} is out of range for rank {rank}")
        for i, shape in enumerate(shapes):
            if len(shape) != rank or any(
                a != b for d, (a, b) in enumerate(zip(shape, shapes[0], strict=True)) if d != axis
            ):
                raise VerifyException(
                    f"input {i} has shape {format_shape(shape)}, which does not match "
                    f"{format_shape(shapes[0])} outside axis {axis}"
                )
        expected = list(shapes[0])
        expected[axis] = sum(s[axis] for s in shapes)
        expect_shape(tensor_shape(self.output, "result"), tuple(expected), "result")

    def legal_folding(self) -> LegalFolding:
        shapes = [tensor_shape(v, f"input {i}") for i, v in enumerate(self.inputs)]
        if self.axis.value.data != 1 or any(len(s) < 2 for s in shapes):
            return LegalFolding((1,), (1,), tied=True)
        common = divisors(math.gcd(*(s[1] for s in shapes)))
        return LegalFolding(common, common, tied=True)
