"""The early-exit units: exit decision (SoftMaxCmp), conditional buffer, exit merge.

Exit decision: exponential -> fork -> {reduce-max, softmax-sum} -> compare -> fork(P consumers),
deciding ``max e^z >= thr * sum e^z``. ATHEENA v1.0 fixes its pipeline depth at 180 cycles
("measured for 10 class"); the project scales it with the class count, 18 cycles per class.

Conditional buffer: one buffer lane per coarse lane holding M feature maps (v1.0: always one map);
the project costs the memory as built (M maps of W/ci words per lane, plus M sample ids).

The project's exit decision has no multiplier: it adds entries of one ROM of the exp table
(`exp_table_size()` entries of 17 bits); the merge's input streams hold a whole result each.

Exit merge: collects each sample's result from whichever of its P exits produced it. ATHEENA v1.0
charges P*W cycles per sample as if every exit delivered every sample; each sample leaves through
exactly one exit, so the project charges W.
"""

from __future__ import annotations

import math

import sympy as sp

from atheena_ir.cost import modules as mod
from atheena_ir.cost.coefficients import Coefficients
from atheena_ir.cost.expressions import LayerExpressions, UnitPart, from_modules, from_units, total
from atheena_ir.cost.symbols import CH, CI, CO, DW, C, M, P, R

REFERENCE_DECISION_DEPTH = 180
"""ATHEENA v1.0's hard-wired exit-decision pipeline depth (cycles, for 10 classes)."""
DECISION_DEPTH_PER_CLASS = 18
"""The project's exit-decision depth per class (180 cycles at 10 classes, as measured)."""
EXP_TABLE_IN_FRAC = 8
"""Fractional bits of the logits the default exp table is indexed with (lower-to-hws's default)."""
EXP_TABLE_OUT_FRAC = 16
"""Fractional bits of the default table's entries; an entry is OUT_FRAC + 1 bits wide."""
RESULT_EXIT_BITS = 8
"""The exit index a result word carries (`result_word`, atheena/types.h)."""


def exp_table_size(in_frac: int = EXP_TABLE_IN_FRAC, out_frac: int = EXP_TABLE_OUT_FRAC) -> int:
    """Entries of the exit decision's table: every k with round(exp(-k / 2^in) 2^out) > 0, i.e.
    exp(-k / 2^in) 2^out > 1/2 (atheena_ir.numerics.exp_table; 3017 for the default 8 / 16)."""
    return math.floor(2**in_frac * (out_frac + 1) * math.log(2)) + 1


def build_exit_decision(reference: bool, coef: Coefficients) -> LayerExpressions:
    """Exit decision over Ch logits (R = C = 1), driving P control consumers."""
    lane = CH / CI
    parts = (
        mod.exponential(coef, R, C, lane, DW),
        mod.fork(coef, R, C, lane),
        mod.scalar_unit(coef, "softmax_sum", DW),
        mod.scalar_unit(coef, "reducemax", DW),
        mod.scalar_unit(coef, "compare", DW),
        mod.fork(coef, R, C, lane),
    )
    cost = total(*parts).scaled(CI)
    words = R * C * CH
    interval = sp.Max(words / CI, P / CO)
    depth = sp.Integer(REFERENCE_DECISION_DEPTH) if reference else DECISION_DEPTH_PER_CLASS * CH
    if not reference:
        # atheena/exit_decision.h: integer arithmetic (no multiplier), one class per cycle
        # from one ROM of the exp table whatever the lanes. LUT/FF: ATHEENA's fitted float
        # units for one lane (an upper bound for adders and comparators).
        one_lane = total(
            mod.exponential(coef, R, C, CH, DW), mod.fork(coef, R, C, CH),
            *parts[2:5], mod.fork(coef, R, C, CH),
        )  # fmt: skip
        rom = mod.storage(sp.Integer(exp_table_size()), sp.Integer(EXP_TABLE_OUT_FRAC + 1))
        unit = total(mod.ModuleCost(one_lane.lut, one_lane.ff, sp.Integer(0), sp.Integer(0)), rom)
        parts_ = [UnitPart("exit_decision", sp.Integer(1), unit)]
        return from_units(parts_, sp.Max(words, P / CO), words, P, CI, CO, depth=depth)
    return from_modules(cost, interval, words, P, CI, CO, depth=depth)


def build_cond_buffer(reference: bool, coef: Coefficients) -> LayerExpressions:
    """Conditional buffer holding M maps of R x C x Ch until each map's decision arrives."""
    maps = sp.Integer(1) if reference else M
    lane = mod.buffer(coef, R, C, CH / CI, maps, DW, reference)
    words = R * C * CH
    if not reference:
        ids = mod.storage(M, sp.Integer(mod.SAMPLE_ID_BITS))  # one sample id per held map
        parts = [UnitPart("cond_buffer", sp.Integer(1), total(lane.scaled(CI), ids))]
        return from_units(parts, words / CI, words, words, CI, CI, depth=sp.Integer(0))
    return from_modules(lane.scaled(CI), words / CI, words, words, CI, CI, depth=sp.Integer(0))


def build_exit_merge(reference: bool, coef: Coefficients) -> LayerExpressions:
    """Exit merge of P exits, each delivering R x C x Ch result words."""
    lane = mod.fork(coef, R, C, CH / CI, name="fork")
    words = R * C * CH
    interval = sp.Max(words / CI, (P if reference else 1) * words / CO)
    if not reference:
        # lower-to-hws makes every stream into the merge hold a whole result (W/ci + 1 words).
        inputs = mod.storage(words / CI + 1, mod.SAMPLE_ID_BITS + CI * DW).scaled(P)
        parts = [UnitPart("exit_merge", sp.Integer(1), total(lane.scaled(CI), inputs))]
        return from_units(parts, interval, words, words, CI, CO, depth=sp.Integer(0))
    return from_modules(lane.scaled(CI), interval, words, words, CI, CO, depth=sp.Integer(0))
