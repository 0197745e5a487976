"""The search problem: every layer's allowed configurations, the stages and the platform.

Built from an `ee` module after `split-exits` (or a network without exits, one stage) with
`build_problem`. It holds no IR, so it pickles to worker processes; `layer.name` ties each
layer back to its op (`atheena_ir.cost.from_ir.design_layers`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from graphlib import TopologicalSorter
from typing import TYPE_CHECKING

import numpy as np
from xdsl.dialects.builtin import ModuleOp

from atheena_ir.cost.as_built import BuiltStructure
from atheena_ir.cost.from_ir import DesignLayers, design_layers
from atheena_ir.cost.layer_spec import LayerSpec
from atheena_ir.cost.model import CostModel
from atheena_ir.cost.platform import Platform
from atheena_ir.dialects.ee.base import FoldableOp
from atheena_ir.dse.budget import platform_capacity
from atheena_ir.dse.configs import ConfigTable, evaluate_table, legal_foldings
from atheena_ir.dse.pareto import nondominated
from atheena_ir.errors import UserError

if TYPE_CHECKING:
    from atheena_ir.dse.constraints import Constraints


@dataclass
class LayerChoices:
    """One hardware layer and the configurations the search may give it."""

    name: str
    kind: str
    """The op's name without the dialect prefix (`conv2d`, `linear`, `split`, ...)."""
    stage: int
    """Position of its stage in `Problem.stages`."""
    spec: LayerSpec
    foldable: bool
    table: ConfigTable
    """Every allowed configuration (legal and within the constraints)."""


@dataclass
class StageInfo:
    """A stage: its reach probability, its layers (indices) and their edges."""

    index: int
    reach: float
    layers: list[int]
    edges: list[tuple[int, int]]
    order: list[int] = field(default_factory=list)
    """The layers in a topological order of the edges."""
    preds: dict[int, list[int]] = field(default_factory=dict)


@dataclass
class StageCap:
    """A limit on one resource summed over one stage's layers (from the constraints)."""

    stage: int
    resource: int
    limit: float
    text: str = ""


@dataclass
class Problem:
    """Everything a search needs; no IR."""

    function: str
    layers: list[LayerChoices]
    stages: list[StageInfo]
    platform: Platform
    model_fidelity: str
    batch: int
    clock_hz: float
    stage_caps: list[StageCap] = field(default_factory=list)
    built: BuiltStructure | None = None
    """What lower-to-hws builds (buffers, squeezes, FIFOs), to cost designs as built; None in
    the reference fidelity, which costs ATHEENA's layers only."""

    @property
    def capacity(self) -> np.ndarray:
        """The platform's LUT, FF, DSP, BRAM18."""
        return platform_capacity(self.platform)

    def layer_index(self, name: str) -> int:
        """The index of the layer called ``name``."""
        return next(i for i, layer in enumerate(self.layers) if layer.name == name)

    def stage_floors(self) -> np.ndarray:
        """Per stage: the largest of its layers' smallest intervals (no design goes below)."""
        return np.array(
            [max(float(self.layers[i].table.interval.min()) for i in s.layers) for s in self.stages]
        )

    def pruned(self) -> list[np.ndarray]:
        """Per layer: the rows of its table that survive Pareto pruning (see `pareto`)."""
        floors = self.stage_floors()
        out = []
        for layer in self.layers:
            t = layer.table
            clamped = np.maximum(t.interval, floors[layer.stage])
            costs = np.column_stack([clamped, t.depth, t.resources]).astype(float)
            out.append(nondominated(costs))
        return out

    def configurations(self) -> int:
        """The number of designs in the space (product of the layers' table sizes)."""
        return int(np.prod([len(layer.table) for layer in self.layers], dtype=float))


def build_problem(
    module: ModuleOp,
    platform: Platform,
    *,
    batch: int = 1024,
    model: CostModel | None = None,
    constraints: Constraints | None = None,
    function: str = "main",
) -> Problem:
    """The search problem of ``@function`` in ``module`` (after split-exits, or without exits)."""
    return problem_from_design(
        design_layers(module, function), platform, batch=batch, model=model,
        constraints=constraints,
    )  # fmt: skip


def problem_from_design(
    design: DesignLayers,
    platform: Platform,
    *,
    batch: int = 1024,
    model: CostModel | None = None,
    constraints: Constraints | None = None,
) -> Problem:
    """The search problem of the hardware layers ``design`` (see `design_layers`)."""
    if not isinstance(batch, int) or batch < 1:
        raise UserError(f"batch must be a positive integer, got {batch!r}")
    model = model or CostModel()
    layers: list[LayerChoices] = []
    stages: list[StageInfo] = []
    for position, stage in enumerate(design.stages):
        first = len(layers)
        names = {}
        for hw in stage.layers:
            folds = legal_foldings(hw.op, hw.spec, hw.fold)
            kind = hw.op.name.removeprefix("ee.")
            table = evaluate_table(model, hw.spec, folds)
            names[hw.name] = len(layers)
            foldable = isinstance(hw.op, FoldableOp)
            layers.append(LayerChoices(hw.name, kind, position, hw.spec, foldable, table))
        edges = [(names[a], names[b]) for a, b in stage.edges]
        stages.append(StageInfo(stage.index, stage.reach, list(range(first, len(layers))), edges))
    if not layers:
        raise UserError(f"@{design.function} has no hardware layers to fold")
    for s in stages:
        s.preds = {i: [] for i in s.layers}
        for a, b in s.edges:
            s.preds[b].append(a)
        s.order = list(TopologicalSorter(s.preds).static_order())
    built = None if model.fidelity.reference else BuiltStructure.from_design(design)
    problem = Problem(
        design.function, layers, stages, platform, model.fidelity.value, batch,
        model.clock_hz(platform), built=built,
    )  # fmt: skip
    if constraints is not None:
        constraints.apply(problem)
    return problem
