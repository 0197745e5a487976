"""
The ops `split-exits` produces: `ee.stage`, `ee.split`, `ee.cond_buffer`, `ee.exit_merge`.

After the split each exit's decision drives two conditional buffers: one holds the
exit's logits and forwards them only for samples that exit, the other holds the
backbone feature map and forwards it only for samples that continue. One exit
merge collects every sample's result from whichever exit produced it.

```mlir
%fm, %z0b, %d0 = ee.stage 0 reach 1.0 -> (tensor<1x5x16x16xf32>, tensor<1x10xf32>, i1) {
  ...
  %s0, %s1 = ee.split %f into 2 : tensor<1x5x16x16xf32>
  ...
  %d = ee.exit_decision top1(%z0) > 0.996 : tensor<1x10xf32>
  %keep = ee.cond_buffer %z0, %d forward exit : tensor<1x10xf32>
  %cont = ee.cond_buffer %s1, %d forward continue : tensor<1x5x16x16xf32>
  ee.yield %cont, %keep, %d : tensor<1x5x16x16xf32>, tensor<1x10xf32>, i1
}
%z1 = ee.stage 1 reach 0.25 -> (tensor<1x10xf32>) { ... }
%out, %exit = ee.exit_merge %z0b, %z1 : tensor<1x10xf32>
```
"""

from __future__ import annotations

from typing import ClassVar

from xdsl.dialects.builtin import (
    I64,
    AnyFloat,
    AnyTensorTypeConstr,
    FloatAttr,
    IntegerAttr,
    StringAttr,
    TensorType,
    i1,
    i32,
)
from xdsl.ir import Attribute, Block, Region, SSAValue
from xdsl.irdl import (
    AnyAttr,
    AnyOf,
    EqAttrConstraint,
    VarConstraint,
    irdl_op_definition,
    operand_def,
    prop_def,
    region_def,
    result_def,
    var_operand_def,
    var_result_def,
)
from xdsl.parser import Parser
from xdsl.printer import Printer
from xdsl.utils.exceptions import VerifyException

from atheena_ir.dialects.ee.base import EEOp, FoldableOp
from atheena_ir.dialects.ee.elementwise import channel_folding
from atheena_ir.dialects.ee.exits import YieldOp, check_logits
from atheena_ir.dialects.ee.folding import LegalFolding
from atheena_ir.dialects.ee.shapes import tensor_shape

BUFFER_MODES: dict[str, str] = {
    "exit": "forward the samples whose decision is true (they leave here)",
    "continue": "forward the samples whose decision is false (they go on to the next stage)",
}


@irdl_op_definition
class StageOp(EEOp):
    """
    A pipeline stage: the part of the network between two exits. `reach` is the
    probability that a sample reaches the stage (1 for the first). The region
    reads outer values and yields the stage's results.

    ```mlir
    %z1 = ee.stage 1 reach 0.25 -> (tensor<1x10xf32>) {
      %r = ee.relu %x : tensor<1x10xf32>
      ee.yield %r : tensor<1x10xf32>
    }
    ```
    """

    name = "ee.stage"

    index = prop_def(IntegerAttr[I64])
    reach = prop_def(FloatAttr[AnyFloat])

    outputs = var_result_def(AnyAttr())

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

    def verify_shapes(self) -> None:
        reach = self.reach.value.data
        if not 0.0 < reach <= 1.0:
            raise VerifyException(f"reach probability must lie in (0, 1], got {reach}")
        if self.index.value.data < 0:
            raise VerifyException(f"stage index must be >= 0, got {self.index.value.data}")
        term = self.body.block.last_op
        if not isinstance(term, YieldOp):
            raise VerifyException("the stage's region must end with 'ee.yield'")
        yielded = [v.type for v in term.values]
        if yielded != [r.type for r in self.outputs]:
            raise VerifyException(
                f"the region yields ({', '.join(map(str, yielded))}) but the stage returns "
                f"({', '.join(str(r.type) for r in self.outputs)})"
            )


@irdl_op_definition
class SplitOp(FoldableOp):
    """
    One stream to several consumers (a hardware fork): every result equals the input.
    Splits data streams (tensors) and decision streams (`i1`) alike. A tensor split
    may carry a folding with one `coarse` (lanes over the channels).

    ```mlir
    %a, %b = ee.split %x into 2 : tensor<1x5x16x16xf32>
    %c, %e = ee.split %y into 2 {folding = #ee.fold<coarse_in = 5, coarse_out = 5>}
        : tensor<1x5x8x8xf32>
    %d0, %d1 = ee.split %d into 2 : i1
    ```
    """

    name = "ee.split"

    input = operand_def(AnyOf([AnyTensorTypeConstr, EqAttrConstraint(i1)]))
    outputs = var_result_def(AnyOf([AnyTensorTypeConstr, EqAttrConstraint(i1)]))

    def __init__(self, input: SSAValue, count: int = 2):
        super().__init__(operands=[input], result_types=[[input.type] * count])

    def verify_shapes(self) -> None:
        if len(self.outputs) < 2:
            raise VerifyException(f"a split needs at least 2 results, got {len(self.outputs)}")
        for i, r in enumerate(self.outputs):
            if r.type != self.input.type:
                raise VerifyException(f"result {i} has type {r.type}, expected {self.input.type}")

    def legal_folding(self) -> LegalFolding:
        if not isinstance(self.input.type, TensorType):
            return LegalFolding((1,), (1,), tied=True)
        return channel_folding(self.input)

    def print(self, printer: Printer) -> None:
        printer.print_string(" ")
        printer.print_operand(self.input)
        printer.print_string(f" into {len(self.outputs)}")
        printer.print_op_attributes({**self.attributes, **self.properties})
        printer.print_string(" : ")
        printer.print_attribute(self.input.type)

    @classmethod
    def parse(cls, parser: Parser) -> SplitOp:
        unresolved = parser.parse_unresolved_operand()
        parser.parse_keyword("into")
        pos = parser.pos
        count = parser.parse_integer(allow_boolean=False, allow_negative=False)
        if count < 2:
            parser.raise_error(f"a split needs at least 2 results, got {count}", pos, parser.pos)
        extra = parser.parse_optional_attr_dict()
        parser.parse_punctuation(":")
        typ = parser.parse_type()
        op = cls(parser.resolve_operand(unresolved, typ), count)
        for key, value in extra.items():
            (op.properties if key == "folding" else op.attributes)[key] = value
        return op


@irdl_op_definition
class CondBufferOp(FoldableOp):
    """
    A conditional buffer: holds each sample's value until its exit decision arrives,
    then forwards it (`forward exit`: only samples that exit; `forward continue`: only
    samples that go on) or drops it. It may carry a folding with one `coarse`.

    ```mlir
    %cont = ee.cond_buffer %fm, %d forward continue : tensor<1x5x16x16xf32>
    ```
    """

    name = "ee.cond_buffer"

    T: ClassVar = VarConstraint("T", AnyTensorTypeConstr)
    input = operand_def(T)
    decision = operand_def(i1)
    output = result_def(T)

    mode = prop_def(StringAttr)

    assembly_format = (
        "$input `,` $decision `forward` custom<Ident>($mode) attr-dict `:` type($output)"
    )

    def __init__(self, input: SSAValue, decision: SSAValue, mode: str):
        super().__init__(
            operands=[input, decision],
            result_types=[input.type],
            properties={"mode": StringAttr(mode)},
        )

    def verify_shapes(self) -> None:
        if self.mode.data not in BUFFER_MODES:
            raise VerifyException(
                f"unknown buffer mode '{self.mode.data}', "
                f"expected one of: {', '.join(BUFFER_MODES)}"
            )
        tensor_shape(self.input, "input")

    def legal_folding(self) -> LegalFolding:
        return channel_folding(self.input)


@irdl_op_definition
class ExitMergeOp(EEOp):
    """
    Collects each sample's result from whichever exit produced it (results leave out
    of order in hardware; the sample id travels with them). The second result is the
    index of the exit the sample took (0 for the earliest).

    ```mlir
    %out, %exit = ee.exit_merge %z0, %z1 : tensor<1x10xf32>
    ```
    """

    name = "ee.exit_merge"

    T: ClassVar = VarConstraint("T", AnyTensorTypeConstr)
    inputs = var_operand_def(T)
    output = result_def(T)
    exit_index = result_def(i32)

    assembly_format = "$inputs attr-dict `:` type($output)"

    def __init__(self, inputs: list[SSAValue]):
        super().__init__(operands=[inputs], result_types=[inputs[0].type, i32])

    def verify_shapes(self) -> None:
        if len(self.inputs) < 2:
            raise VerifyException(f"an exit merge needs at least 2 inputs, got {len(self.inputs)}")
        check_logits(self.output, "result")
