"""Inner product (linear / Gemm): Fork(co) -> Conv(1x1) -> Accum -> Glue(ci) -> Bias.

The whole R x C x Ch input is one vector; interval = R*C*Ch*F / (ci*co).
"""

from __future__ import annotations

import sympy as sp

from atheena_ir.cost import modules as mod
from atheena_ir.cost.coefficients import Coefficients
from atheena_ir.cost.expressions import LayerExpressions, UnitPart, from_modules, from_units, total
from atheena_ir.cost.memory import memory
from atheena_ir.cost.symbols import AW, BW, CH, CI, CO, DW, HB, WW, C, F, R, present


def build(reference: bool, coef: Coefficients) -> LayerExpressions:
    """The symbolic cost of an inner product."""
    words = R * C * CH
    vec = words / CI  # per-lane vector length
    interval = sp.Max(vec, words * F / (CI * CO), F / CO)
    one = sp.Integer(1)
    fork = mod.fork(coef, R, C, CH / CI)
    conv = mod.conv(coef, one, one, vec, F / CO, one, DW, WW)
    acc = mod.accum(coef, one, one, vec, F / CO, one, AW, reference)
    glue = mod.glue(coef, one, one, F, CI, CO, DW, AW)
    bias = mod.bias(coef, one, one, F, DW, BW)
    has_bias = (1 - HB) if reference else HB
    weights = memory(sp.floor(F * words / (CI * CO)), WW, reference) * CI * CO
    # The reference sizes the bias memory F*R*C/co; it holds F/co words.
    bias_depth = sp.floor(F * R * C / CO) if reference else F / CO
    biases = memory(bias_depth, BW, reference) * CO * (1 if reference else HB)
    if not reference:
        # lower-to-hws builds one linear unit (fork, dot products, accumulators, glue and the
        # weights in one) and, with a bias, a bias unit.
        zero = sp.Integer(0)
        linear = total(
            fork.scaled(CI),
            conv.scaled(CI * CO),
            mod.ModuleCost(acc.lut, acc.ff, acc.dsp, zero).scaled(CI * CO * present(vec)),
            mod.ModuleCost(zero, zero, zero, acc.bram).scaled(CO * present(vec)),
            glue.scaled(present(CI)),
            mod.ModuleCost(zero, zero, zero, weights),
        )
        bias_unit = total(
            bias.scaled(CO), mod.ModuleCost(zero, zero, zero, memory(F / CO, BW, False) * CO)
        )
        parts = [UnitPart("linear", sp.Integer(1), linear), UnitPart("bias", HB, bias_unit)]
        return from_units(parts, interval, words, F, CI, CO, conv.depth + acc.depth)
    cost = total(
        fork.scaled(CI),
        conv.scaled(CI * CO),
        mod.ModuleCost(acc.lut, acc.ff, acc.dsp, sp.Integer(0), acc.depth).scaled(
            CI * CO * present(vec)
        ),
        mod.ModuleCost(sp.Integer(0), sp.Integer(0), sp.Integer(0), acc.bram).scaled(
            CO * present(vec)
        ),
        glue.scaled(present(CI)),
        bias.scaled(CO * has_bias),
        mod.ModuleCost(sp.Integer(0), sp.Integer(0), sp.Integer(0), weights + biases),
    )
    depth = conv.depth + acc.depth
    return from_modules(cost, interval, words, F, CI, CO, depth)
