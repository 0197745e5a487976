"""`hws.squeeze`: re-lanes a stream between neighbouring units with different lane counts."""

from __future__ import annotations

from typing import ClassVar

from xdsl.irdl import irdl_op_definition, operand_def, result_def
from xdsl.utils.exceptions import VerifyException

from atheena_ir.dialects.hws.base import TemplateArg, UnitOp, check_same_element, element, lanes
from atheena_ir.dialects.hws.types import StreamType


@irdl_op_definition
class SqueezeOp(UnitOp):
    """
    Re-lanes a stream from LIN to LOUT lanes, values in order (inserted where
    neighbouring units' lane counts differ). The values per sample must be a multiple
    of `lcm(LIN, LOUT)`. Unit: `squeeze<T, LIN, LOUT>`.

    ```mlir
    %y = hws.squeeze %x depth 2
        : !hws.stream<fixed<16, 8>, 2> -> !hws.stream<fixed<16, 8>, 5>
    ```
    """

    name = "hws.squeeze"
    UNIT: ClassVar[str] = "squeeze"

    input = operand_def(StreamType)
    output = result_def(StreamType)

    assembly_format = (
        "$input `depth` custom<Depths>($depth) attr-dict `:` type($input) `->` type($output)"
    )

    def template_args(self) -> list[tuple[str, TemplateArg]]:
        return [
            ("T", element(self.input)),
            ("LIN", lanes(self.input)),
            ("LOUT", lanes(self.output)),
        ]

    def verify_unit(self) -> None:
        check_same_element(self.input, self.output, "a squeeze keeps the element type")
        if lanes(self.input) == lanes(self.output):
            raise VerifyException(
                f"a squeeze between equal lane counts ({lanes(self.input)}) does nothing; remove it"
            )
