"""Pooling ops: `ee.maxpool2d`, `ee.avgpool2d` and `ee.global_avgpool` (NCHW)."""

from __future__ import annotations

from abc import ABC

from xdsl.dialects.builtin import I64, AnyTensorTypeConstr, DenseArrayBase, TensorType, UnitAttr
from xdsl.ir import SSAValue
from xdsl.irdl import irdl_op_definition, operand_def, opt_prop_def, prop_def, result_def
from xdsl.utils.exceptions import VerifyException

from atheena_ir.dialects.ee.base import FoldableOp
from atheena_ir.dialects.ee.folding import LegalFolding, divisors
from atheena_ir.dialects.ee.shapes import check_ints, conv_out_hw, expect_shape, tensor_shape
from atheena_ir.dialects.ee.syntax import int_array, int_list


class Pool2dBase(FoldableOp, ABC):
    """A windowed pooling op: kernel, strides and pads `[top, left, bottom, right]`."""

    input = operand_def(AnyTensorTypeConstr)
    output = result_def(AnyTensorTypeConstr)

    kernel = prop_def(DenseArrayBase[I64])
    strides = prop_def(DenseArrayBase[I64])
    pads = prop_def(DenseArrayBase[I64])

    assembly_format = (
        "$input `kernel` custom<IntList>($kernel) `strides` custom<IntList>($strides) "
        "`pads` custom<IntList>($pads) attr-dict `:` type($input) `->` type($output)"
    )

    def __init__(
        self,
        input: SSAValue,
        kernel: tuple[int, int],
        strides: tuple[int, int] | None = None,
        pads: tuple[int, int, int, int] = (0, 0, 0, 0),
    ):
        strides = kernel if strides is None else strides
        assert isinstance(input.type, TensorType)
        n, c, h, w = input.type.get_shape()
        rows, cols = conv_out_hw((h, w), kernel, strides, pads)
        super().__init__(
            operands=[input],
            result_types=[TensorType(input.type.element_type, [n, c, rows, cols])],
            properties={
                "kernel": int_array(kernel),
                "strides": int_array(strides),
                "pads": int_array(pads),
            },
        )

    def verify_shapes(self) -> None:
        n, c, h, w = tensor_shape(self.input, "input", 4)
        kernel, strides, pads = (int_list(a) for a in (self.kernel, self.strides, self.pads))
        check_ints("kernel", kernel, 2, 1)
        check_ints("strides", strides, 2, 1)
        check_ints("pads", pads, 4, 0)
        if (
            pads[0] >= kernel[0]
            or pads[2] >= kernel[0]
            or pads[1] >= kernel[1]
            or pads[3] >= kernel[1]
        ):
            raise VerifyException(
                f"pads {list(pads)} must be smaller than the kernel {list(kernel)}"
            )
        rows, cols = conv_out_hw((h, w), kernel, strides, pads)
        if rows < 1 or cols < 1:
            raise VerifyException(
                f"the {kernel[0]}x{kernel[1]} window does not fit the {h}x{w} input"
            )
        expect_shape(tensor_shape(self.output, "result"), (n, c, rows, cols), "result")

    def legal_folding(self) -> LegalFolding:
        channels = tensor_shape(self.input, "input", 4)[1]
        return LegalFolding(divisors(channels), divisors(channels), tied=True)


@irdl_op_definition
class MaxPool2dOp(Pool2dBase):
    """
    Max pooling over a window; padding never wins the max.

    ```mlir
    %y = ee.maxpool2d %x kernel [2, 2] strides [2, 2] pads [0, 0, 0, 0]
        : tensor<1x5x28x28xf32> -> tensor<1x5x14x14xf32>
    ```
    """

    name = "ee.maxpool2d"


@irdl_op_definition
class AvgPool2dOp(Pool2dBase):
    """
    Average pooling over a window. With `count_include_pad` the divisor is always
    the window size; without it, only the cells inside the input count.

    ```mlir
    %y = ee.avgpool2d %x kernel [3, 3] strides [1, 1] pads [1, 1, 1, 1] {count_include_pad}
        : tensor<1x8x6x6xf32> -> tensor<1x8x6x6xf32>
    ```
    """

    name = "ee.avgpool2d"

    count_include_pad = opt_prop_def(UnitAttr)


@irdl_op_definition
class GlobalAvgPoolOp(FoldableOp):
    """
    Mean over the spatial dimensions: `[N, C, H, W] -> [N, C, 1, 1]`.

    ```mlir
    %y = ee.global_avgpool %x : tensor<1x64x7x7xf32> -> tensor<1x64x1x1xf32>
    ```
    """

    name = "ee.global_avgpool"

    input = operand_def(AnyTensorTypeConstr)
    output = result_def(AnyTensorTypeConstr)

    assembly_format = "$input attr-dict `:` type($input) `->` type($output)"

    def __init__(self, input: SSAValue):
        assert isinstance(input.type, TensorType)
        n, c, _, _ = input.type.get_shape()
        super().__init__(
            operands=[input], result_types=[TensorType(input.type.element_type, [n, c, 1, 1])]
        )

    def verify_shapes(self) -> None:
        n, c, _, _ = tensor_shape(self.input, "input", 4)
        expect_shape(tensor_shape(self.output, "result"), (n, c, 1, 1), "result")

    def legal_folding(self) -> LegalFolding:
        channels = tensor_shape(self.input, "input", 4)[1]
        return LegalFolding(divisors(channels), divisors(channels), tied=True)
