"""
The early-exit units: `hws.split`, `hws.exit_decision`, `hws.cond_buffer`, `hws.exit_merge`.

```mlir
%b, %e = hws.split %f depth [2, 2] : !hws.stream<fixed<16, 8>, 1>
...
%c0, %c1 = hws.exit_decision %zd classes 10 threshold 0.996 limit 65800 depth [4, 4]
    : !hws.stream<fixed<16, 8>, 1> -> !hws.ctrl, !hws.ctrl
%keep = hws.cond_buffer %z, %c0 forward exit map_words 10 maps 4 depth 2
    : !hws.stream<fixed<16, 8>, 1>
%cont = hws.cond_buffer %b, %c1 forward continue map_words 1280 maps 4 depth 2
    : !hws.stream<fixed<16, 8>, 1>
...
%out = hws.exit_merge %keep, %z1 map_words 10 depth 2
    : !hws.stream<fixed<16, 8>, 1>, !hws.stream<fixed<16, 8>, 1>
    -> !hws.result<fixed<16, 8>, 1>
```
"""

from __future__ import annotations

from typing import ClassVar

from xdsl.dialects.builtin import I64, AnyFloat, FloatAttr, IntegerAttr, StringAttr
from xdsl.irdl import (
    BaseAttr,
    VarConstraint,
    irdl_op_definition,
    operand_def,
    prop_def,
    result_def,
    var_operand_def,
    var_result_def,
)
from xdsl.parser import Parser
from xdsl.printer import Printer
from xdsl.utils.exceptions import VerifyException

from atheena_ir.dialects.hws.base import (
    TemplateArg,
    UnitOp,
    check_divides,
    check_same_element,
    element,
    lanes,
)
from atheena_ir.dialects.hws.fanout import parse_fanout, print_fanout
from atheena_ir.dialects.hws.types import CtrlType, ResultType, StreamType
from atheena_ir.numerics.exp_table import threshold_limit

BUFFER_MODES: dict[str, bool] = {"exit": True, "continue": False}
"""Conditional-buffer modes and the unit's FORWARD_IF_EXIT flag."""


@irdl_op_definition
class SplitOp(UnitOp):
    """
    One feature-map stream to every port (backbone and exit branches); every port
    gets every word, the sample ids and the end marker. Unit: `split<T, L, PORTS>`.

    ```mlir
    %a, %b = hws.split %x depth [2, 2] : !hws.stream<fixed<16, 8>, 5>
    ```
    """

    name = "hws.split"
    UNIT: ClassVar[str] = "split"

    T: ClassVar = VarConstraint("T", BaseAttr(StreamType))
    input = operand_def(T)
    outputs = var_result_def(T)

    def template_args(self) -> list[tuple[str, TemplateArg]]:
        return [("T", element(self.input)), ("L", lanes(self.input)), ("PORTS", len(self.outputs))]

    def verify_unit(self) -> None:
        if len(self.outputs) < 2:
            raise VerifyException(f"a split needs at least 2 results, got {len(self.outputs)}")

    def print(self, printer: Printer) -> None:
        print_fanout(self, printer)

    @classmethod
    def parse(cls, parser: Parser) -> SplitOp:
        op = parse_fanout(cls, parser)
        assert isinstance(op, SplitOp)
        return op


@irdl_op_definition
class ExitDecisionOp(UnitOp):
    """
    `max softmax(z) > threshold` for each sample's `classes` logits, without division:
    exit when the exp-table sum `S < limit`, `limit = threshold_limit(threshold)`
    (`atheena_ir.numerics.exp_table`; the unit's run-time argument). One control stream
    per conditional buffer waiting for the decision.
    Unit: `exit_decision<T, L, CLASSES, PORTS>(in, out, limit)`.

    ```mlir
    %c0, %c1 = hws.exit_decision %z classes 10 threshold 0.75 limit 87382 depth [4, 4]
        : !hws.stream<fixed<16, 8>, 2> -> !hws.ctrl, !hws.ctrl
    ```
    """

    name = "hws.exit_decision"
    UNIT: ClassVar[str] = "exit_decision"

    logits = operand_def(StreamType)
    outputs = var_result_def(CtrlType)

    classes = prop_def(IntegerAttr[I64])
    threshold = prop_def(FloatAttr[AnyFloat])
    limit = prop_def(IntegerAttr[I64])

    assembly_format = (
        "$logits `classes` $classes `threshold` custom<Float>($threshold) `limit` $limit "
        "`depth` custom<Depths>($depth) attr-dict `:` type($logits) `->` type($outputs)"
    )

    def template_args(self) -> list[tuple[str, TemplateArg]]:
        return [
            ("T", element(self.logits)), ("L", lanes(self.logits)),
            ("CLASSES", self.classes.value.data), ("PORTS", len(self.outputs)),
        ]  # fmt: skip

    def verify_unit(self) -> None:
        classes = self.classes.value.data
        if classes < 2:
            raise VerifyException(f"an exit decision needs at least 2 classes, got {classes}")
        check_divides(lanes(self.logits), classes, "classes")
        if not self.outputs:
            raise VerifyException("an exit decision needs at least one control output")
        thr = float(self.threshold.value.data)
        if not 0.0 < thr < 1.0:
            raise VerifyException(f"threshold must lie in (0, 1), got {thr}")
        expected = threshold_limit(thr)
        if self.limit.value.data != expected:
            raise VerifyException(
                f"limit {self.limit.value.data} does not match threshold {thr} "
                f"(threshold_limit gives {expected})"
            )


@irdl_op_definition
class CondBufferOp(UnitOp):
    """
    Holds each incoming map (`map_words` words) until its decision arrives on `ctrl`,
    then forwards or drops it whole: `forward exit` keeps samples that exit (the buffer
    on an exit's logits), `forward continue` those that go on. `maps` is the storage in
    whole maps (the unit's `DEPTH`): every map that can arrive while a decision is
    pending, or the design deadlocks (see docs/hws.md).
    Unit: `cond_buffer<T, L, MAP_WORDS, DEPTH, FORWARD_IF_EXIT>`.

    ```mlir
    %cont = hws.cond_buffer %x, %c forward continue map_words 256 maps 4 depth 2
        : !hws.stream<fixed<16, 8>, 5>
    ```
    """

    name = "hws.cond_buffer"
    UNIT: ClassVar[str] = "cond_buffer"

    T: ClassVar = VarConstraint("T", BaseAttr(StreamType))
    input = operand_def(T)
    ctrl = operand_def(CtrlType)
    output = result_def(T)

    mode = prop_def(StringAttr)
    map_words = prop_def(IntegerAttr[I64])
    maps = prop_def(IntegerAttr[I64])

    assembly_format = (
        "$input `,` $ctrl `forward` custom<Ident>($mode) `map_words` $map_words `maps` $maps "
        "`depth` custom<Depths>($depth) attr-dict `:` type($output)"
    )

    def template_args(self) -> list[tuple[str, TemplateArg]]:
        return [
            ("T", element(self.input)), ("L", lanes(self.input)),
            ("MAP_WORDS", self.map_words.value.data), ("DEPTH", self.maps.value.data),
            ("FORWARD_IF_EXIT", BUFFER_MODES[self.mode.data]),
        ]  # fmt: skip

    def verify_unit(self) -> None:
        if self.mode.data not in BUFFER_MODES:
            raise VerifyException(
                f"unknown buffer mode '{self.mode.data}', "
                f"expected one of: {', '.join(BUFFER_MODES)}"
            )
        if self.map_words.value.data < 1:
            raise VerifyException(f"map_words must be >= 1, got {self.map_words.value.data}")
        if self.maps.value.data < 1:
            raise VerifyException(
                f"a conditional buffer must hold at least 1 map, got {self.maps.value.data}"
            )


@irdl_op_definition
class ExitMergeOp(UnitOp):
    """
    Collects each sample's result (`map_words` words) from whichever exit has one and
    forwards it whole, tagged with the sample id and the exit index (the input's
    position). Unit: `exit_merge<T, L, MAP_WORDS, EXITS>`.

    ```mlir
    %out = hws.exit_merge %e0, %e1 map_words 5 depth 2
        : !hws.stream<fixed<16, 8>, 2>, !hws.stream<fixed<16, 8>, 2>
        -> !hws.result<fixed<16, 8>, 2>
    ```
    """

    name = "hws.exit_merge"
    UNIT: ClassVar[str] = "exit_merge"

    inputs = var_operand_def(StreamType)
    output = result_def(ResultType)

    map_words = prop_def(IntegerAttr[I64])

    assembly_format = (
        "$inputs `map_words` $map_words `depth` custom<Depths>($depth) attr-dict "
        "`:` type($inputs) `->` type($output)"
    )

    def template_args(self) -> list[tuple[str, TemplateArg]]:
        return [
            ("T", element(self.inputs[0])), ("L", lanes(self.inputs[0])),
            ("MAP_WORDS", self.map_words.value.data), ("EXITS", len(self.inputs)),
        ]  # fmt: skip

    def verify_unit(self) -> None:
        if len(self.inputs) < 2:
            raise VerifyException(f"an exit merge needs at least 2 inputs, got {len(self.inputs)}")
        first = self.inputs[0].type
        for i, v in enumerate(self.inputs):
            if v.type != first:
                raise VerifyException(
                    f"exit {i} delivers {v.type} but exit 0 delivers {first}; every exit must "
                    "give the same element type and lanes"
                )
        check_same_element(self.inputs[0], self.output, "exits and result")
        if lanes(self.output) != lanes(self.inputs[0]):
            raise VerifyException(
                f"exits have {lanes(self.inputs[0])} lanes but the result has {lanes(self.output)}"
            )
        if self.map_words.value.data < 1:
            raise VerifyException(f"map_words must be >= 1, got {self.map_words.value.data}")
