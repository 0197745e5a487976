"""The cost of a whole design: every layer and stage of an `ee` function on a platform.

`design_report` reads the hardware layers of a function (`from_ir.design_layers`: after
`split-exits` and `fold`, or a backbone without exits, which is one stage), evaluates them with
the cost model and adds up stages and network. The printers of `-t report` and `-t report-json`
(`atheena_ir.backends.report`, `atheena_ir.backends.report_json`) only format its result.

```python
report = design_report(module, platform="zc706", batch=1024, fidelity="atheena-v1")
report.throughput                       # samples/s: min over stages of T_s / reach_s
report.stages[0].bottleneck             # the layer with the largest interval
report.over_budget                      # resources above 100 % of the platform
```

Definitions (docs/reports.md): a stage runs a batch of B samples in `II_s*B + D_s` cycles, its
throughput is `T_s = B / ((II_s*B + D_s) / f_clk)` and its latency `(II_s*B + D_s) / f_clk`;
stage s sees the fraction `reach_s` of the samples, so it limits the network to `T_s / reach_s`;
the network's throughput is the smallest limit and its latency the time of one batch at that
throughput, `B / T`. Resources of all stages add up (they are all on the chip at once).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from xdsl.dialects.builtin import ModuleOp

from atheena_ir.cost.as_built import BuiltStructure, BuiltUnit
from atheena_ir.cost.errors import CostModelError
from atheena_ir.cost.fidelity import Fidelity
from atheena_ir.cost.folding import Folding
from atheena_ir.cost.from_ir import design_layers
from atheena_ir.cost.model import CostModel
from atheena_ir.cost.network import network_throughput
from atheena_ir.cost.platform import Platform, load_platform
from atheena_ir.cost.resources import Resources
from atheena_ir.cost.stage import StageLayer, stage_cost

RESOURCE_NAMES = ("lut", "ff", "dsp", "bram")
"""The resources a report lists, keyed like `Resources.as_dict()` (bram = BRAM18 blocks)."""

SCHEMA = "atheena-ir/report/v1"
"""The `schema` field of `-t report-json`."""


@dataclass(frozen=True)
class LayerReport:
    """One hardware layer: its folding, interval (cycles/sample), depth (cycles), resources."""

    name: str
    op: str
    kind: str
    fold: Folding
    interval: float
    depth: int
    resources: Resources
    utilisation: dict[str, float]


@dataclass(frozen=True)
class StageReport:
    """One stage: its layers, bottleneck, throughput (samples/s) and latency (s) for a batch."""

    index: int
    reach: float
    layers: list[LayerReport]
    edges: list[tuple[str, str]]
    interval: float
    depth: int
    bottleneck: str
    throughput: float
    latency_s: float
    resources: Resources
    utilisation: dict[str, float]
    units: list[BuiltUnit]
    """Every unit lower-to-hws builds in the stage (project fidelity; empty in atheena-v1)."""

    @property
    def limit(self) -> float:
        """Network input samples/s this stage sustains: T_s / reach_s (inf when never reached)."""
        return self.throughput / self.reach if self.reach > 0 else math.inf


@dataclass(frozen=True)
class DesignReport:
    """A whole design on one platform: stages, network throughput and latency, budget."""

    function: str
    platform: Platform
    fidelity: Fidelity
    batch: int
    clock_hz: float
    stages: list[StageReport]
    throughput: float
    latency_s: float
    limiting_stage: int
    resources: Resources
    utilisation: dict[str, float]

    @property
    def over_budget(self) -> list[str]:
        """The resources above 100 % of the platform's budget, in report order."""
        return [r for r in RESOURCE_NAMES if self.utilisation[r] > 1.0]

    def as_dict(self) -> dict[str, Any]:
        """Plain JSON data (the `-t report-json` schema, docs/reports.md); infinities are None."""
        return {
            "schema": SCHEMA,
            "function": self.function,
            "platform": {
                "name": self.platform.name,
                "part": self.platform.part,
                "clock_mhz": self.platform.clock_mhz,
                "resources": dict(self.platform.resources),
            },
            "model": {
                "fidelity": self.fidelity.value,
                "clock_hz": self.clock_hz,
                "batch": self.batch,
            },
            "stages": [_stage_dict(s) for s in self.stages],
            "network": {
                "throughput": self.throughput,
                "latency_s": self.latency_s,
                "limiting_stage": self.limiting_stage,
                "resources": self.resources.as_dict(),
                "utilisation": dict(self.utilisation),
                "over_budget": self.over_budget,
            },
        }


def _finite(value: float) -> float | None:
    return value if math.isfinite(value) else None


def _stage_dict(stage: StageReport) -> dict[str, Any]:
    return {
        "index": stage.index,
        "reach": stage.reach,
        "interval": stage.interval,
        "depth": stage.depth,
        "bottleneck": stage.bottleneck,
        "throughput": stage.throughput,
        "latency_s": stage.latency_s,
        "limit": _finite(stage.limit),
        "resources": stage.resources.as_dict(),
        "utilisation": dict(stage.utilisation),
        "layers": [
            {
                "name": layer.name,
                "op": layer.op,
                "kind": layer.kind,
                "folding": {
                    "coarse_in": layer.fold.coarse_in,
                    "coarse_out": layer.fold.coarse_out,
                    "coarse_group": layer.fold.coarse_group,
                    "fine": layer.fold.fine,
                },
                "interval": layer.interval,
                "depth": layer.depth,
                "resources": layer.resources.as_dict(),
                "utilisation": dict(layer.utilisation),
            }
            for layer in stage.layers
        ],
        "edges": [list(edge) for edge in stage.edges],
        "units": [
            {
                "name": name,
                "unit": unit.role,
                "layer": unit.layer,
                "lanes_in": unit.lanes_in,
                "lanes_out": unit.lanes_out,
                "depth": unit.depth,
                "resources": unit.resources.as_dict(),
            }
            for name, unit in unit_names(stage.units)
        ],
    }


def unit_names(units: list[BuiltUnit]) -> list[tuple[str, BuiltUnit]]:
    """Each unit with a readable unique name: `layer/role`, numbered when a layer has several
    units of one role (`Conv_0/conv0`, `Conv_0/conv1`, ...)."""
    totals: dict[tuple[str, str], int] = {}
    for u in units:
        totals[(u.layer, u.role)] = totals.get((u.layer, u.role), 0) + 1
    seen: dict[tuple[str, str], int] = {}
    out = []
    for u in units:
        key = (u.layer, u.role)
        i = seen.get(key, 0)
        seen[key] = i + 1
        out.append((f"{u.layer}/{u.role}{i if totals[key] > 1 else ''}", u))
    return out


def design_report(
    module: ModuleOp,
    platform: Platform | str | Path = "zc706",
    batch: int = 1024,
    fidelity: Fidelity | str = Fidelity.PROJECT,
    function: str = "main",
) -> DesignReport:
    """Evaluate every layer and stage of `@function` on `platform` for batches of `batch`.

    `platform` is a `Platform`, a built-in name or the path of a platform TOML file. Raises
    `CostModelError` (a `UserError`) for a bad platform, batch, fidelity or an illegal folding,
    and `UserError` when the function still has unsplit exits.

    >>> from atheena_ir.models import lenet_backbone
    >>> from atheena_ir.onnx_frontend import import_onnx
    >>> report = design_report(import_onnx(lenet_backbone()), batch=1)
    >>> len(report.stages), report.stages[0].reach
    (1, 1.0)
    """
    if isinstance(batch, bool) or not isinstance(batch, int) or batch < 1:
        raise CostModelError(f"batch must be a positive integer, got {batch!r}")
    model = CostModel(fidelity)
    board = platform if isinstance(platform, Platform) else load_platform(platform)
    clock = model.clock_hz(board)
    design = design_layers(module, function)
    for stage in design.stages:
        if not stage.layers:
            raise CostModelError(f"stage {stage.index} of @{design.function} has no hardware layer")
    for layer in (x for s in design.stages for x in s.layers):
        layer.spec.check(layer.fold)
    built = None
    if not model.fidelity.reference:  # what lower-to-hws builds for these foldings
        foldings = {x.name: x.fold for s in design.stages for x in s.layers}
        built = BuiltStructure.from_design(design).build(foldings, model)
        with_feeders = built.layer_resources(model)
        all_units = built.units(model)
    stages: list[StageReport] = []
    for stage in design.stages:
        as_built = [
            StageLayer(x.name, *built.layers[x.name]) if built else x.stage_layer()
            for x in stage.layers
        ]
        cost = stage_cost(model, as_built, stage.edges, check=built is None)
        layers = []
        for layer, spec in zip(stage.layers, as_built, strict=True):
            c = cost.layers[layer.name]
            res = with_feeders[layer.name] if built else c.resources
            layers.append(
                LayerReport(
                    name=layer.name,
                    op=layer.op.name,
                    kind=layer.spec.kind.value,
                    fold=spec.fold,
                    interval=c.interval,
                    depth=c.depth,
                    resources=res,
                    utilisation=res.utilisation(board),
                )
            )
        stage_res = Resources()
        for layer_report in layers:
            stage_res = stage_res + layer_report.resources
        stages.append(
            StageReport(
                index=stage.index,
                reach=stage.reach,
                layers=layers,
                edges=list(stage.edges),
                interval=cost.interval,
                depth=cost.depth,
                bottleneck=cost.bottleneck,
                throughput=cost.throughput(batch, clock),
                latency_s=cost.latency_s(batch, clock),
                resources=stage_res,
                utilisation=stage_res.utilisation(board),
                units=[u for u in all_units if u.stage == stage.index] if built else [],
            )
        )
    throughput = network_throughput([s.throughput for s in stages], [s.reach for s in stages])
    limiting = min(range(len(stages)), key=lambda i: stages[i].limit)  # first of the slowest
    total = Resources()
    for stage_report in stages:
        total = total + stage_report.resources
    return DesignReport(
        function=design.function,
        platform=board,
        fidelity=model.fidelity,
        batch=batch,
        clock_hz=clock,
        stages=stages,
        throughput=throughput,
        latency_s=batch / throughput,
        limiting_stage=stages[limiting].index,
        resources=total,
        utilisation=total.utilisation(board),
    )
