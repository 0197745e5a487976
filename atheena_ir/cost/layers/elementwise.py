"""Element-wise units with one ``coarse``: ReLU, BatchNorm, Add (eltwise).

ATHEENA v1.0 gives ReLU no resources (its layer never sums its module) and BatchNorm one DSP per
lane plus its scale memory; Add does not exist there. The project charges the ReLU module per lane
and uses it as the proxy for the adder (no fitted data exists for an adder).
"""

from __future__ import annotations

import sympy as sp

from atheena_ir.cost import modules as mod
from atheena_ir.cost.coefficients import Coefficients
from atheena_ir.cost.expressions import LayerExpressions, from_modules
from atheena_ir.cost.memory import memory
from atheena_ir.cost.symbols import CH, CI, DW, WW, C, R

_ZERO = mod.ZERO


def _layer(cost: mod.ModuleCost) -> LayerExpressions:
    words = R * C * CH
    return from_modules(cost, words / CI, words, words, CI, CI, depth=sp.Integer(0))


def build_relu(reference: bool, coef: Coefficients) -> LayerExpressions:
    """ReLU."""
    if reference:
        return _layer(_ZERO)
    return _layer(mod.relu(coef, R, C, CH / CI, DW).scaled(CI))


def build_add(reference: bool, coef: Coefficients) -> LayerExpressions:
    """Element-wise add of two equally shaped streams (the ReLU unit as the resource proxy)."""
    return _layer(mod.relu(coef, R, C, CH / CI, DW).scaled(CI))


def build_batchnorm(reference: bool, coef: Coefficients) -> LayerExpressions:
    """Batch normalisation (scale and shift per channel)."""
    if reference:
        cost = mod.ModuleCost(
            sp.Integer(0), sp.Integer(0), sp.Integer(1), memory(CH / CI, DW, True)
        ).scaled(CI)
        return _layer(cost)
    dsp = sp.ceiling((WW + DW) / 48)
    bram = 2 * memory(CH / CI, WW, False)  # scale and shift
    return _layer(mod.ModuleCost(sp.Integer(0), sp.Integer(0), dsp, bram).scaled(CI))
