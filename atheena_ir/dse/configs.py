"""Every legal folding of one layer, evaluated at once with the vectorised cost model.

A layer's configurations are the rows of a `ConfigTable`: the folding factors, the interval
(cycles per sample), the pipeline depth (cycles) and the four resources (LUT, FF, DSP, BRAM18).
Foldable ops take their legal values from the op's `legal_folding()` (the verifier's sets),
checked again by `LayerSpec.check`; ops the IR cannot fold (split, conditional buffer, exit
decision, exit merge) have the one configuration they carry.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass

import numpy as np

from atheena_ir.cost.errors import CostModelError
from atheena_ir.cost.folding import Folding
from atheena_ir.cost.layer_spec import LayerSpec
from atheena_ir.cost.model import CostModel
from atheena_ir.cost.symbols import ARGS
from atheena_ir.dialects.ee.base import FoldableOp

FACTORS = ("coarse_in", "coarse_out", "coarse_group", "fine")
"""Column order of `ConfigTable.factors`."""


@dataclass
class ConfigTable:
    """The configurations of one layer (row i = one folding)."""

    factors: np.ndarray
    """int array (n, 4): coarse_in, coarse_out, coarse_group, fine."""
    interval: np.ndarray
    """float array (n,): cycles per sample."""
    depth: np.ndarray
    """int array (n,): pipeline depth in cycles."""
    resources: np.ndarray
    """int array (n, 4): LUT, FF, DSP, BRAM18."""

    def __len__(self) -> int:
        return len(self.interval)

    def folding(self, i: int) -> Folding:
        """Row ``i`` as a `Folding`."""
        return Folding(*(int(v) for v in self.factors[i]))

    def take(self, rows: np.ndarray) -> ConfigTable:
        """The table restricted to ``rows`` (in that order)."""
        return ConfigTable(
            self.factors[rows], self.interval[rows], self.depth[rows], self.resources[rows]
        )


def legal_foldings(op: object, spec: LayerSpec, current: Folding) -> list[Folding]:
    """Every folding of ``op`` that both the IR verifier and the cost model accept."""
    if not isinstance(op, FoldableOp):
        return [current]
    legal = op.legal_folding()
    pairs = (
        [(c, c) for c in legal.coarse_in if c in legal.coarse_out]
        if legal.tied
        else list(itertools.product(legal.coarse_in, legal.coarse_out))
    )
    out = []
    for (ci, co), cg, f in itertools.product(pairs, legal.coarse_group, legal.fine):
        fold = Folding(ci, co, cg, f)
        try:
            spec.check(fold)
        except CostModelError:
            continue
        out.append(fold)
    return out


def evaluate_table(model: CostModel, spec: LayerSpec, folds: list[Folding]) -> ConfigTable:
    """Interval, depth and resources of ``spec`` at every folding of ``folds`` (vectorised)."""
    rows = np.array([spec.arguments(f) for f in folds], dtype=np.int64)
    values = {str(sym): rows[:, i] for i, sym in enumerate(ARGS)}
    out = model.evaluate(spec.kind, values)
    factors = np.array(
        [(f.coarse_in, f.coarse_out, f.coarse_group, f.fine) for f in folds], dtype=np.int64
    )
    resources = np.stack([np.rint(out[q]) for q in ("lut", "ff", "dsp", "bram")], axis=1).astype(
        np.int64
    )
    return ConfigTable(
        factors=factors,
        interval=np.asarray(out["interval"], dtype=float).copy(),
        depth=np.rint(out["depth"]).astype(np.int64),
        resources=resources,
    )
