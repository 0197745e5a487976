"""Small search problems and a vectorised brute force to check the exact search against."""

from __future__ import annotations

import functools
import itertools

import numpy as np
from xdsl.context import Context

from atheena_ir.cost import load_platform
from atheena_ir.dse import build_problem, parse_constraints
from atheena_ir.dse.problem import Problem
from atheena_ir.models import b_lenet, lenet_backbone
from atheena_ir.onnx_frontend import import_onnx
from atheena_ir.passes.split_exits import SplitExitsPass

ZC706 = load_platform("zc706")


@functools.cache
def blenet_module_text(p: float = 0.75) -> str:
    """B-LeNet after split-exits, printed (tests parse a fresh copy each time)."""
    module = import_onnx(b_lenet())
    SplitExitsPass(exit_probs=(p,)).apply(Context(), module)
    return str(module)


def blenet_module(p: float = 0.75):
    module = import_onnx(b_lenet())
    SplitExitsPass(exit_probs=(p,)).apply(Context(), module)
    return module


def blenet_problem(constraints: str = "", p: float = 0.75, batch: int = 1024) -> Problem:
    rules = parse_constraints(constraints) if constraints else None
    return build_problem(blenet_module(p), ZC706, batch=batch, constraints=rules)


def backbone_problem(constraints: str = "") -> Problem:
    rules = parse_constraints(constraints) if constraints else None
    return build_problem(import_onnx(lenet_backbone()), ZC706, constraints=rules)


def brute_force(problem: Problem) -> dict[str, np.ndarray]:
    """Throughput, resources and stage resources of every design (rows = designs)."""
    sizes = [len(layer.table) for layer in problem.layers]
    idx = np.array(list(itertools.product(*[range(n) for n in sizes])), dtype=np.int64)
    b, f = problem.batch, problem.clock_hz
    limits = []
    total = np.zeros((len(idx), 4))
    stage_res = []
    for s in problem.stages:
        ii = np.max([problem.layers[i].table.interval[idx[:, i]] for i in s.layers], axis=0)
        longest: dict[int, np.ndarray] = {}
        for i in s.order:
            d = problem.layers[i].table.depth[idx[:, i]].astype(float)
            preds = [longest[p] for p in s.preds[i]]
            longest[i] = d + (np.max(preds, axis=0) if preds else 0.0)
        depth = np.max(list(longest.values()), axis=0)
        t = b / ((ii * b + depth) / f)
        res = np.sum([problem.layers[i].table.resources[idx[:, i]] for i in s.layers], axis=0)
        stage_res.append(res)
        total += res
        if s.reach > 0:
            limits.append(t / s.reach)
    return {
        "choice": idx,
        "throughput": np.min(limits, axis=0),
        "resources": total,
        "stage_resources": np.array(stage_res),
    }


def best_within(problem: Problem, brute: dict[str, np.ndarray], caps: np.ndarray) -> float | None:
    ok = np.all(brute["resources"] <= caps + 1e-9, axis=1)
    for cap in problem.stage_caps:
        ok &= brute["stage_resources"][cap.stage][:, cap.resource] <= cap.limit + 1e-9
    return float(brute["throughput"][ok].max()) if ok.any() else None
