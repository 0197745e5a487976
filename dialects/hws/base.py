"""Base classes shared by the `hws` ops (undecorated, so subclasses merge their fields)."""

from __future__ import annotations

from abc import ABC, abstractmethod
from typing import ClassVar

from xdsl.dialects.builtin import I64, DenseArrayBase
from xdsl.ir import Attribute, SSAValue
from xdsl.irdl import IRDLOperation, ParsePropInAttrDict, prop_def
from xdsl.utils.exceptions import VerifyException

from atheena_ir.dialects.ee.syntax import Float, Ident, IntList, int_list
from atheena_ir.dialects.hws.syntax import Depths
from atheena_ir.dialects.hws.types import FixedType, StreamTypeBase

TemplateArg = int | bool | str | FixedType
"""One template argument of a unit: an integer, a flag, a C++ name, or a fixed-point type."""


class HWSOp(IRDLOperation, ABC):
    """An `hws` op: properties not named in the format go in the attribute dictionary."""

    irdl_options = (ParsePropInAttrDict(),)
    custom_directives = (IntList, Ident, Float, Depths)

    def verify_(self) -> None:
        self.verify_unit()

    def verify_unit(self) -> None:
        """Check parameters and port types; raise VerifyException on a problem."""


class UnitOp(HWSOp, ABC):
    """
    A hardware unit: one templated call of the unit library (`UNIT`), whose results
    are the streams it writes. `depth` holds each result stream's FIFO depth in words
    (the `#pragma HLS STREAM depth=` of that stream).
    """

    UNIT: ClassVar[str] = ""
    """The unit library function this op instantiates (`atheena::<UNIT>`)."""

    depth = prop_def(DenseArrayBase[I64])

    @abstractmethod
    def template_args(self) -> list[tuple[str, TemplateArg]]:
        """The unit's template arguments, named and in the unit library's order."""

    def depths(self) -> tuple[int, ...]:
        """The FIFO depth of each result stream, in result order."""
        return int_list(self.depth)

    def verify_(self) -> None:
        depths = self.depths()
        if len(depths) != len(self.results):
            raise VerifyException(
                f"'{self.name}' has {len(self.results)} result stream(s) but {len(depths)} "
                "depth(s); give one FIFO depth per result"
            )
        if any(d < 1 for d in depths):
            raise VerifyException(f"FIFO depths must be >= 1, got {list(depths)}")
        self.verify_unit()


def lanes(value: SSAValue | Attribute) -> int:
    """Lanes of a data or window stream."""
    t = value.type if isinstance(value, SSAValue) else value
    assert isinstance(t, StreamTypeBase)
    n = t.lanes_or_none()
    assert n is not None
    return n


def element(value: SSAValue | Attribute) -> FixedType:
    """Element type of a data or window stream."""
    t = value.type if isinstance(value, SSAValue) else value
    assert isinstance(t, StreamTypeBase)
    e = t.element_or_none()
    assert e is not None
    return e


def check_positive(
    what: str, values: tuple[int, ...] | list[int], count: int, minimum: int = 1
) -> None:
    """`values` has `count` entries, each >= `minimum`."""
    if len(values) != count or any(v < minimum for v in values):
        raise VerifyException(f"{what} must be {count} integer(s) >= {minimum}, got {list(values)}")


def check_divides(lanes_: int, total: int, what: str) -> None:
    """The lanes must divide a channel (or value) count."""
    if total % lanes_:
        raise VerifyException(f"{lanes_} lanes do not divide the {total} {what}")


def check_same_element(a: SSAValue | Attribute, b: SSAValue | Attribute, what: str) -> None:
    """Two streams carry the same element type."""
    ea, eb = element(a), element(b)
    if ea != eb:
        raise VerifyException(f"{what}: element types differ ({ea.cpp()} vs {eb.cpp()})")
