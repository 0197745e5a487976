"""
Custom assembly-format directives shared by the `ee` ops.

They keep the custom syntax close to how a designer writes a layer:

```mlir
%y = ee.conv2d %x, %w strides [2, 2] pads [1, 1, 1, 1] : ...   // IntList
%b = ee.cond_buffer %x, %d forward continue : ...               // Ident
%d = ee.exit_decision top1(%z) > 0.996 : tensor<1x10xf32>       // Float
```
"""

from __future__ import annotations

from xdsl.dialects.builtin import I64, DenseArrayBase, FloatAttr, StringAttr, f64, i64
from xdsl.irdl import IRDLOperation
from xdsl.irdl.declarative_assembly_format import (
    AttributeVariable,
    CustomDirective,
    ParsingState,
    PrintingState,
    irdl_custom_directive,
)
from xdsl.parser import Parser
from xdsl.printer import Printer


def int_array(values: list[int] | tuple[int, ...]) -> DenseArrayBase:
    """Build the `array<i64: ...>` property that holds an integer list."""
    return DenseArrayBase[I64].from_list(i64, tuple(values))


def int_list(attr: DenseArrayBase) -> tuple[int, ...]:
    """The Python integers held by an `array<i64: ...>` property."""
    return tuple(int(v) for v in attr.get_values())


def float_literal(value: float) -> str:
    """The shortest text that reads back as `value` and lexes as an MLIR float (`1.0e-05`)."""
    text = repr(value)
    mantissa, _, exponent = text.partition("e")
    if "." not in mantissa:
        mantissa += ".0"
    return f"{mantissa}e{exponent}" if exponent else mantissa


@irdl_custom_directive
class IntList(CustomDirective):
    """An `array<i64>` property printed as `[1, 2, 3]`."""

    values: AttributeVariable

    def parse(self, parser: Parser, state: ParsingState) -> None:
        items = parser.parse_comma_separated_list(Parser.Delimiter.SQUARE, parser.parse_integer)
        self.values.set(state, int_array(items))

    def print(self, printer: Printer, state: PrintingState, op: IRDLOperation) -> None:
        state.print_whitespace(printer)
        attr = self.values.get(op)
        assert isinstance(attr, DenseArrayBase)
        printer.print_string("[" + ", ".join(str(v) for v in int_list(attr)) + "]")


@irdl_custom_directive
class Ident(CustomDirective):
    """A string property printed as a bare identifier: `top1`, `continue`."""

    value: AttributeVariable

    def parse(self, parser: Parser, state: ParsingState) -> None:
        self.value.set(state, StringAttr(parser.parse_identifier("expected an identifier")))

    def print(self, printer: Printer, state: PrintingState, op: IRDLOperation) -> None:
        state.print_whitespace(printer)
        attr = self.value.get(op)
        assert isinstance(attr, StringAttr)
        printer.print_string(attr.data)


@irdl_custom_directive
class Float(CustomDirective):
    """An `f64` float property printed as a plain number: `0.996`."""

    value: AttributeVariable

    def parse(self, parser: Parser, state: ParsingState) -> None:
        self.value.set(state, FloatAttr(parser.parse_number(), f64))

    def print(self, printer: Printer, state: PrintingState, op: IRDLOperation) -> None:
        state.print_whitespace(printer)
        attr = self.value.get(op)
        assert isinstance(attr, FloatAttr)
        printer.print_string(float_literal(float(attr.value.data)))
