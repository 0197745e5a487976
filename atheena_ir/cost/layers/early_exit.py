"""The early-exit units: exit decision (SoftMaxCmp), conditional buffer, exit merge.

Exit decision: exponential -> fork -> {reduce-max, softmax-sum} -> compare -> fork(P consumers),
deciding ``max e^z >= thr * sum e^z``. ATHEENA v1.0 fixes its pipeline depth at 180 cycles
("measured for 10 class"); the project scales it with the class count, 18 cycles per class.

Conditional buffer: one buffer lane per coarse lane holding M feature maps (v1.0: always one map).

Exit merge: collects each sample's result from whichever of its P exits produced it. ATHEENA v1.0
charges P*W cycles per sample as if every exit delivered every sample; each sample leaves through
exactly one exit, so the project charges W.
"""

from __future__ import annotations

import sympy as sp

from atheena_ir.cost import modules as mod
from atheena_ir.cost.coefficients import Coefficients
from atheena_ir.cost.expressions import LayerExpressions, from_modules, total
from atheena_ir.cost.symbols import CH, CI, CO, DW, C, M, P, R

REFERENCE_DECISION_DEPTH = 180
"""ATHEENA v1.0's hard-wired exit-decision pipeline depth (cycles, for 10 classes)."""
DECISION_DEPTH_PER_CLASS = 18
"""The project's exit-decision depth per class (180 cycles at 10 classes, as measured)."""


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
    return from_modules(cost, interval, words, P, CI, CO, depth=depth)


def build_cond_buffer(reference: bool, coef: Coefficients) -> LayerExpressions:
    """Conditional buffer holding M maps of R x C x Ch until each map's decision arrives."""
    maps = sp.Integer(1) if reference else M
    lane = mod.buffer(coef, R, C, CH / CI, maps, DW, reference)
    words = R * C * CH
    return from_modules(lane.scaled(CI), words / CI, words, words, CI, CI, depth=sp.Integer(0))


def build_exit_merge(reference: bool, coef: Coefficients) -> LayerExpressions:
    """Exit merge of P exits, each delivering R x C x Ch result words."""
    lane = mod.fork(coef, R, C, CH / CI, name="fork")
    words = R * C * CH
    interval = sp.Max(words / CI, (P if reference else 1) * words / CO)
    return from_modules(lane.scaled(CI), interval, words, words, CI, CO, depth=sp.Integer(0))
