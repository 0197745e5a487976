"""Custom syntax shared by the fan-out units (`hws.fork`, `hws.split`): N equal results."""

from __future__ import annotations

from xdsl.ir import Operation
from xdsl.parser import Parser
from xdsl.printer import Printer

from atheena_ir.dialects.ee.syntax import int_array


def print_fanout(op: Operation, printer: Printer) -> None:
    """` %x depth [2, 2] {attrs} : type`."""
    printer.print_string(" ")
    printer.print_operand(op.operands[0])
    depth = op.properties["depth"]
    printer.print_string(" depth [")
    printer.print_string(", ".join(str(v) for v in depth.get_values()))  # type: ignore[attr-defined]
    printer.print_string("]")
    printer.print_op_attributes(op.attributes)
    printer.print_string(" : ")
    printer.print_attribute(op.operands[0].type)


def parse_fanout(cls: type[Operation], parser: Parser) -> Operation:
    """Parse what `print_fanout` prints: one result per depth."""
    unresolved = parser.parse_unresolved_operand()
    parser.parse_keyword("depth")
    depths = parser.parse_comma_separated_list(
        Parser.Delimiter.SQUARE, lambda: parser.parse_integer(allow_boolean=False)
    )
    extra = parser.parse_optional_attr_dict()
    parser.parse_punctuation(":")
    typ = parser.parse_type()
    op = cls.create(
        operands=[parser.resolve_operand(unresolved, typ)],
        result_types=[typ] * len(depths),
        properties={"depth": int_array(depths)},
        attributes=dict(extra),
    )
    return op
