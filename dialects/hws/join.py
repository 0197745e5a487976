"""
The units that join paths leaving one split: `hws.add` sums a residual connection's main and
skip streams, `hws.concat` joins two maps along the channels (Inception's and SqueezeNet's
branches), and `hws.fifo` holds a path's stream while its partner path fills its line buffers
(its result's `depth` is the point of it; docs/hws.md explains how `lower-to-hws` sizes it).

```mlir
%a, %b = hws.split %x depth [2, 2] : !hws.stream<fixed<16, 8>, 2>
%skip = hws.fifo %b depth 330 : !hws.stream<fixed<16, 8>, 2>
...
%y = hws.add %main, %skip depth 2 : !hws.stream<fixed<16, 8>, 2>
```
"""

from __future__ import annotations

from typing import ClassVar

from xdsl.dialects.builtin import I64, DenseArrayBase
from xdsl.irdl import (
    BaseAttr,
    VarConstraint,
    irdl_op_definition,
    operand_def,
    prop_def,
    result_def,
)

from atheena_ir.dialects.ee.syntax import int_list
from atheena_ir.dialects.hws.base import TemplateArg, UnitOp, check_positive, element, lanes
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
class ConcatOp(UnitOp):
    """
    Joins two maps along the channels: per pixel `words0` words of `in0`, then `words1` of
    `in1` (channel-fastest streams: `words_i = C_i / L`), II 1, data movement only. An ONNX
    Concat of N inputs is a chain of N - 1 of these. Unit: `concat<T, L, W0, W1>`.

    ```mlir
    %y = hws.concat %a, %b words [2, 4] depth 2 : !hws.stream<fixed<16, 8, rnd_conv, sat>, 2>
    ```
    """

    name = "hws.concat"
    UNIT: ClassVar[str] = "concat"

    T: ClassVar = VarConstraint("T", BaseAttr(StreamType))
    in0 = operand_def(T)
    in1 = operand_def(T)
    output = result_def(T)

    words = prop_def(DenseArrayBase[I64])

    assembly_format = (
        "$in0 `,` $in1 `words` custom<IntList>($words) `depth` custom<Depths>($depth) "
        "attr-dict `:` type($output)"
    )

    def template_args(self) -> list[tuple[str, TemplateArg]]:
        w0, w1 = int_list(self.words)
        return [("T", element(self.in0)), ("L", lanes(self.in0)), ("W0", w0), ("W1", w1)]

    def verify_unit(self) -> None:
        check_positive("words", int_list(self.words), 2)


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


__all__ = ["AddOp", "ConcatOp", "FifoOp"]
