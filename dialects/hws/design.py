"""
The structure of a design: `hws.design` (the top level, its entry block's arguments
are the input ports, `hws.output` gives the output ports) and `hws.stage` (the units
between two exits, a cluster of the dataflow region; `hws.yield` gives its results).

```mlir
hws.design @main attributes {port_maps = [array<i64: 4, 4, 2>, array<i64: 1, 1, 2>]} {
^bb0(%x: !hws.stream<fixed<16, 8>, 2>):
  %f = hws.stage 0 reach 1.0 -> (!hws.stream<fixed<16, 8>, 2>) {
    %r = hws.relu %x depth 2 : !hws.stream<fixed<16, 8>, 2>
    hws.yield %r : !hws.stream<fixed<16, 8>, 2>
  }
  hws.output %f : !hws.stream<fixed<16, 8>, 2>
}
```

Every stream has exactly one producer (SSA) and exactly one consumer (checked by
`hws.design`); a stage's result is the same stream as the value its `hws.yield` gives.
"""

from __future__ import annotations

from xdsl.dialects.builtin import (
    I64,
    AnyFloat,
    ArrayAttr,
    DenseArrayBase,
    FloatAttr,
    IntegerAttr,
    StringAttr,
    SymbolNameConstraint,
)
from xdsl.ir import Attribute, Block, Operation, Region, SSAValue
from xdsl.irdl import (
    AnyAttr,
    irdl_op_definition,
    prop_def,
    region_def,
    traits_def,
    var_operand_def,
    var_result_def,
)
from xdsl.traits import IsolatedFromAbove, IsTerminator
from xdsl.utils.exceptions import VerifyException

from atheena_ir.dialects.ee.syntax import int_array, int_list
from atheena_ir.dialects.hws.base import HWSOp
from atheena_ir.dialects.hws.types import StreamTypeBase


def _describe(value: SSAValue) -> str:
    if value.name_hint:
        return f"stream %{value.name_hint}"
    owner = value.owner
    if isinstance(owner, Operation):
        return f"result {value.index} of '{owner.name}'"  # type: ignore[attr-defined]
    return f"input port {value.index}"  # type: ignore[attr-defined]


@irdl_op_definition
class DesignOp(HWSOp):
    """
    A streaming accelerator: the entry block's arguments are its input ports, the
    operands of its `hws.output` its output ports, and the ops in between (units and
    stages) one dataflow region. `port_maps` gives each port's map as
    `[rows, cols, channels]` (inputs, then outputs), which a testbench needs to lay
    samples out as words. Every stream has exactly one consumer.

    ```mlir
    hws.design @main attributes {port_maps = [array<i64: 1, 1, 4>, array<i64: 1, 1, 4>]} {
    ^bb0(%x: !hws.stream<fixed<16, 8>, 1>):
      %r = hws.relu %x depth 2 : !hws.stream<fixed<16, 8>, 1>
      hws.output %r : !hws.stream<fixed<16, 8>, 1>
    }
    ```
    """

    name = "hws.design"

    sym_name = prop_def(SymbolNameConstraint())
    port_maps = prop_def(ArrayAttr[DenseArrayBase])

    body = region_def("single_block")

    traits = traits_def(IsolatedFromAbove())

    assembly_format = "$sym_name attr-dict-with-keyword $body"

    def __init__(self, name: str, body: Region | Block, port_maps: list[tuple[int, int, int]]):
        if isinstance(body, Block):
            body = Region(body)
        super().__init__(
            properties={
                "sym_name": StringAttr(name),
                "port_maps": ArrayAttr([int_array(m) for m in port_maps]),
            },
            regions=[body],
        )

    @property
    def inputs(self) -> tuple[SSAValue, ...]:
        """The input ports."""
        return tuple(self.body.block.args)

    @property
    def outputs(self) -> tuple[SSAValue, ...]:
        """The output ports."""
        term = self.body.block.last_op
        return tuple(term.operands) if isinstance(term, OutputOp) else ()

    def maps(self) -> list[tuple[int, ...]]:
        """`[rows, cols, channels]` of every port: inputs, then outputs."""
        return [int_list(m) for m in self.port_maps.data]

    def verify_unit(self) -> None:
        term = self.body.block.last_op
        if not isinstance(term, OutputOp):
            raise VerifyException("the design's region must end with 'hws.output'")
        ports = [*self.inputs, *self.outputs]
        for p in ports:
            if not isinstance(p.type, StreamTypeBase):
                raise VerifyException(f"every port must be a stream, got {p.type}")
        maps = self.maps()
        if len(maps) != len(ports):
            raise VerifyException(
                f"port_maps gives {len(maps)} map(s) but the design has {len(ports)} port(s) "
                f"({len(self.inputs)} in, {len(self.outputs)} out)"
            )
        for p, m in zip(ports, maps, strict=True):
            if len(m) != 3 or min(m) < 1:
                raise VerifyException(f"a port map is [rows, cols, channels] >= 1, got {list(m)}")
            n = p.type.lanes_or_none()  # type: ignore[attr-defined]
            if n is not None and m[2] % n:
                raise VerifyException(f"{n} lanes do not divide the {m[2]} channels of a port")
        for value in _streams(self.body.block):
            count = len(list(value.uses))
            if count != 1:
                what = "is never read" if count == 0 else f"has {count} consumers"
                raise VerifyException(
                    f"{_describe(value)} {what}; every stream needs exactly one consumer "
                    "(fan out with hws.split or hws.fork)"
                )


def _streams(block: Block) -> list[SSAValue]:
    """Every stream defined in `block` and nested stages: ports, unit and stage results."""
    found: list[SSAValue] = [a for a in block.args if isinstance(a.type, StreamTypeBase)]
    for op in block.ops:
        found += [r for r in op.results if isinstance(r.type, StreamTypeBase)]
        for region in op.regions:
            for b in region.blocks:
                found += _streams(b)
    return found


@irdl_op_definition
class StageOp(HWSOp):
    """
    The units of one stage (the part of the network between two exits); `reach` is
    the probability that a sample gets there. The region reads outer streams; its
    results are the streams `hws.yield` gives (no FIFO of their own).

    ```mlir
    %z1 = hws.stage 1 reach 0.25 -> (!hws.stream<fixed<16, 8>, 1>) {
      %r = hws.relu %cont depth 2 : !hws.stream<fixed<16, 8>, 1>
      hws.yield %r : !hws.stream<fixed<16, 8>, 1>
    }
    ```
    """

    name = "hws.stage"

    index = prop_def(IntegerAttr[I64])
    reach = prop_def(FloatAttr[AnyFloat])

    outputs = var_result_def(StreamTypeBase)

    body = region_def("single_block")

    assembly_format = (
        "$index `reach` custom<Float>($reach) attr-dict-with-keyword "
        "(`->` `(` type($outputs)^ `)`)? $body"
    )

    def __init__(
        self, index: int, reach: float, result_types: list[Attribute], body: Region | Block
    ):
        if isinstance(body, Block):
            body = Region(body)
        super().__init__(
            result_types=[result_types],
            regions=[body],
            properties={"index": IntegerAttr(index, 64), "reach": FloatAttr(reach, 64)},
        )

    def verify_unit(self) -> None:
        parent = self.parent_op()
        if parent is not None and not isinstance(parent, DesignOp):
            raise VerifyException(
                f"'hws.stage' expects parent op 'hws.design', got '{parent.name}'"
            )
        reach = self.reach.value.data
        if not 0.0 < reach <= 1.0:
            raise VerifyException(f"reach probability must lie in (0, 1], got {reach}")
        if self.index.value.data < 0:
            raise VerifyException(f"stage index must be >= 0, got {self.index.value.data}")
        term = self.body.block.last_op
        if not isinstance(term, YieldOp):
            raise VerifyException("the stage's region must end with 'hws.yield'")
        yielded = [v.type for v in term.operands]
        if yielded != [r.type for r in self.outputs]:
            raise VerifyException(
                f"the region yields ({', '.join(map(str, yielded))}) but the stage returns "
                f"({', '.join(str(r.type) for r in self.outputs)})"
            )


@irdl_op_definition
class YieldOp(HWSOp):
    """
    Ends an `hws.stage`, giving the streams that leave it.

    ```mlir
    hws.yield %cont, %keep : !hws.stream<fixed<16, 8>, 5>, !hws.stream<fixed<16, 8>, 1>
    ```
    """

    name = "hws.yield"

    values = var_operand_def(AnyAttr())

    traits = traits_def(IsTerminator())

    assembly_format = "attr-dict ($values^ `:` type($values))?"

    def __init__(self, *values: SSAValue):
        super().__init__(operands=[values])

    def verify_unit(self) -> None:
        parent = self.parent_op()
        if parent is not None and not isinstance(parent, StageOp):
            raise VerifyException(f"'hws.yield' expects parent op 'hws.stage', got '{parent.name}'")


@irdl_op_definition
class OutputOp(HWSOp):
    """
    Ends an `hws.design`: its operands are the design's output ports.

    ```mlir
    hws.output %out : !hws.result<fixed<16, 8>, 1>
    ```
    """

    name = "hws.output"

    values = var_operand_def(StreamTypeBase)

    traits = traits_def(IsTerminator())

    assembly_format = "attr-dict ($values^ `:` type($values))?"

    def __init__(self, *values: SSAValue):
        super().__init__(operands=[values])

    def verify_unit(self) -> None:
        parent = self.parent_op()
        if parent is not None and not isinstance(parent, DesignOp):
            raise VerifyException(
                f"'hws.output' expects parent op 'hws.design', got '{parent.name}'"
            )
