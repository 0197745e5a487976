"""
The `hws` types: fixed-point element types and the four kinds of stream.

Every stream is one FIFO edge of the design and carries one word type of the unit
library (`backends/hls/include/atheena/types.h`, docs/hls_units.md):

| type | C++ word | used for |
|---|---|---|
| `!hws.stream<fixed<16, 8>, 4>` | `word<T, 4>` | feature maps, vectors, partial sums |
| `!hws.window<fixed<16, 8>, 4, 3, 3>` | `window<T, 4, 3, 3>` | windows (lanes, KH, KW) |
| `!hws.ctrl` | `ctrl_word` | one exit decision per sample |
| `!hws.result<fixed<16, 8>, 1>` | `result_word<T, 1>` | exit-merge output (sample id, exit, data) |

Inside a stream type the element is written without its dialect prefix
(`fixed<16, 8, rnd_conv, sat>`); on its own it is `!hws.fixed<16, 8, rnd_conv, sat>`.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from xdsl.dialects.builtin import IntAttr, StringAttr
from xdsl.ir import Attribute, ParametrizedAttribute, TypeAttribute
from xdsl.irdl import irdl_attr_definition
from xdsl.parser import AttrParser
from xdsl.printer import Printer
from xdsl.utils.exceptions import VerifyException

from atheena_ir.numerics.fixed_point import FixedType as NumpyFixedType

ROUNDINGS = ("trn", "rnd", "rnd_conv")
"""ap_fixed quantisation modes: truncate (floor), round half up, round half to even."""
OVERFLOWS = ("wrap", "sat")
"""ap_fixed overflow modes: modulo 2^W, or clamp."""
MAX_WIDTH = 1024
"""ap_fixed's widest type."""


def _parse_fixed_body(parser: AttrParser) -> tuple[int, int, str, str]:
    """`<W, I>` or `<W, I, rounding, overflow>`."""
    with parser.in_angle_brackets():
        width = parser.parse_integer(allow_boolean=False, allow_negative=False)
        parser.parse_punctuation(",")
        int_bits = parser.parse_integer(allow_boolean=False)
        rounding, overflow = "trn", "wrap"
        if parser.parse_optional_punctuation(",") is not None:
            rounding = parser.parse_identifier("expected a rounding mode (trn, rnd, rnd_conv)")
            parser.parse_punctuation(",")
            overflow = parser.parse_identifier("expected an overflow mode (wrap, sat)")
    return width, int_bits, rounding, overflow


def _parse_element(parser: AttrParser) -> FixedType:
    """`fixed<...>` inside a stream type."""
    pos = parser.pos
    if parser.parse_optional_keyword("fixed") is None:
        parser.raise_error(
            "expected a fixed-point element type 'fixed<W, I, ...>'", pos, parser.pos
        )
    return FixedType.get(*_parse_fixed_body(parser))


@irdl_attr_definition
class FixedType(ParametrizedAttribute, TypeAttribute):
    """
    A signed fixed-point type, `ap_fixed<W, I, Q, O>`: `width` bits of which
    `int_bits` are integer bits, quantisation `rounding` (`trn`, `rnd`, `rnd_conv`)
    and `overflow` (`wrap`, `sat`). The modes are printed only when not `trn, wrap`.

    ```mlir
    !hws.fixed<16, 8, rnd_conv, sat>     // data and weights: ap_fixed<16, 8, AP_RND_CONV, AP_SAT>
    !hws.fixed<32, 16>                   // accumulator: ap_fixed<32, 16>
    ```
    """

    name = "hws.fixed"

    width: IntAttr
    int_bits: IntAttr
    rounding: StringAttr
    overflow: StringAttr

    @staticmethod
    def get(width: int, int_bits: int, rounding: str = "trn", overflow: str = "wrap") -> FixedType:
        return FixedType(
            IntAttr(width), IntAttr(int_bits), StringAttr(rounding), StringAttr(overflow)
        )

    @staticmethod
    def from_numpy(t: NumpyFixedType) -> FixedType:
        """The `hws` spelling of an `atheena_ir.numerics.fixed_point.FixedType`."""
        return FixedType.get(t.width, t.int_bits, t.rounding.lower(), t.overflow.lower())

    def to_numpy(self) -> NumpyFixedType:
        """The numpy reference's description (`fixed_point.FixedType`) of this type."""
        return NumpyFixedType(
            self.width.data,
            self.int_bits.data,
            rounding=self.rounding.data.upper(),
            overflow=self.overflow.data.upper(),
        )

    @property
    def frac(self) -> int:
        """Fractional bits."""
        return self.width.data - self.int_bits.data

    def cpp(self) -> str:
        """The C++ spelling: `ap_fixed<16, 8, AP_RND_CONV, AP_SAT>`."""
        w, i = self.width.data, self.int_bits.data
        if (self.rounding.data, self.overflow.data) == ("trn", "wrap"):
            return f"ap_fixed<{w}, {i}>"
        return (
            f"ap_fixed<{w}, {i}, AP_{self.rounding.data.upper()}, AP_{self.overflow.data.upper()}>"
        )

    def body(self) -> str:
        """`<16, 8, rnd_conv, sat>`."""
        modes = (self.rounding.data, self.overflow.data)
        tail = "" if modes == ("trn", "wrap") else f", {modes[0]}, {modes[1]}"
        return f"<{self.width.data}, {self.int_bits.data}{tail}>"

    @classmethod
    def parse_parameters(cls, parser: AttrParser) -> Sequence[Attribute]:
        w, i, q, o = _parse_fixed_body(parser)
        return (IntAttr(w), IntAttr(i), StringAttr(q), StringAttr(o))

    def print_parameters(self, printer: Printer) -> None:
        printer.print_string(self.body())

    def verify(self) -> None:
        if not 1 <= self.width.data <= MAX_WIDTH:
            raise VerifyException(
                f"fixed-point width must lie in 1..{MAX_WIDTH}, got {self.width.data}"
            )
        if self.rounding.data not in ROUNDINGS:
            raise VerifyException(
                f"unknown rounding mode '{self.rounding.data}', "
                f"expected one of: {', '.join(ROUNDINGS)}"
            )
        if self.overflow.data not in OVERFLOWS:
            raise VerifyException(
                f"unknown overflow mode '{self.overflow.data}', "
                f"expected one of: {', '.join(OVERFLOWS)}"
            )


class StreamTypeBase(ParametrizedAttribute, TypeAttribute):
    """Shared by the stream types: a FIFO of one word type of the unit library."""

    def lanes_or_none(self) -> int | None:
        """Lanes of the words, or None for control streams."""
        return None

    def element_or_none(self) -> FixedType | None:
        """The element type of the words, or None for control streams."""
        return None

    def cpp(self) -> str:
        """The C++ word type (in namespace `atheena`)."""
        raise NotImplementedError


def _check_lanes(lanes: int) -> None:
    if lanes < 1:
        raise VerifyException(f"a stream needs at least 1 lane, got {lanes}")


class LanedStreamBase(StreamTypeBase):
    """Shared by the stream types of `lanes` values of `element` per word (`<fixed..., L>`)."""

    WORD: ClassVar[str]
    """The C++ word template of the unit library."""

    element: FixedType
    lanes: IntAttr

    def lanes_or_none(self) -> int | None:
        return self.lanes.data

    def element_or_none(self) -> FixedType | None:
        return self.element

    def cpp(self) -> str:
        return f"{self.WORD}<{self.element.cpp()}, {self.lanes.data}>"

    @classmethod
    def parse_parameters(cls, parser: AttrParser) -> Sequence[Attribute]:
        with parser.in_angle_brackets():
            element = _parse_element(parser)
            parser.parse_punctuation(",")
            lanes = parser.parse_integer(allow_boolean=False)
        return (element, IntAttr(lanes))

    def print_parameters(self, printer: Printer) -> None:
        printer.print_string(f"<fixed{self.element.body()}, {self.lanes.data}>")

    def verify(self) -> None:
        _check_lanes(self.lanes.data)


@irdl_attr_definition
class StreamType(LanedStreamBase):
    """
    A stream of `word<T, L>`: `lanes` values of `element` plus the sample id per word.
    A sample's map streams channel-fastest, `rows*cols*channels/lanes` words.

    ```mlir
    !hws.stream<fixed<16, 8, rnd_conv, sat>, 4>
    ```
    """

    name = "hws.stream"

    element: FixedType
    lanes: IntAttr

    @staticmethod
    def get(element: FixedType, lanes: int) -> StreamType:
        return StreamType(element, IntAttr(lanes))

    WORD = "word"


@irdl_attr_definition
class WindowType(StreamTypeBase):
    """
    A stream of `window<T, L, KH, KW>`: the `kernel_h x kernel_w` window around one
    output pixel for `lanes` channels (sliding window to conv or pool).

    ```mlir
    !hws.window<fixed<16, 8, rnd_conv, sat>, 1, 5, 5>
    ```
    """

    name = "hws.window"

    element: FixedType
    lanes: IntAttr
    kernel_h: IntAttr
    kernel_w: IntAttr

    @staticmethod
    def get(element: FixedType, lanes: int, kernel: tuple[int, int]) -> WindowType:
        return WindowType(element, IntAttr(lanes), IntAttr(kernel[0]), IntAttr(kernel[1]))

    @property
    def kernel(self) -> tuple[int, int]:
        return (self.kernel_h.data, self.kernel_w.data)

    def lanes_or_none(self) -> int | None:
        return self.lanes.data

    def element_or_none(self) -> FixedType | None:
        return self.element

    def cpp(self) -> str:
        kh, kw = self.kernel
        return f"window<{self.element.cpp()}, {self.lanes.data}, {kh}, {kw}>"

    @classmethod
    def parse_parameters(cls, parser: AttrParser) -> Sequence[Attribute]:
        with parser.in_angle_brackets():
            element = _parse_element(parser)
            ints = []
            for _ in range(3):
                parser.parse_punctuation(",")
                ints.append(parser.parse_integer(allow_boolean=False))
        return (element, *(IntAttr(v) for v in ints))

    def print_parameters(self, printer: Printer) -> None:
        kh, kw = self.kernel
        printer.print_string(f"<fixed{self.element.body()}, {self.lanes.data}, {kh}, {kw}>")

    def verify(self) -> None:
        _check_lanes(self.lanes.data)
        if min(self.kernel) < 1:
            raise VerifyException(
                f"window kernel must be >= 1, got {self.kernel[0]}x{self.kernel[1]}"
            )


@irdl_attr_definition
class CtrlType(StreamTypeBase):
    """
    A stream of `ctrl_word`: one exit decision (sample id, exit bit) per sample.

    ```mlir
    !hws.ctrl
    ```
    """

    name = "hws.ctrl"

    def cpp(self) -> str:
        return "ctrl_word"


@irdl_attr_definition
class ResultType(LanedStreamBase):
    """
    A stream of `result_word<T, L>`: the exit merge's output, each word with the
    sample id, the index of the exit it took and `lanes` values.

    ```mlir
    !hws.result<fixed<16, 8, rnd_conv, sat>, 1>
    ```
    """

    name = "hws.result"

    element: FixedType
    lanes: IntAttr

    @staticmethod
    def get(element: FixedType, lanes: int) -> ResultType:
        return ResultType(element, IntAttr(lanes))

    WORD = "result_word"


DATA = FixedType.get(16, 8, "rnd_conv", "sat")
"""Default data type (`atheena::data_t`)."""
WEIGHT = FixedType.get(16, 8, "rnd_conv", "sat")
"""Default weight and bias type (`atheena::weight_t`)."""
ACC = FixedType.get(32, 16)
"""Default accumulator (`atheena::acc_t`)."""
