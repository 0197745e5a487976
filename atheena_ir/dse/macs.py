"""Multiply-accumulate counts and the ideal early-exit speed-up they imply.

With equal hardware, throughput is at best proportional to 1 / (work per sample). A sample
always runs stage 0 and runs stage s with probability reach_s, so the ideal ratio of an
early-exit design over its baseline is ``baseline MACs / sum_s reach_s * MACs_s``.
"""

from __future__ import annotations

from atheena_ir.cost.layer_kind import LayerKind
from atheena_ir.cost.layer_spec import LayerSpec
from atheena_ir.dse.problem import Problem


def layer_macs(spec: LayerSpec) -> int:
    """Multiply-accumulates of one sample through ``spec`` (conv and linear; 0 otherwise)."""
    if spec.kind is LayerKind.CONV:
        k0, k1 = spec.kernel
        per_out = spec.channels // spec.groups * k0 * k1
        return spec.rows_out * spec.cols_out * spec.filters * per_out
    if spec.kind is LayerKind.LINEAR:
        return spec.rows * spec.cols * spec.channels * spec.filters
    return 0


def stage_macs(problem: Problem) -> list[int]:
    """MACs per stage."""
    return [sum(layer_macs(problem.layers[i].spec) for i in s.layers) for s in problem.stages]


def expected_macs(problem: Problem) -> float:
    """MACs per input sample: each stage's weighted by its reach."""
    return sum(s.reach * m for s, m in zip(problem.stages, stage_macs(problem), strict=True))


def ideal_ratio(early_exit: Problem, baseline: Problem) -> float | None:
    """Baseline MACs over the early-exit network's expected MACs per sample (None when the
    early-exit network has no multiply-accumulates: the ratio is undefined)."""
    work = expected_macs(early_exit)
    return sum(stage_macs(baseline)) / work if work > 0 else None
