"""`ee.linear`: a fully connected layer in Gemm form, `y = x W^T + b`."""

from __future__ import annotations

from atheena_ir.dialects.ee.base import FoldableOp
from atheena_ir.dialects.ee.folding import LegalFolding, divisors
from atheena_ir.dialects.ee.shapes import expect_shape, tensor_shape
from xdsl.dialects.builtin import AnyTensorTypeConstr, TensorType
from xdsl.ir import SSAValue
from xdsl.irdl import irdl_op_definition, operand_def, opt_operand_def, result_def


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
        _, k = tensor_shape(self.input, "input", 2)
        m = tensor_shape(self.weight, "weight", 2)[0]
        return LegalFolding(divisors(k), divisors(m))
