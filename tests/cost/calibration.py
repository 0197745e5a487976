"""Evaluate a B-LeNet design description (blenet_designs.py layout) with the cost model."""

from __future__ import annotations

from typing import Any

from atheena_ir.cost import (
    REFERENCE_CLOCK_HZ,
    CostModel,
    Folding,
    LayerKind,
    LayerSpec,
    StageCost,
    StageLayer,
    stage_cost,
)


def stage_layers(stage: dict[str, Any]) -> list[StageLayer]:
    """The stage's layers as ``StageLayer``s."""
    return [
        StageLayer(name, LayerSpec(LayerKind(kind), **shape), Folding(**fold))
        for name, kind, shape, fold in stage["layers"]
    ]


def evaluate_stage(model: CostModel, stage: dict[str, Any]) -> StageCost:
    """The cost of one published stage under ``model``."""
    return stage_cost(model, stage_layers(stage), stage["edges"])


def stage_throughput(model: CostModel, stage: dict[str, Any]) -> float:
    """Samples per second of the stage at its batch size and 125 MHz."""
    return evaluate_stage(model, stage).throughput(stage["batch"], REFERENCE_CLOCK_HZ)


def measured(
    model: CostModel, stage: dict[str, Any]
) -> dict[str, tuple[float, int, int, int, int]]:
    """Per layer (interval, LUT, FF, DSP, BRAM) in the order of the published tuples."""
    cost = evaluate_stage(model, stage)
    return {
        name: (c.interval, c.resources.lut, c.resources.ff, c.resources.dsp, c.resources.bram)
        for name, c in cost.layers.items()
    }
