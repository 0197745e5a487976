"""`ee.linear`: a fully connected layer in Gemm form, `y = x W^T + b`."""

from __future__ import annotations

from xdsl.dialects.builtin import AnyTensorTypeConstr, TensorType
from xdsl.ir import SSAValue
from xdsl.irdl import irdl_op_definition, operand_def, opt_operand_def, result_def

from atheena_ir.dialects.ee.base import FoldableOp
from atheena_ir.dialects.ee.folding import LegalFolding, divisors
from atheena_ir.dialects.ee.reshape import FlattenOp, ReshapeOp
from atheena_ir.dialects.ee.shapes import expect_shape, tensor_shape


@irdl_op_definition
class LinearOp(FoldableOp):
    """
    Fully connected layer: input `[N, K]`, weight `[M, K]` (one row per output),
    optional bias `[M]`, result `[N, M]`.

    ```mlir
    %y = ee.linear %x, %w bias %b
        : (tensor<1x640xf32>, tensor<10x640xf32>, tensor<10xf32>) -> tensor<1x10xf32>
    ```
    """

    name = "ee.linear"

    input = operand_def(AnyTensorTypeConstr)
    weight = operand_def(AnyTensorTypeConstr)
    bias = opt_operand_def(AnyTensorTypeConstr)

    output = result_def(AnyTensorTypeConstr)

    assembly_format = (
        "$input `,` $weight (`bias` $bias^)? attr-dict `:` functional-type(operands, results)"
    )

    def __init__(self, input: SSAValue, weight: SSAValue, bias: SSAValue | None = None):
        assert isinstance(input.type, TensorType)
        assert isinstance(weight.type, TensorType)
        n = input.type.get_shape()[0]
        m = weight.type.get_shape()[0]
        super().__init__(
            operands=[input, weight, [] if bias is None else [bias]],
            result_types=[TensorType(input.type.element_type, [n, m])],
        )

    def verify_shapes(self) -> None:
        n, k = tensor_shape(self.input, "input", 2)
        m = tensor_shape(self.weight, "weight", 2)[0]
        expect_shape(tensor_shape(self.weight, "weight"), (m, k), "weight")
        if self.bias is not None:
            expect_shape(tensor_shape(self.bias, "bias"), (m,), "bias")
        expect_shape(tensor_shape(self.output, "result"), (n, m), "result")

    def legal_folding(self) -> LegalFolding:
        """`coarse_in` splits the channels of the map streamed in (seen through a flatten
        or reshape; the whole vector if there is none), `coarse_out` the outputs."""
        _, k = tensor_shape(self.input, "input", 2)
        m = tensor_shape(self.weight, "weight", 2)[0]
        source = self.input
        while isinstance(source.owner, FlattenOp | ReshapeOp):
            source = source.owner.input
        shape = tensor_shape(source, "input")
        channels = shape[1] if len(shape) == 4 else k
        return LegalFolding(divisors(channels), divisors(m))
