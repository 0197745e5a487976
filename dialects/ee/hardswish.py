"""`ee.hardswish`: `x * clamp(x + 3, 0, 6) / 6`, element-wise (ONNX `HardSwish`)."""

from __future__ import annotations

from typing import ClassVar

import numpy as np
from atheena_ir.dialects.ee.base import FoldableOp
from atheena_ir.dialects.ee.canonicalization import fold_constants
from atheena_ir.dialects.ee.elementwise import channel_folding
from atheena_ir.dialects.ee.folding import LegalFolding
from xdsl.dialects.builtin import AnyTensorTypeConstr
from xdsl.interfaces import HasFolderInterface
from xdsl.ir import Attribute, SSAValue
from xdsl.irdl import VarConstraint, irdl_op_definition, operand_def, result_def


def hardswish(x: np.ndarray) -> np.ndarray:
    """The float definition, shared by the folder and the interpreter's float kernel."""
    return x * np.clip(x + 3.0, 0.0, 6.0) / 6.0


@irdl_op_definition
class HardswishOp(FoldableOp, HasFolderInterface):
    """
    `x * clamp(x + 3, 0, 6) / 6`, element-wise (ONNX `HardSwish`, MobileNetV3's activation).

    Folds like `ee.relu`: one `coarse` over the channels.

    ```mlir
    %y = ee.hardswish %x : tensor<1x5x16x16xf32>
    %z = ee.hardswish %x {folding = #ee.fold<coarse_in = 5, coarse_out = 5>} : tensor<1x5x16x16xf32>
    ```
    """

    name = "ee.hardswish"

    T: ClassVar = VarConstraint("T", AnyTensorTypeConstr)
    input = operand_def(T)
    output = result_def(T)

    assembly_format = "$input attr-dict `:` type($output)"

    def __init__(self, input: SSAValue):
        super().__init__(operands=[input], result_types=[input.type])

    def fold(self) -> tuple[Attribute] | None:
        return fold_constants(self, hardswish)

    def legal_folding(self) -> LegalFolding:
        return channel_folding(self.input)


__all__ = ["HardswishOp", "hardswish"]
