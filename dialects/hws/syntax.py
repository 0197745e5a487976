"""
Custom assembly-format directive of the `hws` units: the FIFO depth of each result.

```mlir
%y = hws.relu %x depth 2 : !hws.stream<fixed<16, 8>, 1>                  // one result
%a, %b = hws.split %x depth [2, 2] : !hws.stream<fixed<16, 8>, 1>        // one per result
```
"""

from __future__ import annotations

from xdsl.dialects.builtin import DenseArrayBase
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

from atheena_ir.dialects.ee.syntax import int_array, int_list


@irdl_custom_directive
class Depths(CustomDirective):
    """An `array<i64>` of FIFO depths: `2` for one result, `[2, 8]` for several."""

    values: AttributeVariable

    def parse(self, parser: Parser, state: ParsingState) -> None:
        if parser.parse_optional_punctuation("[") is not None:
            items = [parser.parse_integer(allow_boolean=False)]
            while parser.parse_optional_punctuation(",") is not None:
                items.append(parser.parse_integer(allow_boolean=False))
            parser.parse_punctuation("]")
        else:
            items = [parser.parse_integer(allow_boolean=False)]
        self.values.set(state, int_array(items))

    def print(self, printer: Printer, state: PrintingState, op: IRDLOperation) -> None:
        state.print_whitespace(printer)
        attr = self.values.get(op)
        assert isinstance(attr, DenseArrayBase)
        values = int_list(attr)
        if len(values) == 1:
            printer.print_string(str(values[0]))
        else:
            printer.print_string("[" + ", ".join(map(str, values)) + "]")
