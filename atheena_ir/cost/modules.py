"""Hardware modules (fpgaConvNet's building blocks) as sympy resource and depth expressions.

A layer is a composition of modules replicated by its folding factors. Each module's LUT/FF (and
some DSP) figures are linear fits ``floor(u . c)`` of a utilisation vector ``u`` against fitted
coefficients ``c`` (coefficients.toml); BRAM and most DSP figures are analytic. The utilisation
vectors below follow ATHEENA v1.0 exactly (``optimiser/.../models/modules/*.py``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import sympy as sp

from atheena_ir.cost.coefficients import Coefficients
from atheena_ir.cost.memory import fifo, memory, storage_bram, storage_ff, storage_lut
from atheena_ir.cost.symbols import log2


@dataclass(frozen=True)
class ModuleCost:
    """Resources of one module instance and its pipeline depth in cycles (sympy expressions)."""

    lut: sp.Expr
    ff: sp.Expr
    dsp: sp.Expr
    bram: sp.Expr
    depth: sp.Expr = sp.S.Zero

    def scaled(self, factor: sp.Expr) -> ModuleCost:
        """The resources of ``factor`` instances (the depth is unchanged)."""
        return ModuleCost(
            self.lut * factor, self.ff * factor, self.dsp * factor, self.bram * factor, self.depth
        )


ZERO = ModuleCost(sp.Integer(0), sp.Integer(0), sp.Integer(0), sp.Integer(0))
"""A module that costs nothing."""


def storage(depth: sp.Expr, width: sp.Expr) -> ModuleCost:
    """An array of ``depth`` words of ``width`` bits where Vitis puts it: registers, distributed
    RAM or BRAM (``memory.storage_*``)."""
    return ModuleCost(
        storage_lut(depth, width), storage_ff(depth, width), sp.Integer(0),
        storage_bram(depth, width),
    )  # fmt: skip


SAMPLE_ID_BITS = 16
"""Bits of the sample id every stream word carries (`sample_id_t`, atheena/types.h)."""


def fit(coefs: Sequence[float], util: Sequence[sp.Expr]) -> sp.Expr:
    """``floor(sum c_i * u_i)``: a fitted linear model truncated like the reference's ``int()``."""
    if len(coefs) != len(util):
        raise ValueError(f"{len(coefs)} coefficients for a utilisation vector of {len(util)}")
    total = sp.Add(*(sp.Float(repr(c), 20) * u for c, u in zip(coefs, util, strict=True) if c))
    return sp.floor(total)


def _fitted(coef: Coefficients, name: str, util: Sequence[sp.Expr]) -> tuple[sp.Expr, sp.Expr]:
    return fit(coef.of(name, "lut"), util), fit(coef.of(name, "ff"), util)


def sliding_window(
    coef: Coefficients, rows, cols, channels, k0, k1, pads, dw, reference: bool
) -> ModuleCost:
    """Line and window buffers producing K0 x K1 windows; pads = (top, left, bottom, right)."""
    _pt, pl, _pb, pr = pads
    util = [
        dw * k0 * k1,
        k0 * (k1 - 1) * (dw + sp.floor(log2(channels))),
        (k1 - 1) * (dw + sp.floor(log2(channels * cols))),
        k0 * (k1 - 1),
        k1 - 1,
    ]
    lut, ff = _fitted(coef, "sliding_window", util)
    padded_cols = cols + pl + pr
    depth = padded_cols * channels * (k0 - 1) + channels * k0 * (k1 - 1)
    dsp = fit(coef.of("sliding_window", "dsp"), [1])
    if not reference:
        # As built (atheena/sliding_window.h), per lane: KH-1 line buffers of the padded width
        # times the channel groups, and a KH x KW shift register of one word per channel group.
        lines = storage(padded_cols * channels, dw).scaled(k0 - 1)
        shift = storage(channels, dw).scaled(k0 * k1)
        return ModuleCost(
            lut + lines.lut + shift.lut, ff + lines.ff + shift.ff, dsp, lines.bram + shift.bram,
            depth,
        )  # fmt: skip
    bram = (k0 - 1) * fifo(padded_cols * channels + 1, dw, reference) + k0 * (k1 - 1) * fifo(
        channels + 1, dw, reference
    )
    return ModuleCost(lut, ff, dsp, bram, depth)


def fork(coef: Coefficients, rows, cols, channels, name: str = "fork") -> ModuleCost:
    """Copies each word to several consumers; cost grows with its word counter."""
    util = [sp.ceiling(log2(rows * cols * channels))]
    lut, ff = _fitted(coef, name, util)
    return ModuleCost(lut, ff, fit(coef.of(name, "dsp"), [1]), fit(coef.of(name, "bram"), [1]))


def conv(coef: Coefficients, rows, cols, channels, filters, fine, dw, ww) -> ModuleCost:
    """The dot-product unit: ``fine`` multipliers; weights are counted at the layer."""
    util = [log2(filters), log2(cols * rows), log2(channels)]
    lut, ff = _fitted(coef, "conv", util)
    dsp = fine * sp.ceiling((ww + dw) / 48)
    return ModuleCost(lut, ff, dsp, sp.Integer(0), fine)


def accum(coef: Coefficients, rows, cols, channels, filters, groups, aw, reference) -> ModuleCost:
    """Accumulates partial sums over the input channels of a lane."""
    util = [filters, groups, aw, cols, rows, channels]
    lut, ff = _fitted(coef, "accum", util)
    bram = memory(sp.floor(filters / groups), aw, reference)
    depth = sp.floor(channels * filters / groups**2)
    return ModuleCost(lut, ff, fit(coef.of("accum", "dsp"), util), bram, depth)


def glue(coef: Coefficients, rows, cols, filters, ci, co, dw, aw) -> ModuleCost:
    """Adds the coarse_in partial results of each output lane."""
    util = [cols, rows, 1, dw, aw, filters, ci, co]
    lut, ff = _fitted(coef, "glue", util)
    return ModuleCost(
        lut, ff, fit(coef.of("glue", "dsp"), util), fit(coef.of("glue", "bram"), util)
    )


def bias(coef: Coefficients, rows, cols, filters, dw, bw) -> ModuleCost:
    """Adds the bias (the reference fits it with the accum coefficients)."""
    util = [filters, 1, dw, cols, rows, 1]
    lut, ff = _fitted(coef, "accum", util)
    return ModuleCost(lut, ff, sp.ceiling((bw + dw) / 48), sp.Integer(0))


def pool(coef: Coefficients, rows, cols, channels, k0, k1, dw) -> ModuleCost:
    """Reduces each window (max or average)."""
    util = [k0, k1, cols, rows, channels, dw]
    lut, ff = _fitted(coef, "pool", util)
    return ModuleCost(lut, ff, fit(coef.of("pool", "dsp"), [1]), fit(coef.of("pool", "bram"), [1]))


def relu(coef: Coefficients, rows, cols, channels, dw) -> ModuleCost:
    """max(x, 0) per word (also the project's proxy for other element-wise units)."""
    util = [dw, sp.ceiling(log2(rows * cols * channels))]
    lut, ff = _fitted(coef, "relu", util)
    return ModuleCost(lut, ff, fit(coef.of("relu", "dsp"), [1]), fit(coef.of("relu", "bram"), [1]))


def buffer(coef: Coefficients, rows, cols, channels, maps, dw, reference: bool) -> ModuleCost:
    """Conditional buffer lane: holds ``maps`` feature maps until their exit decision."""
    util = [rows, cols, channels, dw]
    lut, ff = _fitted(coef, "buffer", util)
    dsp = fit(coef.of("buffer", "dsp"), util)
    if not reference:
        # As built (atheena/cond_buffer.h), per lane: DEPTH maps of MAP_WORDS words; the maps'
        # sample ids are shared by the lanes and counted once per buffer at the layer.
        mem = storage(maps * rows * cols * channels, dw)
        return ModuleCost(lut + mem.lut, ff + mem.ff, dsp, mem.bram)
    bram = memory(maps * rows * cols * channels, dw, reference)
    return ModuleCost(lut, ff, dsp, bram)


def exponential(coef: Coefficients, rows, cols, channels, dw) -> ModuleCost:
    """e^x of each logit (float32 in the HLS)."""
    util = [rows, cols, channels, dw]
    lut, ff = _fitted(coef, "exponen", util)
    return ModuleCost(lut, ff, fit(coef.of("exponen", "dsp"), [dw]), sp.Integer(0))


def scalar_unit(coef: Coefficients, name: str, dw) -> ModuleCost:
    """Units fitted against the data width only: reducemax, softmax_sum, compare."""
    lut, ff = _fitted(coef, name, [dw])
    return ModuleCost(lut, ff, fit(coef.of(name, "dsp"), [dw]), fit(coef.of(name, "bram"), [1]))
