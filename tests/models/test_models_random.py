"""Property: random early-exit networks (1 to 4 early exits) build, check and run correctly."""

from __future__ import annotations

import numpy as np
import onnx
from hypothesis import given, settings
from hypothesis import strategies as st

from atheena_ir.models import MAX_OPSET, MIN_OPSET, random_early_exit_network


@settings(max_examples=50, deadline=None)
@given(
    seed=st.integers(0, 2**32 - 1),
    early_exits=st.integers(1, 4),
    opset=st.integers(MIN_OPSET, MAX_OPSET),
    reduce_axes=st.booleans(),
)
def test_random_networks(
    seed: int, early_exits: int, opset: int, reduce_axes: bool, run_ort, expected_exits
) -> None:
    """Each random network passes the checker, and onnxruntime takes the oracle's exits."""
    net = random_early_exit_network(seed, num_early_exits=early_exits)
    model = net.build(opset, seed=seed % 1000, reduce_axes=reduce_axes)
    onnx.checker.check_model(model, full_check=True)
    onnx.shape_inference.infer_shapes(model, strict_mode=True)
    ifs = 0
    graph = model.graph
    while True:
        node = next((n for n in graph.node if n.op_type == "If"), None)
        if node is None:
            break
        ifs += 1
        graph = node.attribute[1].g
    assert ifs == early_exits
    xs = np.random.default_rng(seed).standard_normal((3, *net.input_shape)).astype(np.float32)
    got = run_ort(model, xs)
    assert got.shape == (3, net.num_classes)
    assert np.isfinite(got).all()
    _, want, safe = expected_exits(net, model, xs, opset)
    assert safe.any()
    np.testing.assert_allclose(got[safe], want[safe], rtol=1e-4, atol=1e-4)


def test_random_networks_are_reproducible() -> None:
    """The same seed draws the same network and the same bytes."""
    a = random_early_exit_network(123).build()
    b = random_early_exit_network(123).build()
    assert a.SerializeToString() == b.SerializeToString()


def test_random_networks_reach_every_exit(run_ort, expected_exits) -> None:
    """Over a few draws, the oracle sees early and final exits taken (the test has teeth)."""
    taken: set[str] = set()
    for seed in range(6):
        net = random_early_exit_network(seed, num_early_exits=2)
        model = net.build()
        xs = np.random.default_rng(seed).standard_normal((6, *net.input_shape)).astype(np.float32)
        exits, _, _ = expected_exits(net, model, xs, 12)
        taken |= {"early" if e < net.num_exits - 1 else "final" for e in exits}
    assert taken == {"early", "final"}
