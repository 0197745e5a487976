"""`ee.conv2d`: 2-D convolution, NCHW, with groups, dilations and an optional bias."""

from __future__ import annotations

from xdsl.dialects.builtin import (
    I64,
    AnyTensorTypeConstr,
    DenseArrayBase,
    IntegerAttr,
    TensorType,
)
from xdsl.ir import SSAValue
from xdsl.irdl import irdl_op_definition, operand_def, opt_operand_def, prop_def, result_def
from xdsl.utils.exceptions import VerifyException

from atheena_ir.dialects.ee.base import FoldableOp
from atheena_ir.dialects.ee.folding import LegalFolding, divisors, fine_choices
from atheena_ir.dialects.ee.shapes import (
    check_ints,
    conv_out_hw,
    expect_shape,
    tensor_shape,
)
from atheena_ir.dialects.ee.syntax import int_array, int_list


@irdl_op_definition
class Conv2dOp(FoldableOp):
    """
    2-D convolution of an NCHW tensor with weights `[F, C/groups, K0, K1]` and an
    optional bias `[F]`. Pads are `[top, left, bottom, right]`.

    ```mlir
    %y = ee.conv2d %x, %w bias %b strides [1, 1] pads [2, 2, 2, 2] dilations [1, 1] groups 1
        : (tensor<1x1x28x28xf32>, tensor<5x1x5x5xf32>, tensor<5xf32>) -> tensor<1x5x28x28xf32>
    ```
    """

    name = "ee.conv2d"

    input = operand_def(AnyTensorTypeConstr)
    weight = operand_def(AnyTensorTypeConstr)
    bias = opt_operand_def(AnyTensorTypeConstr)

    output = result_def(AnyTensorTypeConstr)

    strides = prop_def(DenseArrayBase[I64])
    pads = prop_def(DenseArrayBase[I64])
    dilations = prop_def(DenseArrayBase[I64])
    groups = prop_def(IntegerAttr[I64])

    assembly_format = (
        "$input `,` $weight (`bias` $bias^)? `strides` custom<IntList>($strides) "
        "`pads` custom<IntList>($pads) `dilations` custom<IntList>($dilations) "
        "`groups` $groups attr-dict `:` functional-type(operands, results)"
    )

    def __init__(
        self,
        input: SSAValue,
        weight: SSAValue,
        bias: SSAValue | None,
        strides: tuple[int, int] = (1, 1),
        pads: tuple[int, int, int, int] = (0, 0, 0, 0),
        dilations: tuple[int, int] = (1, 1),
        groups: int = 1,
        result_type: TensorType | None = None,
    ):
        if result_type is None:
            result_type = conv2d_result_type(input.type, weight.type, strides, pads, dilations)
        super().__init__(
            operands=[input, weight, [] if bias is None else [bias]],
            result_types=[result_type],
            properties={
                "strides": int_array(strides),
                "pads": int_array(pads),
                "dilations": int_array(dilations),
                "groups": IntegerAttr(groups, 64),
            },
        )

    @property
    def kernel(self) -> tuple[int, int]:
        shape = tensor_shape(self.weight, "weight")
        return (shape[2], shape[3])

    def verify_shapes(self) -> None:
        n, c, h, w = tensor_shape(self.input, "input", 4)
        wshape = tensor_shape(self.weight, "weight", 4)
        f, c_per_group, k0, k1 = wshape
        groups = self.groups.value.data
        strides, pads, dilations = (int_list(a) for a in (self.strides, self.pads, self.dilations))
        check_ints("strides", strides, 2, 1)
        check_ints("pads", pads, 4, 0)
        check_ints("dilations", dilations, 2, 1)
        if groups < 1:
            raise VerifyException(f"groups must be >= 1, got {groups}")
        if c % groups or f % groups:
            raise VerifyException(
                f"input channels ({c}) and filters ({f}) must be divisible by groups ({groups})"
            )
        expect_shape(wshape, (f, c // groups, k0, k1), "weight")
        if self.bias is not None:
            expect_shape(tensor_shape(self.bias, "bias"), (f,), "bias")
        rows, cols = conv_out_hw((h, w), (k0, k1), strides, pads, dilations)
        if rows < 1 or cols < 1:
            padded = f"{h + pads[0] + pads[2]}x{w + pads[1] + pads[3]}"
            kernel = f"the {k0}x{k1} kernel"
            if tuple(dilations) != (1, 1):  # name what does not fit: the dilated span
                spans = [d * (k - 1) + 1 for d, k in zip(dilations, (k0, k1), strict=True)]
                kernel += f" with dilations {list(dilations)} spans {spans[0]}x{spans[1]}, which"
            raise VerifyException(f"{kernel} does not fit the {padded} input with its padding")
        expect_shape(tensor_shape(self.output, "result"), (n, f, rows, cols), "result")
        del c_per_group

    def legal_folding(self) -> LegalFolding:
        _, c, _, _ = tensor_shape(self.input, "input", 4)
        f = tensor_shape(self.weight, "weight", 4)[0]
        groups = self.groups.value.data
        return LegalFolding(
            coarse_in=divisors(c // groups),
            coarse_out=divisors(f // groups),
            coarse_group=divisors(groups),
            fine=fine_choices(self.kernel),
        )


def conv2d_result_type(
    input_type: object,
    weight_type: object,
    strides: tuple[int, ...],
    pads: tuple[int, ...],
    dilations: tuple[int, ...],
) -> TensorType:
    """The NCHW result type of a convolution (or a window op with `F` = weight dim 0)."""
    assert isinstance(input_type, TensorType)
    assert isinstance(weight_type, TensorType)
    n, _, h, w = input_type.get_shape()
    f, _, k0, k1 = weight_type.get_shape()
    rows, cols = conv_out_hw((h, w), (k0, k1), strides, pads, dilations)
    return TensorType(input_type.element_type, [n, f, rows, cols])
