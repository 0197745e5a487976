"""Folding factors of one layer: fpgaConvNet's coarse_in, coarse_out, coarse_group and fine."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Folding:
    """How parallel one layer is.

    ``coarse_in``/``coarse_out``: parallel input/output lanes (streams); ``coarse_group``: groups
    processed in parallel; ``fine``: multipliers per dot product (1, K or K*K). Layers with a single
    ``coarse`` factor (pooling, relu, split, buffers, ...) use ``Folding.uniform(c)``.
    """

    coarse_in: int = 1
    coarse_out: int = 1
    coarse_group: int = 1
    fine: int = 1

    @classmethod
    def uniform(cls, coarse: int) -> Folding:
        """coarse_in = coarse_out = ``coarse`` (for layers with one coarse factor)."""
        return cls(coarse_in=coarse, coarse_out=coarse)
