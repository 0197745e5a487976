"""The sympy symbols every layer expression is written in: shapes, widths and folding factors.

All compiled cost functions take the symbols of ``ARGS`` in this order, so one argument tuple
(``LayerSpec.arguments``) evaluates any layer kind.
"""

from __future__ import annotations

import sympy as sp

_POS = {"positive": True, "integer": True}
_NONNEG = {"nonnegative": True, "integer": True}

R, C, CH, F = sp.symbols("R C Ch F", **_POS)
"""Input rows, columns, channels; filters (output channels of conv/linear)."""
K0, K1, S0, S1 = sp.symbols("K_0 K_1 S_0 S_1", **_POS)
"""Kernel rows/columns and strides."""
PT, PL, PB, PR = sp.symbols("p_t p_l p_b p_r", **_NONNEG)
"""Padding: top, left, bottom, right."""
G = sp.Symbol("G", **_POS)
"""Convolution groups."""
HB = sp.Symbol("b", **_NONNEG)
"""1 when the layer has a bias, else 0."""
P = sp.Symbol("P", **_POS)
"""Ports: outputs of a split, inputs of a concat/exit merge, consumers of an exit decision."""
M = sp.Symbol("M", **_POS)
"""Feature maps a conditional buffer holds; words of a FIFO unit's output stream."""
DW, WW, AW, BW = sp.symbols("w_d w_w w_a w_b", **_POS)
"""Bit widths: data, weights, accumulator, biases."""
CI, CO, CG, FINE = sp.symbols("c_i c_o c_g f", **_POS)
"""Folding: coarse_in, coarse_out, coarse_group, fine."""

ARGS: tuple[sp.Symbol, ...] = (
    R, C, CH, F, K0, K1, S0, S1, PT, PL, PB, PR, G, HB, P, M, DW, WW, AW, BW, CI, CO, CG, FINE,
)  # fmt: skip
"""The argument order of every compiled cost function."""


def rows_out() -> sp.Expr:
    """Output rows of a sliding window: floor((R - K0 + pt + pb) / S0) + 1."""
    return sp.floor((R - K0 + PT + PB) / S0) + 1


def cols_out() -> sp.Expr:
    """Output columns of a sliding window: floor((C - K1 + pl + pr) / S1) + 1."""
    return sp.floor((C - K1 + PL + PR) / S1) + 1


def log2(x: sp.Expr) -> sp.Expr:
    """Base-2 logarithm as the reference computes it (log(x)/log(2))."""
    return sp.log(x) / sp.log(2)


def present(x: sp.Expr) -> sp.Expr:
    """1 when the positive integer ``x`` exceeds 1, else 0 (fpgaConvNet's zeroing rules)."""
    return sp.Min(x - 1, 1)
