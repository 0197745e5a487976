"""Every pass keeps the network's answers: same outputs, same exit per sample (interpreter)."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from xdsl.dialects.builtin import ModuleOp
from xdsl.passes import ModulePass
from xdsl.transforms.canonicalize import CanonicalizePass

import atheena_ir
from atheena_ir.dialects import ee
from atheena_ir.interpreter import run
from atheena_ir.passes.split_exits import SplitExitsPass
from tests.ee_networks import early_exit_networks


def _inputs(module: ModuleOp, seed: int, n: int = 24) -> np.ndarray:
    arg = next(op for op in module.walk() if op.name == "func.func").body.block.args[0]
    shape = (n, *arg.type.get_shape()[1:])  # type: ignore[attr-defined]
    return np.random.default_rng(seed).standard_normal(shape).astype(np.float32)


def _exits(module: ModuleOp) -> int:
    return sum(isinstance(op, ee.ExitOp) for op in module.walk())


def _check(module: ModuleOp, passes: list[ModulePass], seed: int) -> ModuleOp:
    x = _inputs(module, seed)
    before = run(module, x)
    after_module = module.clone()
    for p in passes:
        p.apply(atheena_ir.context(), after_module)
    after_module.verify()
    after = run(after_module, x)
    np.testing.assert_array_equal(after.exit_index, before.exit_index)
    np.testing.assert_allclose(after.output, before.output, rtol=1e-5, atol=1e-5)
    return after_module


@settings(max_examples=40)
@given(early_exit_networks(min_exits=1, max_exits=4), st.integers(0, 1000))
def test_split_exits_keeps_outputs_and_exit_choices(module: ModuleOp, seed: int) -> None:
    n = _exits(module)
    probs = tuple([round(0.8 / n, 6)] * n)
    after = _check(module, [SplitExitsPass(exit_probs=probs)], seed)
    stages = [op for op in after.walk() if isinstance(op, ee.StageOp)]
    assert len(stages) == n + 1
    assert [round(s.reach.value.data, 6) for s in stages] == [
        round(1 - sum(probs[:k]), 6) for k in range(n + 1)
    ]
    assert not any(isinstance(op, ee.ExitOp) for op in after.walk())


@settings(max_examples=40)
@given(early_exit_networks(max_exits=3), st.integers(0, 1000))
def test_canonicalize_keeps_outputs_and_exit_choices(module: ModuleOp, seed: int) -> None:
    after = _check(module, [CanonicalizePass()], seed)
    fusable = [
        op
        for op in after.walk()
        if isinstance(op, ee.BatchNormOp)
        and isinstance(op.input.owner, ee.Conv2dOp | ee.LinearOp)
        and op.input.has_one_use()
    ]
    assert fusable == []


@settings(max_examples=25)
@given(early_exit_networks(min_exits=1, max_exits=3), st.integers(0, 1000))
def test_canonicalize_then_split(module: ModuleOp, seed: int) -> None:
    n = _exits(module)
    _check(module, [CanonicalizePass(), SplitExitsPass(exit_probs=(0.1,) * n)], seed)
