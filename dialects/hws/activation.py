"""
Activation units: one `hws` op per `ee` activation (`ee.ACTIVATIONS`), made from it.

`ee.<name>` lowers to `hws.<name>`, which prints as the unit `atheena::<name><T, L>`
(`backends/hls/include/atheena/<name>.h`): one word of `L` lanes in, the function on every
lane, one word out, II 1. The ops are generated, so a new activation in `ee` has its unit
op here with no edit; `UNITS` maps each `ee` op class to its unit op class.

```mlir
%y = hws.relu %x depth 2 : !hws.stream<fixed<16, 8>, 5>
%z = hws.hardswish %y depth 2 : !hws.stream<fixed<16, 8>, 5>
```
"""

from __future__ import annotations

from typing import ClassVar

from xdsl.irdl import BaseAttr, VarConstraint, irdl_op_definition, operand_def, result_def

from atheena_ir.dialects import ee
from atheena_ir.dialects.hws.base import TemplateArg, UnitOp, element, lanes
from atheena_ir.dialects.hws.types import StreamType


class ActivationUnitOp(UnitOp):
    """The shared definition of an activation unit (undecorated: subclasses merge it)."""

    T: ClassVar = VarConstraint("T", BaseAttr(StreamType))
    input = operand_def(T)
    output = result_def(T)

    assembly_format = "$input `depth` custom<Depths>($depth) attr-dict `:` type($output)"

    def template_args(self) -> list[tuple[str, TemplateArg]]:
        return [("T", element(self.input)), ("L", lanes(self.input))]


def _unit_op(activation: type[ee.ActivationOp]) -> type[ActivationUnitOp]:
    """The `hws` op of one `ee` activation: same name, same class name, unit `<name><T, L>`."""
    unit = activation.unit_name()
    doc = (
        f"`{activation.FORMULA}` on every lane, word by word (II 1); lowered from "
        f"`{activation.name}`. Unit: `{unit}<T, L>` (`atheena/{unit}.h`).\n\n"
        f"```mlir\n%y = hws.{unit} %x depth 2 : !hws.stream<fixed<16, 8, rnd_conv, sat>, 5>\n```"
    )
    namespace = {"name": f"hws.{unit}", "UNIT": unit, "__doc__": doc, "__module__": __name__}
    namespace["__annotations__"] = {"UNIT": ClassVar[str]}
    return irdl_op_definition(type(activation.__name__, (ActivationUnitOp,), namespace))


UNITS: dict[type[ee.ActivationOp], type[ActivationUnitOp]] = {
    activation: _unit_op(activation) for activation in ee.ACTIVATIONS
}
"""The unit op of every `ee` activation."""

ReluOp = UNITS[ee.ReluOp]
HardswishOp = UNITS[ee.HardswishOp]

__all__ = ["UNITS", "ActivationUnitOp", "HardswishOp", "ReluOp"]
