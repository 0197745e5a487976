"""`hws.hardswish`: the hardswish unit (`atheena/hardswish.h`)."""

from __future__ import annotations

from typing import ClassVar

from atheena_ir.dialects.hws.base import TemplateArg, UnitOp, element, lanes
from atheena_ir.dialects.hws.types import StreamType
from xdsl.irdl import BaseAttr, VarConstraint, irdl_op_definition, operand_def, result_def


@irdl_op_definition
class HardswishOp(UnitOp):
    """
    `x * clamp(x + 3, 0, 6) / 6` on every lane, word by word (II 1). Unit: `hardswish<T, L>`
    (exact product times `round(2^20 / 6)`, quantised once to `T`; docs/hls_units.md).

    ```mlir
    %y = hws.hardswish %x depth 2 : !hws.stream<fixed<16, 8, rnd_conv, sat>, 5>
    ```
    """

    name = "hws.hardswish"
    UNIT: ClassVar[str] = "hardswish"

    T: ClassVar = VarConstraint("T", BaseAttr(StreamType))
    input = operand_def(T)
    output = result_def(T)

    assembly_format = "$input `depth` custom<Depths>($depth) attr-dict `:` type($output)"

    def template_args(self) -> list[tuple[str, TemplateArg]]:
        return [("T", element(self.input)), ("L", lanes(self.input))]


__all__ = ["HardswishOp"]
