"""Shared helpers of the example-model tests: onnxruntime runs and the per-sample exit oracle."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import onnx
import pytest

from atheena_ir.models import EarlyExitNetwork

ort = pytest.importorskip("onnxruntime")

RunFn = Callable[[onnx.ModelProto, np.ndarray], np.ndarray]


def _run(model: onnx.ModelProto, xs: np.ndarray) -> np.ndarray:
    """Run `model` on every sample of `xs` (batch 1 each); stack the `[classes]` outputs."""
    sess = ort.InferenceSession(model.SerializeToString(), providers=["CPUExecutionProvider"])
    name = sess.get_inputs()[0].name
    return np.stack([sess.run(None, {name: x[None]})[0][0] for x in xs])


def _softmax_max(logits: np.ndarray) -> np.ndarray:
    """Top-1 softmax confidence of each row, in float64."""
    z = logits.astype(np.float64)
    z = np.exp(z - z.max(axis=1, keepdims=True))
    return (z / z.sum(axis=1, keepdims=True)).max(axis=1)


def _expected_exits(
    net: EarlyExitNetwork, model: onnx.ModelProto, xs: np.ndarray, opset: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """
    Per sample: the exit the model should take, its logits, and whether the decision is safe
    (no confidence within 1e-5 of a threshold, where float rounding could flip it).
    """
    logits = [_run(net.exit_model(k, model, opset=opset), xs) for k in range(net.num_exits)]
    exits = np.full(len(xs), net.num_exits - 1)
    safe = np.ones(len(xs), dtype=bool)
    decided = np.zeros(len(xs), dtype=bool)
    for k, thr in enumerate(net.thresholds):
        conf = _softmax_max(logits[k])
        safe &= decided | (np.abs(conf - thr) > 1e-5)
        take = ~decided & (conf > thr)
        exits[take] = k
        decided |= take
    chosen = np.stack([logits[e][i] for i, e in enumerate(exits)])
    return exits, chosen, safe


@pytest.fixture(scope="session")
def run_ort() -> RunFn:
    """`run_ort(model, xs)`: per-sample onnxruntime outputs `[N, classes]`."""
    return _run


@pytest.fixture(scope="session")
def expected_exits() -> Callable[..., tuple[np.ndarray, np.ndarray, np.ndarray]]:
    """`expected_exits(net, model, xs, opset)`: oracle exits, their logits, safe mask."""
    return _expected_exits
