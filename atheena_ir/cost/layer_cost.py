"""The evaluated cost of one layer."""

from __future__ import annotations

from dataclasses import dataclass

from atheena_ir.cost.resources import Resources


@dataclass(frozen=True)
class LayerCost:
    """Interval (cycles per sample), pipeline depth (cycles), rates (words per cycle per lane)
    and resources of one layer at one folding."""

    interval: float
    depth: int
    rate_in: float
    rate_out: float
    resources: Resources
