"""Convolution: SlidingWindow -> Fork(co) -> Conv(fine) -> Accum -> Glue(ci) -> Bias.

Module counts: SlidingWindow and Fork x ci*cg; Conv and Accum x ci*co*cg; Glue x cg; Bias x co.
The interval is the slowest module once the chain's rates are balanced:
W_in / (lanes_in * rate_in), rate_in the smallest input rate any module allows.
"""

from __future__ import annotations

import sympy as sp

from atheena_ir.cost import modules as mod
from atheena_ir.cost.coefficients import Coefficients
from atheena_ir.cost.expressions import LayerExpressions, UnitPart, from_modules, from_units, total
from atheena_ir.cost.memory import memory
from atheena_ir.cost.symbols import (
    AW,
    BW,
    CG,
    CH,
    CI,
    CO,
    DW,
    FINE,
    HB,
    K0,
    K1,
    PB,
    PL,
    PR,
    PT,
    WW,
    C,
    F,
    G,
    R,
    cols_out,
    present,
    rows_out,
)  # fmt: skip


def build(reference: bool, coef: Coefficients) -> LayerExpressions:
    """The symbolic cost of a convolution."""
    ro, co_ = rows_out(), cols_out()
    # The reference counts coarse_group lanes in the modules but not in the layer's streams.
    lanes_in = CI if reference else CI * CG
    lanes_out = CO if reference else CO * CG
    padded = (R + PT + PB) * (C + PL + PR)
    interval = sp.Max(
        padded * CH / lanes_in,  # sliding window reads the padded map
        ro * co_ * CH / lanes_in,  # fork
        ro * co_ * CH * K0 * K1 * F / (lanes_in * CO * FINE * G),  # conv: K/f cycles a window
        ro * co_ * CH * F / (lanes_in * CO * G),  # accum
        ro * co_ * F * CI / (lanes_in * CO),  # glue, bias
    )
    chl, fl, gl = CH / (CI * CG), F / (CO * CG), G / CG  # per-lane channels, filters, groups
    pads = (PT, PL, PB, PR)
    sw = mod.sliding_window(coef, R, C, chl, K0, K1, pads, DW, reference)
    fork = mod.fork(coef, ro, co_, chl)
    conv = mod.conv(coef, ro, co_, chl, fl, FINE, DW, WW)
    acc = mod.accum(coef, ro, co_, chl, fl, gl, AW, reference)
    glue = mod.glue(coef, ro, co_, F / CG, CI, CO, DW, AW)
    bias = mod.bias(coef, ro, co_, F, DW, BW)
    has_bias = (1 - HB) if reference else HB  # the reference zeroes bias when it HAS one
    weights_depth = sp.floor(F / G * CH * K0 * K1 / (FINE * CI * CO * CG))
    weights = memory(weights_depth, WW, reference) * CI * CO * CG * FINE
    biases = memory(sp.floor(F / CO), BW, reference) * CO * (1 if reference else HB)
    if not reference:
        # The units lower-to-hws builds: one sliding window (ci lanes), a fork when co > 1,
        # co conv units (ci lanes, their weights), co accumulators when a lane holds more than
        # one channel, the glue and, with a bias, the bias unit.
        acc_lane = mod.ModuleCost(acc.lut, acc.ff, acc.dsp, sp.Integer(0))
        no_bram = mod.ModuleCost(sp.Integer(0), sp.Integer(0), sp.Integer(0), sp.Integer(0))
        parts = [
            UnitPart("sliding_window", sp.Integer(1), sw.scaled(CI * CG * present(K0 * K1))),
            UnitPart("fork", present(CO), fork.scaled(CI * CG)),
            UnitPart("conv", CO, total(conv.scaled(CI * CG), mod.ModuleCost(
                no_bram.lut, no_bram.ff, no_bram.dsp,
                memory(weights_depth, WW, False) * CI * CG * FINE))),
            UnitPart("accum", CO * present(chl), total(
                acc_lane.scaled(CI * CG),
                mod.ModuleCost(no_bram.lut, no_bram.ff, no_bram.dsp, acc.bram * CG))),
            UnitPart("glue", sp.Integer(1), glue.scaled(CG * present(CI))),
            UnitPart("bias", HB, total(bias.scaled(CO), mod.ModuleCost(
                no_bram.lut, no_bram.ff, no_bram.dsp, memory(sp.floor(F / CO), BW, False) * CO))),
        ]  # fmt: skip
        depth = sw.depth + conv.depth + acc.depth
        return from_units(parts, interval, R * C * CH, ro * co_ * F, lanes_in, lanes_out, depth)
    acc_count = CI * CO * CG * present(chl)
    cost = total(
        sw.scaled(CI * CG * present(K0 * K1)),
        fork.scaled(CI * CG * present(CO)),
        conv.scaled(CI * CO * CG),
        mod.ModuleCost(acc.lut, acc.ff, acc.dsp, sp.Integer(0), acc.depth).scaled(acc_count),
        mod.ModuleCost(sp.Integer(0), sp.Integer(0), sp.Integer(0), acc.bram).scaled(
            CO * CG * present(chl)
        ),
        glue.scaled(CG * present(CI)),
        bias.scaled(CO * has_bias),
        mod.ModuleCost(sp.Integer(0), sp.Integer(0), sp.Integer(0), weights + biases),
    )
    depth = sw.depth + conv.depth + acc.depth
    return from_modules(cost, interval, R * C * CH, ro * co_ * F, lanes_in, lanes_out, depth)
