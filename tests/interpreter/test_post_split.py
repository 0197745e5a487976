"""
Post-split semantics on hand-built stage graphs: values held by a subset of the samples
flow through conditional buffers and later stages, and the exit merge reassembles every
sample's result in order; outputs and exits equal those of the unsplit network.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from xdsl.builder import Builder
from xdsl.dialects import func
from xdsl.dialects.builtin import ModuleOp, TensorType, f32
from xdsl.ir import Block, Region, SSAValue
from xdsl.rewriter import InsertPoint

from atheena_ir.dialects import ee
from atheena_ir.errors import UserError
from atheena_ir.interpreter import run
from tests.interpreter.numpy_reference import reference, retune_thresholds
from tests.interpreter.staged_networks import Weights, split, unsplit


@settings(max_examples=30)
@given(
    st.integers(1, 3),
    st.integers(1, 3),
    st.integers(3, 6),
    st.integers(2, 5),
    st.integers(0, 2**16),
    st.integers(1, 16),
)
def test_split_graph_equals_unsplit(
    exits: int, channels: int, size: int, classes: int, seed: int, n: int
) -> None:
    w = Weights(exits, channels, size, classes, seed)
    x = np.random.default_rng(seed + 1).standard_normal((n, channels, size, size))
    x = x.astype(np.float32)
    plain = unsplit(w)
    retune_thresholds(plain, reference(plain, x))
    w.thresholds = [
        op.threshold.value.data for op in plain.walk() if isinstance(op, ee.ExitDecisionOp)
    ]
    expected = run(plain, x)
    staged = run(split(w), x)
    out, exit_index = staged.outputs
    np.testing.assert_array_equal(staged.exit_index, expected.exit_index)
    np.testing.assert_array_equal(exit_index, expected.exit_index)
    np.testing.assert_allclose(out, expected.output, rtol=1e-6, atol=1e-6)


def test_every_exit_taken_in_a_three_exit_split_graph() -> None:
    w = Weights(3, 2, 5, 4, seed=7)
    x = np.random.default_rng(0).standard_normal((64, 2, 5, 5)).astype(np.float32)
    plain = unsplit(w)
    retune_thresholds(plain, reference(plain, x))
    w.thresholds = [
        op.threshold.value.data for op in plain.walk() if isinstance(op, ee.ExitDecisionOp)
    ]
    staged = run(split(w), x)
    assert set(staged.exit_index.tolist()) == {0, 1, 2, 3}
    np.testing.assert_array_equal(staged.exit_index, run(plain, x).exit_index)


def _module(body: Callable[[Builder, SSAValue], list[SSAValue]]) -> ModuleOp:
    """`@main` of one `[1, 4]` input whose body `body(builder, arg)` builds and returns."""
    typ = TensorType(f32, [1, 4])
    block = Block(arg_types=[typ])
    b = Builder(InsertPoint.at_end(block))
    results = body(b, block.args[0])
    b.insert(func.ReturnOp(*results))
    fn = func.FuncOp("main", ([typ], [r.type for r in results]), Region(block))
    return ModuleOp([fn])


def test_a_sample_reaching_the_merge_twice_is_an_error() -> None:
    def body(b: Builder, x: SSAValue) -> list[SSAValue]:
        merge = b.insert(ee.ExitMergeOp([x, x]))
        return [merge.output]

    module = _module(body)
    with pytest.raises(UserError, match="sample 0 arrives from more than one input"):
        run(module, np.zeros((2, 4), np.float32))


def test_returning_a_subset_value_is_an_error() -> None:
    def body(b: Builder, x: SSAValue) -> list[SSAValue]:
        d = b.insert(ee.ExitDecisionOp(x, 0.5)).decision
        return [b.insert(ee.CondBufferOp(x, d, "exit")).output]

    module = _module(body)
    x = np.array([[9, 0, 0, 0], [0, 0, 0, 0]], np.float32)
    with pytest.raises(UserError, match="holds only 1 of the 2 samples"):
        run(module, x)
