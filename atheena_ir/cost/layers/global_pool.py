"""Global average pooling (not in ATHEENA v1.0; the project's model).

One accumulator per channel over the R x C positions, then one multiply by 1/(R*C) per lane:
modelled as an Accum module with Ch/coarse filters plus a multiplier. The first output leaves after
the whole map has arrived, so the pipeline depth is R*C*Ch/coarse.
"""

from __future__ import annotations

import sympy as sp

from atheena_ir.cost import modules as mod
from atheena_ir.cost.coefficients import Coefficients
from atheena_ir.cost.expressions import LayerExpressions, from_modules, total
from atheena_ir.cost.symbols import AW, CH, CI, DW, WW, C, R


def build(reference: bool, coef: Coefficients) -> LayerExpressions:
    """The symbolic cost of a global average pooling layer."""
    one = sp.Integer(1)
    acc = mod.accum(coef, R, C, one, CH / CI, one, AW, reference)
    scale = mod.ModuleCost(sp.Integer(0), sp.Integer(0), sp.ceiling((WW + DW) / 48), sp.Integer(0))
    cost = total(acc, scale).scaled(CI)
    words = R * C * CH
    return from_modules(cost, words / CI, words, CH, CI, CI, depth=words / CI)
