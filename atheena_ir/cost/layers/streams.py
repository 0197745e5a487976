"""Stream plumbing: squeeze (re-lane), split (fork to P branches), concat (P inputs along channels).

Squeeze costs nothing in the reference (its fitted coefficients are all zero). The project costs the
unit atheena/squeeze.h builds: lcm(ci, co) values in registers plus the id and two counters (FFs),
and a LUT per buffered bit for its write enables and output multiplexers (an estimate: no synthesis
data). A FIFO (`hws.fifo`, the project's own) copies words into an output stream of M words of
`16 + ci * w_d` bits, costed where Vitis puts that array (registers, distributed RAM or BRAM).
Split replicates a Fork with P outputs per lane. Concat (not in ATHEENA v1.0) reads its P
inputs one after the other, Ch the channels they add up to: R*C*Ch words per sample, one per
cycle, with a Fork-like word counter per lane.
"""

from __future__ import annotations

import sympy as sp

from atheena_ir.cost import modules as mod
from atheena_ir.cost.coefficients import Coefficients
from atheena_ir.cost.expressions import LayerExpressions, UnitPart, from_modules, from_units
from atheena_ir.cost.memory import lanes_lcm
from atheena_ir.cost.symbols import CH, CI, CO, DW, C, M, P, R, log2

SQUEEZE_ID_BITS = mod.SAMPLE_ID_BITS
"""The sample id a squeeze keeps with its buffered values."""


def build_squeeze(reference: bool, coef: Coefficients) -> LayerExpressions:
    """Squeeze from coarse_in to coarse_out lanes."""
    words = R * C * CH
    interval = words / sp.Min(CI, CO)
    if reference:
        return from_modules(mod.ZERO, interval, words, words, CI, CO, depth=sp.Integer(0))
    chunk = lanes_lcm(CI, CO)
    counters = 2 * sp.ceiling(log2(chunk + 1))
    unit = mod.ModuleCost(
        chunk * DW, chunk * DW + SQUEEZE_ID_BITS + counters, sp.Integer(0), sp.Integer(0)
    )
    parts = [UnitPart("squeeze", sp.Integer(1), unit)]
    return from_units(parts, interval, words, words, CI, CO, depth=sp.Integer(0))


def build_fifo(reference: bool, coef: Coefficients) -> LayerExpressions:
    """A FIFO unit on a stream of R x C x Ch values in ci lanes whose output holds M words."""
    words = R * C * CH
    stream = mod.storage(M, mod.SAMPLE_ID_BITS + CI * DW)
    parts = [UnitPart("fifo", sp.Integer(1), stream)]
    return from_units(parts, words / CI, words, words, CI, CI, depth=sp.Integer(0))


def build_split(reference: bool, coef: Coefficients) -> LayerExpressions:
    """Split one stream into P identical branches."""
    words = R * C * CH
    # The reference sizes each lane's word counter for the whole map, not the lane's share.
    fork = mod.fork(coef, R, C, CH if reference else CH / CI)
    if not reference:
        parts = [UnitPart("split", sp.Integer(1), fork.scaled(CI))]
        return from_units(parts, words / CI, words, words, CI, CI, depth=sp.Integer(0))
    return from_modules(fork.scaled(CI), words / CI, words, words, CI, CI, depth=sp.Integer(0))


def build_concat(reference: bool, coef: Coefficients) -> LayerExpressions:
    """Concatenate P inputs along the channel axis into Ch channels."""
    words = R * C * CH
    fork = mod.fork(coef, R, C, CH / CI)
    if not reference:
        # lower-to-hws chains P - 1 two-input concat units, each with its word counters.
        parts = [UnitPart("concat", P - 1, fork.scaled(CI))]
        return from_units(parts, words / CI, words, words, CI, CI, depth=sp.Integer(0))
    return from_modules(fork.scaled(CI), words / CI, words, words, CI, CI, depth=sp.Integer(0))
