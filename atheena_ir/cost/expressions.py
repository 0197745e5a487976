"""The symbolic cost of one layer kind: interval, depth, rates and resources (sympy)."""

from __future__ import annotations

from dataclasses import dataclass, field

import sympy as sp

from atheena_ir.cost.modules import ModuleCost


@dataclass(frozen=True)
class UnitPart:
    """The hardware units of one role that `lower-to-hws` builds for a layer: ``count`` units
    (`hws.<role>` ops), each costing ``cost``."""

    role: str
    count: sp.Expr
    cost: ModuleCost


@dataclass(frozen=True)
class LayerExpressions:
    """What a layer kind costs, in terms of the symbols of ``atheena_ir.cost.symbols``.

    ``interval`` is in cycles per sample, ``depth`` in cycles (pipeline fill), resources in
    LUT/FF/DSP/BRAM18. ``words_in/out`` are the words of one sample on the (first) input/output
    port, ``lanes_in/out`` its parallel streams; the rates follow from them.
    """

    interval: sp.Expr
    depth: sp.Expr
    lut: sp.Expr
    ff: sp.Expr
    dsp: sp.Expr
    bram: sp.Expr
    words_in: sp.Expr
    words_out: sp.Expr
    lanes_in: sp.Expr
    lanes_out: sp.Expr
    units: tuple[UnitPart, ...] = field(default=())
    """The project fidelity's resources per built unit (they add up to the layer's); empty in
    the reference fidelity, which models fpgaConvNet's modules, not the project's units."""

    @property
    def rate_in(self) -> sp.Expr:
        """Words per cycle per input lane when the layer runs at its own interval."""
        return self.words_in / (self.lanes_in * self.interval)

    @property
    def rate_out(self) -> sp.Expr:
        """Words per cycle per output lane when the layer runs at its own interval."""
        return self.words_out / (self.lanes_out * self.interval)

    def quantities(self) -> dict[str, sp.Expr]:
        """Every expression by name, in the order the compiled function returns them."""
        return {
            "interval": self.interval,
            "depth": self.depth,
            "rate_in": self.rate_in,
            "rate_out": self.rate_out,
            "lut": self.lut,
            "ff": self.ff,
            "dsp": self.dsp,
            "bram": self.bram,
        }


def total(*parts: ModuleCost) -> ModuleCost:
    """The sum of module costs (resources add; depths add along the module chain)."""
    return ModuleCost(
        sp.Add(*(p.lut for p in parts)),
        sp.Add(*(p.ff for p in parts)),
        sp.Add(*(p.dsp for p in parts)),
        sp.Add(*(p.bram for p in parts)),
        sp.Add(*(p.depth for p in parts)),
    )


def from_units(
    parts: list[UnitPart],
    interval: sp.Expr,
    words_in: sp.Expr,
    words_out: sp.Expr,
    lanes_in: sp.Expr,
    lanes_out: sp.Expr,
    depth: sp.Expr,
) -> LayerExpressions:
    """A layer whose resources are the sum of its built units' (``count * cost`` each)."""
    cost = total(*(p.cost.scaled(p.count) for p in parts))
    layer = from_modules(cost, interval, words_in, words_out, lanes_in, lanes_out, depth)
    return LayerExpressions(**{**layer.__dict__, "units": tuple(parts)})


def from_modules(
    cost: ModuleCost,
    interval: sp.Expr,
    words_in: sp.Expr,
    words_out: sp.Expr,
    lanes_in: sp.Expr,
    lanes_out: sp.Expr,
    depth: sp.Expr | None = None,
) -> LayerExpressions:
    """Assemble a ``LayerExpressions`` from summed module costs."""
    return LayerExpressions(
        interval=interval,
        depth=cost.depth if depth is None else depth,
        lut=cost.lut,
        ff=cost.ff,
        dsp=cost.dsp,
        bram=cost.bram,
        words_in=words_in,
        words_out=words_out,
        lanes_in=lanes_in,
        lanes_out=lanes_out,
    )
