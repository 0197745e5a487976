"""
Per-sample early-exit semantics on random networks: the batched interpreter agrees with
running each sample alone and with the independent numpy reference (every branch for
every sample, then a per-sample choice): the same exit and the same output per sample.
"""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from xdsl.dialects import func
from xdsl.dialects.builtin import ModuleOp, TensorType

from atheena_ir.dialects import ee
from atheena_ir.interpreter import Float32Arithmetic, run
from tests.ee_networks import early_exit_networks
from tests.interpreter.numpy_reference import reference, retune_thresholds


def _inputs(module: ModuleOp, n: int, seed: int) -> np.ndarray:
    main = next(op for op in module.walk() if isinstance(op, func.FuncOp))
    typ = main.function_type.inputs.data[0]
    assert isinstance(typ, TensorType)
    shape = tuple(typ.get_shape())[1:]
    return np.random.default_rng(seed).standard_normal((n, *shape)).astype(np.float32)


def _close(actual: np.ndarray, expected: np.ndarray, rtol: float) -> None:
    scale = max(1.0, float(np.abs(expected).max(initial=0.0)))
    np.testing.assert_allclose(actual, expected, rtol=rtol, atol=rtol * scale)


@settings(max_examples=40)
@given(
    early_exit_networks(min_exits=1),
    st.integers(1, 12),
    st.integers(0, 2**16),
    st.booleans(),
)
def test_batched_equals_alone_and_reference(
    module: ModuleOp, n: int, seed: int, retune: bool
) -> None:
    x = _inputs(module, n, seed)
    if retune:
        retune_thresholds(module, reference(module, x))
    ref = reference(module, x)
    clear = ~ref.ambiguous()

    batched = run(module, x)
    assert batched.output.shape == ref.output.shape
    assert batched.exit_index.shape == (n,)
    np.testing.assert_array_equal(batched.exit_index[clear], ref.exit_index[clear])
    _close(batched.output[clear], ref.output[clear].astype(np.float32), 1e-4)

    for i in range(n):
        alone = run(module, x[i : i + 1])
        if clear[i]:
            assert alone.exit_index[0] == batched.exit_index[i]
            _close(alone.output[0], batched.output[i], 1e-5)


class CountingArithmetic(Float32Arithmetic):
    """Float32, recording how many rows each linear layer computes."""

    def __init__(self) -> None:
        self.linear_rows: list[int] = []

    def linear(self, x: np.ndarray, w: np.ndarray, b: np.ndarray | None) -> np.ndarray:
        self.linear_rows.append(x.shape[0])
        return super().linear(x, w, b)


@settings(max_examples=30)
@given(early_exit_networks(min_exits=1, max_exits=1), st.integers(0, 2**16))
def test_exit_region_runs_only_for_continuing_samples(module: ModuleOp, seed: int) -> None:
    """The one linear layer inside the exit's region sees exactly the samples that stay."""
    x = _inputs(module, 10, seed)
    retune_thresholds(module, reference(module, x))
    arith = CountingArithmetic()
    res = run(module, x, arith)
    exit_op = next(op for op in module.walk() if isinstance(op, ee.ExitOp))
    inside = sum(isinstance(op, ee.LinearOp) for op in exit_op.rest.walk())
    assert inside == 1
    stayed = int((res.exit_index == 1).sum())
    assert arith.linear_rows[0] == 10
    assert arith.linear_rows[1:] == ([stayed] if stayed else [])
