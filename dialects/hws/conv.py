"""
The units of a convolution layer (fpgaConvNet's module chain):
`sliding_window -> fork -> conv x CO -> accum x CO -> glue [-> bias]`.

```mlir
%w0, %w1 = hws.fork %w depth [2, 2] : !hws.window<fixed<16, 8>, 1, 3, 3>
%c0 = hws.conv %w0 weights(!hws.fixed<16, 8>) dense<...> : tensor<5x1x9x1xf32> fine 9 depth 2
    : !hws.window<fixed<16, 8>, 1, 3, 3> -> !hws.stream<fixed<32, 16>, 1>
%a0 = hws.accum %c0 groups 5 filters 5 depth 2 : !hws.stream<fixed<32, 16>, 1>
%g = hws.glue %a0, %a1 depth 2 : !hws.stream<fixed<32, 16>, 1>, !hws.stream<fixed<32, 16>, 1>
    -> !hws.stream<fixed<32, 16>, 2>
%y = hws.bias %g biases(!hws.fixed<16, 8>) dense<...> : tensor<5x2xf32> depth 2
    : !hws.stream<fixed<32, 16>, 2> -> !hws.stream<fixed<16, 8>, 2>
```

Weights and biases are dense `f32` properties already in the units' array layout
(`atheena_ir.numerics.layout`); the printer quantises them to `weight_type` / `bias_type`.
"""

from __future__ import annotations

from typing import ClassVar

from xdsl.dialects.builtin import I64, DenseIntOrFPElementsAttr, IntegerAttr
from xdsl.irdl import (
    AnyOf,
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
    element,
    lanes,
)
from atheena_ir.dialects.hws.fanout import parse_fanout, print_fanout
from atheena_ir.dialects.hws.types import FixedType, StreamType, StreamTypeBase, WindowType


def dense_shape(attr: DenseIntOrFPElementsAttr) -> tuple[int, ...]:
    """The shape of a dense property."""
    return tuple(attr.get_shape() or ())


def check_array(
    attr: DenseIntOrFPElementsAttr, expected: tuple[int | None, ...], what: str, layout: str
) -> None:
    """A dense array has the expected rank and the given (non-None) dimensions."""
    shape = dense_shape(attr)
    if len(shape) != len(expected) or any(
        e is not None and s != e for s, e in zip(shape, expected, strict=False)
    ):
        want = "x".join("?" if e is None else str(e) for e in expected)
        got = "x".join(map(str, shape))
        raise VerifyException(f"{what} have shape {got}, expected {want} ({layout})")


@irdl_op_definition
class ForkOp(UnitOp):
    """
    Copies every word of a stream (words or windows) to N streams, e.g. a
    convolution's windows to its `coarse_out` conv units. Unit: `fork<W, N>`.

    ```mlir
    %a, %b = hws.fork %w depth [2, 2] : !hws.window<fixed<16, 8>, 1, 5, 5>
    ```
    """

    name = "hws.fork"
    UNIT: ClassVar[str] = "fork"

    T: ClassVar = VarConstraint("T", AnyOf([BaseAttr(StreamType), BaseAttr(WindowType)]))
    input = operand_def(T)
    outputs = var_result_def(T)

    def template_args(self) -> list[tuple[str, TemplateArg]]:
        t = self.input.type
        assert isinstance(t, StreamTypeBase)
        return [("W", t.cpp()), ("N", len(self.outputs))]

    def verify_unit(self) -> None:
        if len(self.outputs) < 2:
            raise VerifyException(f"a fork needs at least 2 results, got {len(self.outputs)}")

    def print(self, printer: Printer) -> None:
        print_fanout(self, printer)

    @classmethod
    def parse(cls, parser: Parser) -> ForkOp:
        op = parse_fanout(cls, parser)
        assert isinstance(op, ForkOp)
        return op


@irdl_op_definition
class ConvOp(UnitOp):
    """
    One of a convolution's `coarse_out` multiply-accumulate units: for each window
    (pixel, channel group g) and each of its `FILT` filters j, lane l is the partial
    sum `sum_k win[k][l] * weights[j][g][k][l]`. `weights` has the layout
    `[FILT][G][KH*KW][L]` (unit o of `layout.conv_unit_weights(w, CI, CO)`), `fine`
    multipliers per lane (1, KW or KH*KW). The result element is the accumulator type.
    Unit: `conv<T, TW, TACC, L, KH, KW, G, FILT, FINE>`.

    ```mlir
    %c = hws.conv %w weights(!hws.fixed<16, 8>) dense<0.5> : tensor<2x1x4x1xf32> fine 4 depth 2
        : !hws.window<fixed<16, 8>, 1, 2, 2> -> !hws.stream<fixed<32, 16>, 1>
    ```
    """

    name = "hws.conv"
    UNIT: ClassVar[str] = "conv"

    input = operand_def(WindowType)
    output = result_def(StreamType)

    weight_type = prop_def(FixedType)
    weights = prop_def(DenseIntOrFPElementsAttr)
    fine = prop_def(IntegerAttr[I64])

    assembly_format = (
        "$input `weights` `(` qualified($weight_type) `)` $weights `fine` $fine "
        "`depth` custom<Depths>($depth) attr-dict `:` type($input) `->` type($output)"
    )

    def groups_filters(self) -> tuple[int, int]:
        """G (channel groups) and FILT (filters of this unit), from the weights' shape."""
        shape = dense_shape(self.weights)
        return shape[1], shape[0]

    def template_args(self) -> list[tuple[str, TemplateArg]]:
        t = self.input.type
        assert isinstance(t, WindowType)
        kh, kw = t.kernel
        g, filt = self.groups_filters()
        return [
            ("T", element(self.input)), ("TW", self.weight_type), ("TACC", element(self.output)),
            ("L", lanes(self.input)), ("KH", kh), ("KW", kw), ("G", g), ("FILT", filt),
            ("FINE", self.fine.value.data),
        ]  # fmt: skip

    def verify_unit(self) -> None:
        t = self.input.type
        assert isinstance(t, WindowType)
        kh, kw = t.kernel
        n = lanes(self.input)
        if lanes(self.output) != n:
            raise VerifyException(f"windows have {n} lanes but the output has {lanes(self.output)}")
        check_array(self.weights, (None, None, kh * kw, n), "weights", "[FILT][G][KH*KW][L]")
        fine = self.fine.value.data
        if fine not in (1, kw, kh * kw):
            raise VerifyException(
                f"fine = {fine} is not supported by the conv unit for a {kh}x{kw} kernel; "
                f"allowed: {', '.join(map(str, sorted({1, kw, kh * kw})))}"
            )


@irdl_op_definition
class AccumOp(UnitOp):
    """
    Sums a conv unit's partial sums over the `groups` channel groups of each output
    pixel, for each of its `filters` filters. Unit: `accum<TACC, L, G, FILT>`.

    ```mlir
    %a = hws.accum %c groups 5 filters 10 depth 2 : !hws.stream<fixed<32, 16>, 1>
    ```
    """

    name = "hws.accum"
    UNIT: ClassVar[str] = "accum"

    T: ClassVar = VarConstraint("T", BaseAttr(StreamType))
    input = operand_def(T)
    output = result_def(T)

    groups = prop_def(IntegerAttr[I64])
    filters = prop_def(IntegerAttr[I64])

    assembly_format = (
        "$input `groups` $groups `filters` $filters `depth` custom<Depths>($depth) attr-dict "
        "`:` type($output)"
    )

    def template_args(self) -> list[tuple[str, TemplateArg]]:
        return [
            ("TACC", element(self.input)), ("L", lanes(self.input)),
            ("G", self.groups.value.data), ("FILT", self.filters.value.data),
        ]  # fmt: skip

    def verify_unit(self) -> None:
        for what, v in (("groups", self.groups), ("filters", self.filters)):
            if v.value.data < 1:
                raise VerifyException(f"{what} must be >= 1, got {v.value.data}")


@irdl_op_definition
class GlueOp(UnitOp):
    """
    Joins a convolution's CO unit streams (CI lanes each) into one stream of CO
    lanes: lane o of output word j is `TOUT(sum_l in[o][l])`, filter `j*CO+o`.
    Unit: `glue<TACC, TOUT, CI, CO>` with `CO` = the number of inputs.

    ```mlir
    %g = hws.glue %a0, %a1 depth 2 : !hws.stream<fixed<32, 16>, 2>, !hws.stream<fixed<32, 16>, 2>
        -> !hws.stream<fixed<16, 8>, 2>
    ```
    """

    name = "hws.glue"
    UNIT: ClassVar[str] = "glue"

    inputs = var_operand_def(StreamType)
    output = result_def(StreamType)

    assembly_format = (
        "$inputs `depth` custom<Depths>($depth) attr-dict `:` type($inputs) `->` type($output)"
    )

    def template_args(self) -> list[tuple[str, TemplateArg]]:
        return [
            ("TACC", element(self.inputs[0])), ("TOUT", element(self.output)),
            ("CI", lanes(self.inputs[0])), ("CO", len(self.inputs)),
        ]  # fmt: skip

    def verify_unit(self) -> None:
        if not self.inputs:
            raise VerifyException("a glue needs at least one input")
        first = self.inputs[0].type
        for i, v in enumerate(self.inputs):
            if v.type != first:
                raise VerifyException(f"input {i} is {v.type}, expected {first} like input 0")
        if lanes(self.output) != len(self.inputs):
            raise VerifyException(
                f"{len(self.inputs)} input(s) give {len(self.inputs)} output lane(s), "
                f"but the output has {lanes(self.output)}"
            )


@irdl_op_definition
class BiasOp(UnitOp):
    """
    Adds a per-channel bias: `TOUT(x + b)`, word k of a pixel taking `biases[k]`
    (layout `[WORDS][L]`, `layout.lane_table(b, L)`); `bias_type` is the biases'
    fixed-point type. Unit: `bias<TIN, TB, TOUT, L, WORDS>`.

    ```mlir
    %y = hws.bias %g biases(!hws.fixed<16, 8>) dense<[[0.5, -0.5]]> : tensor<1x2xf32> depth 2
        : !hws.stream<fixed<32, 16>, 2> -> !hws.stream<fixed<16, 8>, 2>
    ```
    """

    name = "hws.bias"
    UNIT: ClassVar[str] = "bias"

    input = operand_def(StreamType)
    output = result_def(StreamType)

    bias_type = prop_def(FixedType)
    biases = prop_def(DenseIntOrFPElementsAttr)

    assembly_format = (
        "$input `biases` `(` qualified($bias_type) `)` $biases `depth` custom<Depths>($depth) "
        "attr-dict `:` type($input) `->` type($output)"
    )

    def template_args(self) -> list[tuple[str, TemplateArg]]:
        return [
            ("TIN", element(self.input)), ("TB", self.bias_type), ("TOUT", element(self.output)),
            ("L", lanes(self.input)), ("WORDS", dense_shape(self.biases)[0]),
        ]  # fmt: skip

    def verify_unit(self) -> None:
        n = lanes(self.input)
        if lanes(self.output) != n:
            raise VerifyException(f"input has {n} lanes but the output has {lanes(self.output)}")
        check_array(self.biases, (None, n), "biases", "[WORDS][L]")
