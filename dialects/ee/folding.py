"""
The folding attribute: how much parallelism a compute layer gets.

fpgaConvNet's names: `coarse_in` and `coarse_out` split the input channels and the
output filters over parallel lanes, `coarse_group` splits the groups, and `fine`
unrolls the kernel's multiply-accumulates (1, one kernel row `k`, or the whole
kernel `k*k`). Compute ops carry it as the optional `folding` property:

```mlir
%y = ee.conv2d %x, %w ...
    {folding = #ee.fold<coarse_in = 1, coarse_out = 2, coarse_group = 1, fine = 9>}
```

`legal_folding` lists, per op, the values the verifier accepts; the search
and the `fold` pass draw from the same sets.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from xdsl.dialects.builtin import IntAttr
from xdsl.ir import Attribute, ParametrizedAttribute
from xdsl.irdl import irdl_attr_definition
from xdsl.parser import AttrParser
from xdsl.printer import Printer
from xdsl.utils.exceptions import VerifyException

FOLD_FIELDS = ("coarse_in", "coarse_out", "coarse_group", "fine")


@irdl_attr_definition
class FoldAttr(ParametrizedAttribute):
    """
    Folding factors of one layer.

    `#ee.fold<coarse_in = 2, coarse_out = 4, coarse_group = 1, fine = 9>`; fields left
    out when parsing default to 1.
    """

    name = "ee.fold"

    coarse_in: IntAttr
    coarse_out: IntAttr
    coarse_group: IntAttr
    fine: IntAttr

    @staticmethod
    def get(
        coarse_in: int = 1, coarse_out: int = 1, coarse_group: int = 1, fine: int = 1
    ) -> FoldAttr:
        return FoldAttr(
            IntAttr(coarse_in), IntAttr(coarse_out), IntAttr(coarse_group), IntAttr(fine)
        )

    def factors(self) -> dict[str, int]:
        return {f: getattr(self, f).data for f in FOLD_FIELDS}

    @classmethod
    def parse_parameters(cls, parser: AttrParser) -> Sequence[Attribute]:
        values = dict.fromkeys(FOLD_FIELDS, 1)

        def parse_entry() -> None:
            pos = parser.pos
            key = parser.parse_identifier("expected a folding factor name")
            if key not in values:
                parser.raise_error(
                    f"unknown folding factor '{key}', expected one of {', '.join(FOLD_FIELDS)}",
                    pos,
                    parser.pos,
                )
            parser.parse_punctuation("=")
            values[key] = parser.parse_integer(allow_boolean=False, allow_negative=False)

        parser.parse_comma_separated_list(parser.Delimiter.ANGLE, parse_entry)
        return tuple(IntAttr(values[f]) for f in FOLD_FIELDS)

    def print_parameters(self, printer: Printer) -> None:
        text = ", ".join(f"{k} = {v}" for k, v in self.factors().items())
        printer.print_string(f"<{text}>")

    def verify(self) -> None:
        for key, value in self.factors().items():
            if value < 1:
                raise VerifyException(f"folding factor {key} must be >= 1, got {value}")


def divisors(n: int) -> tuple[int, ...]:
    """Every positive divisor of `n`, ascending."""
    return tuple(d for d in range(1, n + 1) if n % d == 0)


@dataclass(frozen=True)
class LegalFolding:
    """The values each folding factor may take on one op."""

    coarse_in: tuple[int, ...]
    coarse_out: tuple[int, ...]
    coarse_group: tuple[int, ...] = (1,)
    fine: tuple[int, ...] = (1,)
    tied: bool = False
    """`coarse_in` and `coarse_out` must be equal (pooling, relu: one `coarse`)."""

    def check(self, fold: FoldAttr, what: str) -> None:
        """Raise a VerifyException naming the first illegal factor."""
        factors = fold.factors()
        for key in FOLD_FIELDS:
            allowed: tuple[int, ...] = getattr(self, key)
            if factors[key] not in allowed:
                raise VerifyException(
                    f"{what}: folding factor {key} = {factors[key]} is not legal; "
                    f"allowed: {', '.join(map(str, allowed))}"
                )
        if self.tied and factors["coarse_in"] != factors["coarse_out"]:
            raise VerifyException(
                f"{what}: coarse_in ({factors['coarse_in']}) and coarse_out "
                f"({factors['coarse_out']}) must be equal on this op"
            )


def fine_choices(kernel: tuple[int, int]) -> tuple[int, ...]:
    """`fine` in {1, k, k*k}; a non-square kernel unrolls at most its larger side (fpgaConvNet)."""
    if kernel[0] != kernel[1]:
        return tuple(sorted({1, max(kernel)}))
    return tuple(sorted({1, kernel[0], kernel[0] * kernel[1]}))
