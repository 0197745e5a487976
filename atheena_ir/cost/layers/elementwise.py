"""Element-wise units with one ``coarse``: ReLU, Hardswish, BatchNorm, Add (eltwise).

ATHEENA v1.0 gives ReLU no resources (its layer never sums its module) and BatchNorm one DSP per
lane plus its scale memory; Add does not exist there. The project charges the ReLU module per lane
and uses it as the proxy for the adder (no fitted data exists for an adder).
"""

from __future__ import annotations

import sympy as sp

from atheena_ir.cost import modules as mod
from atheena_ir.cost.coefficients import Coefficients
from atheena_ir.cost.expressions import LayerExpressions, UnitPart, from_modules
from atheena_ir.cost.memory import memory
from atheena_ir.cost.symbols import CH, CI, DW, WW, C, R

_ZERO = mod.ZERO


def _layer(cost: mod.ModuleCost, unit: str = "") -> LayerExpressions:
    """An element-wise layer; ``unit`` names the one hws unit lower-to-hws builds for it."""
    words = R * C * CH
    layer = from_modules(cost, words / CI, words, words, CI, CI, depth=sp.Integer(0))
    if not unit:
        return layer
    return LayerExpressions(**{**layer.__dict__, "units": (UnitPart(unit, sp.Integer(1), cost),)})


def build_relu(reference: bool, coef: Coefficients) -> LayerExpressions:
    """ReLU."""
    if reference:
        return _layer(_ZERO)
    return _layer(mod.relu(coef, R, C, CH / CI, DW).scaled(CI), "relu")


HARDSWISH_RECIP_BITS = 20
"""Bits of the hardswish unit's constant for 1/6 (``atheena/hardswish.h``)."""


def build_hardswish(reference: bool, coef: Coefficients) -> LayerExpressions:
    """
    Hardswish, ``x * clamp(x + 3, 0, 6) / 6`` (the project's own model, both fidelities).

    An estimate, not calibrated (no fitted data exists): the ReLU module's LUT/FF per lane (the
    clamp is a comparator pair like ReLU's) plus the DSPs of the two multiplications per lane,
    ``x * clamp`` (at most w_d x w_d bits) and the product times 1/6 (2 w_d x 20 bits), each
    ``ceil((a + b) / 48)`` as BatchNorm's multiplier. II 1 per word, no memory.
    """
    relu = mod.relu(coef, R, C, CH / CI, DW)
    dsp = sp.ceiling((DW + DW) / 48) + sp.ceiling((2 * DW + HARDSWISH_RECIP_BITS) / 48)
    cost = mod.ModuleCost(relu.lut, relu.ff, dsp, sp.Integer(0)).scaled(CI)
    return _layer(cost, "" if reference else "hardswish")


def build_add(reference: bool, coef: Coefficients) -> LayerExpressions:
    """Element-wise add of two equally shaped streams (the ReLU unit as the resource proxy)."""
    return _layer(mod.relu(coef, R, C, CH / CI, DW).scaled(CI), "" if reference else "add")


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
