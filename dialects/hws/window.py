"""
Window units: `hws.sliding_window` (a map to the windows of a convolution or pooling)
and `hws.pool` (max or average per window).

```mlir
%w = hws.sliding_window %x map [32, 32, 5] strides [2, 2] pads [0, 0, 0, 0] depth 2
    : !hws.stream<fixed<16, 8>, 5> -> !hws.window<fixed<16, 8>, 5, 2, 2>
%p = hws.pool %w max depth 2
    : !hws.window<fixed<16, 8>, 5, 2, 2> -> !hws.stream<fixed<16, 8>, 5>
```
"""

from __future__ import annotations

from typing import ClassVar

from xdsl.dialects.builtin import I64, DenseArrayBase, StringAttr
from xdsl.irdl import irdl_op_definition, operand_def, prop_def, result_def
from xdsl.utils.exceptions import VerifyException

from atheena_ir.dialects.ee.syntax import int_list
from atheena_ir.dialects.hws.base import (
    TemplateArg,
    UnitOp,
    check_divides,
    check_positive,
    check_same_element,
    element,
    lanes,
)
from atheena_ir.dialects.hws.types import StreamType, WindowType

POOL_MODES: dict[str, str] = {"max": "POOL_MAX", "avg": "POOL_AVG"}
"""Pooling modes and their unit-library constants."""
POOL_MAX_WINDOW = 256
"""The pool unit's largest window (KH*KW)."""


@irdl_op_definition
class SlidingWindowOp(UnitOp):
    """
    The `KH x KW` windows of a `rows x cols x channels` map (`map`), for every output
    pixel in row-major order and every group of `L` channels, zero outside the map.
    Kernel and lanes come from the result type; pads are `[top, left, bottom, right]`.
    Unit: `sliding_window<T, L, ROWS, COLS, CH, KH, KW, SH, SW, PT, PL, PB, PR>`.

    ```mlir
    %w = hws.sliding_window %x map [28, 28, 1] strides [1, 1] pads [4, 4, 4, 4] depth 2
        : !hws.stream<fixed<16, 8>, 1> -> !hws.window<fixed<16, 8>, 1, 5, 5>
    ```
    """

    name = "hws.sliding_window"
    UNIT: ClassVar[str] = "sliding_window"

    input = operand_def(StreamType)
    output = result_def(WindowType)

    map = prop_def(DenseArrayBase[I64])
    strides = prop_def(DenseArrayBase[I64])
    pads = prop_def(DenseArrayBase[I64])

    assembly_format = (
        "$input `map` custom<IntList>($map) `strides` custom<IntList>($strides) "
        "`pads` custom<IntList>($pads) `depth` custom<Depths>($depth) attr-dict "
        "`:` type($input) `->` type($output)"
    )

    @property
    def kernel(self) -> tuple[int, int]:
        t = self.output.type
        assert isinstance(t, WindowType)
        return t.kernel

    def out_size(self) -> tuple[int, int]:
        """Output rows and columns."""
        rows, cols, _ = int_list(self.map)
        kh, kw = self.kernel
        sh, sw = int_list(self.strides)
        pt, pl, pb, pr = int_list(self.pads)
        return ((rows + pt + pb - kh) // sh + 1, (cols + pl + pr - kw) // sw + 1)

    def template_args(self) -> list[tuple[str, TemplateArg]]:
        rows, cols, ch = int_list(self.map)
        kh, kw = self.kernel
        sh, sw = int_list(self.strides)
        pt, pl, pb, pr = int_list(self.pads)
        return [
            ("T", element(self.input)), ("L", lanes(self.input)), ("ROWS", rows),
            ("COLS", cols), ("CH", ch), ("KH", kh), ("KW", kw), ("SH", sh), ("SW", sw),
            ("PT", pt), ("PL", pl), ("PB", pb), ("PR", pr),
        ]  # fmt: skip

    def verify_unit(self) -> None:
        check_positive("map (rows, cols, channels)", int_list(self.map), 3)
        check_positive("strides", int_list(self.strides), 2)
        check_positive("pads", int_list(self.pads), 4, minimum=0)
        check_same_element(self.input, self.output, "input and windows")
        if lanes(self.input) != lanes(self.output):
            raise VerifyException(
                f"input has {lanes(self.input)} lanes but the windows have {lanes(self.output)}"
            )
        rows, cols, ch = int_list(self.map)
        check_divides(lanes(self.input), ch, "channels")
        pt, pl, pb, pr = int_list(self.pads)
        kh, kw = self.kernel
        if rows + pt + pb < kh or cols + pl + pr < kw:
            raise VerifyException(
                f"the {kh}x{kw} kernel is larger than the padded "
                f"{rows + pt + pb}x{cols + pl + pr} map"
            )


@irdl_op_definition
class PoolOp(UnitOp):
    """
    Max or average (`max`, `avg`) over each window; the average counts padded
    positions as zeros. Unit: `pool<T, L, KH, KW, MODE>`.

    ```mlir
    %p = hws.pool %w avg depth 2
        : !hws.window<fixed<16, 8>, 2, 2, 2> -> !hws.stream<fixed<16, 8>, 2>
    ```
    """

    name = "hws.pool"
    UNIT: ClassVar[str] = "pool"

    input = operand_def(WindowType)
    output = result_def(StreamType)

    mode = prop_def(StringAttr)

    assembly_format = (
        "$input custom<Ident>($mode) `depth` custom<Depths>($depth) attr-dict "
        "`:` type($input) `->` type($output)"
    )

    def template_args(self) -> list[tuple[str, TemplateArg]]:
        t = self.input.type
        assert isinstance(t, WindowType)
        kh, kw = t.kernel
        return [
            ("T", element(self.input)), ("L", lanes(self.input)), ("KH", kh), ("KW", kw),
            ("MODE", POOL_MODES[self.mode.data]),
        ]  # fmt: skip

    def verify_unit(self) -> None:
        if self.mode.data not in POOL_MODES:
            raise VerifyException(
                f"unknown pool mode '{self.mode.data}', expected one of: {', '.join(POOL_MODES)}"
            )
        check_same_element(self.input, self.output, "windows and output")
        if lanes(self.input) != lanes(self.output):
            raise VerifyException(
                f"windows have {lanes(self.input)} lanes but the output has {lanes(self.output)}"
            )
        t = self.input.type
        assert isinstance(t, WindowType)
        kh, kw = t.kernel
        if kh * kw > POOL_MAX_WINDOW:
            raise VerifyException(
                f"a {kh}x{kw} window has {kh * kw} values; "
                f"the pool unit takes at most {POOL_MAX_WINDOW}"
            )
