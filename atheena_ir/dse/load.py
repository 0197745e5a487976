"""From an ONNX model to the search problems of its early-exit design and its baseline."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import onnx
from xdsl.context import Context
from xdsl.dialects.builtin import ModuleOp
from xdsl.utils.exceptions import PassFailedException

from atheena_ir.cost.model import CostModel
from atheena_ir.cost.platform import Platform
from atheena_ir.dialects import ee
from atheena_ir.dse.baseline import strip_exits
from atheena_ir.dse.constraints import Constraints
from atheena_ir.dse.problem import Problem, build_problem
from atheena_ir.errors import UserError


def load_model(source: str | Path | onnx.ModelProto) -> ModuleOp:
    """Import an ONNX model (a path or a ModelProto) into `ee`."""
    from atheena_ir.onnx_frontend.importer import import_onnx, import_onnx_file

    if isinstance(source, onnx.ModelProto):
        return import_onnx(source)
    path = Path(source)
    if not path.is_file():
        raise UserError(f"{path}: no such file")
    return import_onnx_file(path)


def exit_count(module: ModuleOp) -> int:
    """The number of `ee.exit` ops."""
    return sum(1 for op in module.walk() if isinstance(op, ee.ExitOp))


def split(module: ModuleOp, exit_probs: Sequence[float] = ()) -> ModuleOp:
    """``module`` cut into stages (split-exits); a network without exits is returned as is."""
    from atheena_ir.passes.split_exits import SplitExitsPass

    if exit_count(module) == 0:
        return module
    try:
        SplitExitsPass(exit_probs=tuple(exit_probs)).apply(Context(), module)
    except PassFailedException as err:
        raise UserError(str(err)) from None
    return module


def problems(
    model: str | Path | onnx.ModelProto,
    platform: Platform,
    exit_probs: Sequence[float] = (),
    baseline: str | Path | onnx.ModelProto | None = None,
    *,
    batch: int = 1024,
    cost_model: CostModel | None = None,
    constraints: Constraints | None = None,
) -> tuple[Problem, Problem]:
    """The problems of the early-exit design and of its baseline (``baseline`` or the same
    network with its exits removed). Constraints apply to both; for the baseline, rules that
    name layers or stages it lacks are ignored."""
    module = load_model(model)
    base = load_model(baseline) if baseline is not None else strip_exits(module)
    if exit_count(base):
        raise UserError("the baseline model has exits; give a network without exits")
    ee_problem = build_problem(
        split(module, exit_probs), platform, batch=batch, model=cost_model,
        constraints=constraints,
    )  # fmt: skip
    base_problem = build_problem(
        base, platform, batch=batch, model=cost_model,
        constraints=constraints.lenient() if constraints else None,
    )  # fmt: skip
    return ee_problem, base_problem
