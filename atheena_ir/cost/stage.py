"""A stage: the layers between two exits, run as one dataflow pipeline.

Stage interval = max of its layers' intervals (the bottleneck); stage depth = the longest path of
pipeline depths through its layer graph; a batch of B samples takes II*B + depth cycles, so the
stage throughput is B / ((II*B + depth) / f_clk).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from graphlib import CycleError, TopologicalSorter
from itertools import pairwise

from atheena_ir.cost.errors import CostModelError
from atheena_ir.cost.folding import Folding
from atheena_ir.cost.layer_cost import LayerCost
from atheena_ir.cost.layer_spec import LayerSpec
from atheena_ir.cost.model import CostModel
from atheena_ir.cost.resources import Resources


@dataclass(frozen=True)
class StageLayer:
    """One named layer of a stage with its folding."""

    name: str
    spec: LayerSpec
    fold: Folding


@dataclass(frozen=True)
class StageCost:
    """The evaluated cost of a stage."""

    layers: dict[str, LayerCost]
    interval: float
    depth: int
    bottleneck: str
    resources: Resources

    def cycles(self, batch: int) -> float:
        """Cycles to run ``batch`` samples: II*B + depth."""
        return self.interval * batch + self.depth

    def latency_s(self, batch: int, clock_hz: float) -> float:
        """Seconds to run ``batch`` samples at ``clock_hz``."""
        return self.cycles(batch) / clock_hz

    def throughput(self, batch: int, clock_hz: float) -> float:
        """Samples per second for batches of ``batch``: B / ((II*B + depth) / f_clk)."""
        return batch / self.latency_s(batch, clock_hz)


def stage_cost(
    model: CostModel,
    layers: Sequence[StageLayer],
    edges: Sequence[tuple[str, str]] | None = None,
    check: bool = True,
) -> StageCost:
    """Evaluate a stage. ``edges`` (producer, consumer) default to a chain in list order;
    ``check`` verifies every folding is legal first."""
    if not layers:
        raise CostModelError("a stage needs at least one layer")
    names = [layer.name for layer in layers]
    if len(set(names)) != len(names):
        raise CostModelError("stage layer names must be unique")
    if edges is None:
        edges = list(pairwise(names))
    preds: dict[str, list[str]] = {n: [] for n in names}
    for src, dst in edges:
        if src not in preds or dst not in preds:
            raise CostModelError(f"stage edge {src!r} -> {dst!r} names an unknown layer")
        preds[dst].append(src)
    try:
        order = list(TopologicalSorter(preds).static_order())
    except CycleError as err:
        raise CostModelError(f"the stage graph has a cycle: {err.args[1]}") from None
    costs = {layer.name: model.layer(layer.spec, layer.fold, check) for layer in layers}
    reach: dict[str, int] = {}
    for name in order:  # longest path ending at each layer, its own depth included
        reach[name] = costs[name].depth + max((reach[p] for p in preds[name]), default=0)
    bottleneck = max(names, key=lambda n: costs[n].interval)  # first of the slowest
    total = Resources()
    for cost in costs.values():
        total = total + cost.resources
    return StageCost(
        layers=costs,
        interval=costs[bottleneck].interval,
        depth=max(reach.values()),
        bottleneck=bottleneck,
        resources=total,
    )
