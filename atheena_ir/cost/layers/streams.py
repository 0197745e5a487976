"""Stream plumbing: squeeze (re-lane), split (fork to P branches), concat (P inputs along channels).

Squeeze costs nothing in the reference (its fitted coefficients are all zero) and the project keeps
that. Split replicates a Fork with P outputs per lane. Concat (not in ATHEENA v1.0) reads its P
inputs one after the other, Ch the channels they add up to: R*C*Ch words per sample, one per
cycle, with a Fork-like word counter per lane.
"""

from __future__ import annotations

import sympy as sp

from atheena_ir.cost import modules as mod
from atheena_ir.cost.coefficients import Coefficients
from atheena_ir.cost.expressions import LayerExpressions, from_modules
from atheena_ir.cost.symbols import CH, CI, CO, C, R


def build_squeeze(reference: bool, coef: Coefficients) -> LayerExpressions:
    """Squeeze from coarse_in to coarse_out lanes."""
    words = R * C * CH
    interval = words / sp.Min(CI, CO)
    return from_modules(mod.ZERO, interval, words, words, CI, CO, depth=sp.Integer(0))


def build_split(reference: bool, coef: Coefficients) -> LayerExpressions:
    """Split one stream into P identical branches."""
    words = R * C * CH
    # The reference sizes each lane's word counter for the whole map, not the lane's share.
    fork = mod.fork(coef, R, C, CH if reference else CH / CI)
    return from_modules(fork.scaled(CI), words / CI, words, words, CI, CI, depth=sp.Integer(0))


def build_concat(reference: bool, coef: Coefficients) -> LayerExpressions:
    """Concatenate P inputs along the channel axis into Ch channels."""
    words = R * C * CH
    fork = mod.fork(coef, R, C, CH / CI)
    return from_modules(fork.scaled(CI), words / CI, words, words, CI, CI, depth=sp.Integer(0))
