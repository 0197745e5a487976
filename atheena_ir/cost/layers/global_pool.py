"""Global average pooling (not in ATHEENA v1.0; the project's model).

One accumulator per channel over the R x C positions, then one multiply by 1/(R*C) per lane:
modelled as an Accum module with Ch/coarse filters plus a multiplier in the reference fidelity;
the project fidelity costs what lower-to-hws builds, a sliding window over the whole map and a
pool. The first output leaves after the whole map has arrived, so the pipeline depth is
R*C*Ch/coarse.
"""

from __future__ import annotations

import sympy as sp

from atheena_ir.cost import modules as mod
from atheena_ir.cost.coefficients import Coefficients
from atheena_ir.cost.expressions import LayerExpressions, UnitPart, from_modules, from_units, total
from atheena_ir.cost.symbols import AW, CH, CI, DW, WW, C, R


def build(reference: bool, coef: Coefficients) -> LayerExpressions:
    """The symbolic cost of a global average pooling layer."""
    one = sp.Integer(1)
    words = R * C * CH
    scale = mod.ModuleCost(sp.Integer(0), sp.Integer(0), sp.ceiling((WW + DW) / 48), sp.Integer(0))
    if not reference:
        # As built by lower-to-hws: a sliding window whose kernel is the whole map (R-1 line
        # buffers of C words per channel group, an R x C shift register) and an average pool.
        zero = sp.Integer(0)
        sw = mod.sliding_window(coef, R, C, CH / CI, R, C, (zero,) * 4, DW, reference)
        pool = mod.pool(coef, one, one, CH / CI, R, C, DW)
        units = [
            UnitPart("sliding_window", one, sw.scaled(CI)),
            UnitPart("pool", one, total(pool, scale).scaled(CI)),
        ]
        return from_units(units, words / CI, words, CH, CI, CI, depth=words / CI)
    acc = mod.accum(coef, R, C, one, CH / CI, one, AW, reference)
    cost = total(acc, scale).scaled(CI)
    return from_modules(cost, words / CI, words, CH, CI, CI, depth=words / CI)
