"""
Early-exit ops: `ee.exit_decision`, `ee.exit` and the region terminator `ee.yield`.

An exit forwards its logits when its decision holds; otherwise the value that its
region computes from outer values (the rest of the network, run only for samples
that continue). Nesting gives N exits:

```mlir
%d0 = ee.exit_decision top1(%z0) > 0.9 : tensor<1x10xf32>
%out = ee.exit %z0 if %d0 : tensor<1x10xf32> else {
  ...
  %d1 = ee.exit_decision top1(%z1) > 0.8 : tensor<1x10xf32>
  %r = ee.exit %z1 if %d1 : tensor<1x10xf32> else {
    ...
    ee.yield %z2 : tensor<1x10xf32>
  }
  ee.yield %r : tensor<1x10xf32>
}
```
"""

from __future__ import annotations

import math
from typing import ClassVar

from xdsl.dialects.builtin import AnyFloat, AnyTensorTypeConstr, FloatAttr, StringAttr, i1
from xdsl.ir import Block, Region, SSAValue
from xdsl.irdl import (
    AnyAttr,
    VarConstraint,
    irdl_op_definition,
    operand_def,
    prop_def,
    region_def,
    result_def,
    traits_def,
    var_operand_def,
)
from xdsl.traits import IsTerminator, Pure
from xdsl.utils.exceptions import VerifyException

from atheena_ir.dialects.ee.base import EEOp
from atheena_ir.dialects.ee.shapes import format_shape, tensor_shape

EXIT_CRITERIA: dict[str, str] = {
    "top1": "the largest softmax probability of the exit's logits exceeds the threshold",
}
"""The exit criteria `ee.exit_decision` knows, with what each means."""


def check_logits(value: SSAValue, what: str) -> int:
    """Logits are one sample's class scores: shape `[1, ..., 1, classes]`. Returns classes."""
    shape = tensor_shape(value, what)
    if not shape or math.prod(shape[:-1]) != 1 or shape[-1] < 2:
        raise VerifyException(
            f"{what} must hold one sample's scores of at least 2 classes "
            f"(shape 1x...x1xC), got {format_shape(shape)}"
        )
    return shape[-1]


@irdl_op_definition
class ExitDecisionOp(EEOp):
    """
    Decide whether a sample leaves at an exit: with criterion `top1`, true when
    `max(softmax(logits)) > threshold`, threshold in (0, 1).

    ```mlir
    %d = ee.exit_decision top1(%z) > 0.996 : tensor<1x10xf32>
    ```
    """

    name = "ee.exit_decision"

    logits = operand_def(AnyTensorTypeConstr)
    decision = result_def(i1)

    criterion = prop_def(StringAttr)
    threshold = prop_def(FloatAttr[AnyFloat])

    traits = traits_def(Pure())

    assembly_format = (
        "custom<Ident>($criterion) `(` $logits `)` ` ` `>` custom<Float>($threshold) "
        "attr-dict `:` type($logits)"
    )

    def __init__(self, logits: SSAValue, threshold: float, criterion: str = "top1"):
        super().__init__(
            operands=[logits],
            result_types=[i1],
            properties={
                "criterion": StringAttr(criterion),
                "threshold": FloatAttr(threshold, 64),
            },
        )

    def verify_shapes(self) -> None:
        check_logits(self.logits, "logits")
        if self.criterion.data not in EXIT_CRITERIA:
            raise VerifyException(
                f"unknown exit criterion '{self.criterion.data}', "
                f"expected one of: {', '.join(EXIT_CRITERIA)}"
            )
        thr = self.threshold.value.data
        if not 0.0 < thr < 1.0:
            raise VerifyException(f"threshold must lie in (0, 1), got {thr}")


@irdl_op_definition
class ExitOp(EEOp):
    """
    The result is `logits` when `decision` holds; otherwise the value yielded by the
    region, which computes the rest of the network from outer values and runs only
    for samples that continue.

    ```mlir
    %out = ee.exit %z0 if %d0 : tensor<1x10xf32> else {
      %z1 = ee.linear %f, %w : (tensor<1x720xf32>, tensor<10x720xf32>) -> tensor<1x10xf32>
      ee.yield %z1 : tensor<1x10xf32>
    }
    ```
    """

    name = "ee.exit"

    T: ClassVar = VarConstraint("T", AnyTensorTypeConstr)
    logits = operand_def(T)
    decision = operand_def(i1)
    output = result_def(T)

    rest = region_def("single_block")

    assembly_format = "$logits `if` $decision `:` type($output) `else` $rest attr-dict-with-keyword"

    def __init__(self, logits: SSAValue, decision: SSAValue, rest: Region | Block):
        if isinstance(rest, Block):
            rest = Region(rest)
        super().__init__(operands=[logits, decision], result_types=[logits.type], regions=[rest])

    def verify_shapes(self) -> None:
        check_logits(self.logits, "logits")
        term = self.rest.block.last_op
        if not isinstance(term, YieldOp):
            raise VerifyException("the region must end with 'ee.yield'")
        if [v.type for v in term.values] != [self.output.type]:
            raise VerifyException(
                f"the region yields ({', '.join(str(v.type) for v in term.values)}) "
                f"but the exit's result is {self.output.type}: every exit must give the same type"
            )

    def yielded(self) -> SSAValue:
        """The value the region yields (the continuing samples' result)."""
        term = self.rest.block.last_op
        assert isinstance(term, YieldOp)
        return term.values[0]


@irdl_op_definition
class YieldOp(EEOp):
    """
    Ends the region of an `ee.exit` or `ee.stage`, giving its results.

    ```mlir
    ee.yield %z : tensor<1x10xf32>
    ```
    """

    name = "ee.yield"

    values = var_operand_def(AnyAttr())

    traits = traits_def(IsTerminator())

    assembly_format = "attr-dict ($values^ `:` type($values))?"

    def __init__(self, *values: SSAValue):
        super().__init__(operands=[values])

    def verify_shapes(self) -> None:
        parent = self.parent_op()
        if parent is not None and parent.name not in ("ee.exit", "ee.stage"):
            raise VerifyException(
                f"'ee.yield' expects parent op 'ee.exit' or 'ee.stage', got '{parent.name}'"
            )
