"""Max and average pooling: SlidingWindow -> Pool, one ``coarse`` (= coarse_in = coarse_out)."""

from __future__ import annotations

import sympy as sp

from atheena_ir.cost import modules as mod
from atheena_ir.cost.coefficients import Coefficients
from atheena_ir.cost.expressions import LayerExpressions, UnitPart, from_modules, from_units, total
from atheena_ir.cost.symbols import CH, CI, DW, K0, K1, PB, PL, PR, PT, WW, C, R, cols_out, rows_out


def build(reference: bool, coef: Coefficients, average: bool = False) -> LayerExpressions:
    """The symbolic cost of a pooling layer (``average`` adds the 1/K multiplier per lane)."""
    ro, co_ = rows_out(), cols_out()
    padded = (R + PT + PB) * (C + PL + PR)
    interval = sp.Max(padded * CH / CI, ro * co_ * CH / CI)
    sw = mod.sliding_window(coef, R, C, CH / CI, K0, K1, (PT, PL, PB, PR), DW, reference)
    pool = mod.pool(coef, ro, co_, CH / CI, K0, K1, DW)
    parts = [sw, pool]
    if average and not reference:
        scale = sp.ceiling((WW + DW) / 48)
        parts.append(mod.ModuleCost(sp.Integer(0), sp.Integer(0), scale, sp.Integer(0)))
    if not reference:
        # lower-to-hws builds one sliding window and one pool unit of ci lanes each.
        units = [
            UnitPart("sliding_window", sp.Integer(1), sw.scaled(CI)),
            UnitPart("pool", sp.Integer(1), total(*parts[1:]).scaled(CI)),
        ]
        return from_units(units, interval, R * C * CH, ro * co_ * CH, CI, CI, sw.depth)
    cost = total(*parts).scaled(CI)
    return from_modules(cost, interval, R * C * CH, ro * co_ * CH, CI, CI, sw.depth)


def build_average(reference: bool, coef: Coefficients) -> LayerExpressions:
    """Average pooling."""
    return build(reference, coef, average=True)
