"""
The units of a residual connection: `hws.add` sums the main and the skip stream; `hws.fifo`
holds the skip stream while the main path fills its line buffers (its result's `depth` is
the point of it; docs/hws.md explains how `lower-to-hws` sizes it).

```mlir
%a, %b = hws.split %x depth [2, 2] : !hws.stream<fixed<16, 8>, 2>
%skip = hws.fifo %b depth 330 : !hws.stream<fixed<16, 8>, 2>
...
%y = hws.add %main, %skip depth 2 : !hws.stream<fixed<16, 8>, 2>
```
"""

from __future__ import annotations

from typing import ClassVar

from xdsl.irdl import BaseAttr, VarConstraint, irdl_op_definition, operand_def, result_def

from atheena_ir.dialects.hws.base import TemplateArg, UnitOp, element, lanes
from atheena_ir.dialects.hws.types import StreamType


@irdl_op_definition
class AddOp(UnitOp):
    """
    `a + b` on every lane, word by word (II 1): the sum of a residual connection, exact then
    one assignment to `T` (only its overflow mode acts). Both inputs carry the same map in
    the same order. Unit: `add<T, L>`.

    ```mlir
    %y = hws.add %main, %skip depth 2 : !hws.stream<fixed<16, 8, rnd_conv, sat>, 2>
    ```
    """

    name = "hws.add"
    UNIT: ClassVar[str] = "add"

    T: ClassVar = VarConstraint("T", BaseAttr(StreamType))
    lhs = operand_def(T)
    rhs = operand_def(T)
    output = result_def(T)

    assembly_format = "$lhs `,` $rhs `depth` custom<Depths>($depth) attr-dict `:` type($output)"

    def template_args(self) -> list[tuple[str, TemplateArg]]:
        return [("T", element(self.lhs)), ("L", lanes(self.lhs))]


@irdl_op_definition
class FifoOp(UnitOp):
    """
    Copies its input to its output word by word and computes nothing: its output stream's
    `depth` words hold a residual connection's skip path while the main path fills its line
    buffers (without it the split feeding both paths would block and the design deadlock).
    Unit: `fifo<W>`.

    ```mlir
    %skip = hws.fifo %b depth 330 : !hws.stream<fixed<16, 8, rnd_conv, sat>, 2>
    ```
    """

    name = "hws.fifo"
    UNIT: ClassVar[str] = "fifo"

    T: ClassVar = VarConstraint("T", BaseAttr(StreamType))
    input = operand_def(T)
    output = result_def(T)

    assembly_format = "$input `depth` custom<Depths>($depth) attr-dict `:` type($output)"

    def template_args(self) -> list[tuple[str, TemplateArg]]:
        t = self.input.type
        assert isinstance(t, StreamType)
        return [("W", t.cpp())]


__all__ = ["AddOp", "FifoOp"]
