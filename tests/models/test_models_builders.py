"""The ATHEENA example networks and the general builder: validity, semantics, determinism."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import onnx
import pytest
from onnx import numpy_helper

from atheena_ir.models import (
    MAX_OPSET,
    MIN_OPSET,
    EarlyExitNetwork,
    alexnet_backbone,
    avgpool,
    b_alexnet,
    b_alexnet_network,
    b_lenet,
    b_lenet_network,
    batchnorm,
    build_early_exit_model,
    conv,
    dropout,
    flatten,
    global_avgpool,
    lenet_backbone,
    linear,
    maxpool,
    relu,
    triple_wins,
    triple_wins_backbone,
    triple_wins_network,
)

BUILDERS: dict[str, tuple[Callable[..., onnx.ModelProto], tuple[int, ...]]] = {
    "b_lenet": (b_lenet, (1, 28, 28)),
    "lenet_backbone": (lenet_backbone, (1, 28, 28)),
    "triple_wins": (triple_wins, (1, 28, 28)),
    "triple_wins_backbone": (triple_wins_backbone, (1, 28, 28)),
    "b_alexnet": (b_alexnet, (3, 32, 32)),
    "alexnet_backbone": (alexnet_backbone, (3, 32, 32)),
}


def _all_ops(graph: onnx.GraphProto) -> list[onnx.NodeProto]:
    """Every node of `graph` and of its subgraphs, in order."""
    nodes = []
    for node in graph.node:
        nodes.append(node)
        for attr in node.attribute:
            if attr.type == onnx.AttributeProto.GRAPH:
                nodes += _all_ops(attr.g)
    return nodes


def _check(model: onnx.ModelProto) -> None:
    """The ONNX checker (full) and strict shape inference."""
    onnx.checker.check_model(model, full_check=True)
    onnx.shape_inference.infer_shapes(model, check_type=True, strict_mode=True)


def _inputs(shape: tuple[int, ...], n: int, seed: int = 0) -> np.ndarray:
    """`n` random inputs in [0, 1] of shape `shape` (no batch)."""
    return np.random.default_rng(seed).random((n, *shape), dtype=np.float32)


@pytest.mark.parametrize("name", list(BUILDERS))
def test_example_models_check_and_run(name: str, run_ort) -> None:
    """Each example model passes the checker and runs with a `[1, 10]` finite output."""
    build, shape = BUILDERS[name]
    model = build()
    _check(model)
    assert [d.dim_value for d in model.graph.input[0].type.tensor_type.shape.dim] == [1, *shape]
    assert model.graph.input[0].name == "input"
    assert model.graph.output[0].name == "exit"
    assert model.opset_import[0].version == 12
    out = run_ort(model, _inputs(shape, 4))
    assert out.shape == (4, 10)
    assert np.isfinite(out).all()
    # He-normal scale: the logits neither explode nor vanish on [0, 1] inputs.
    assert 0.05 < float(np.std(out)) < 50.0


@pytest.mark.parametrize("name", list(BUILDERS))
def test_example_models_are_deterministic(name: str) -> None:
    """Two builds give the same bytes; another seed gives other weights."""
    build, _ = BUILDERS[name]
    assert build().SerializeToString() == build().SerializeToString()
    assert build(seed=1).SerializeToString() != build().SerializeToString()


@pytest.mark.parametrize(
    ("name", "ifs", "threshold"),
    [("b_lenet", 1, 0.996), ("triple_wins", 1, 0.6), ("b_alexnet", 1, 0.6)],
)
def test_exit_form(name: str, ifs: int, threshold: float) -> None:
    """The early exit is Softmax -> ReduceMax -> Constant -> Greater -> Cast -> If."""
    model = BUILDERS[name][0]()
    ops = [n.op_type for n in model.graph.node]
    assert ops.count("If") == ifs
    at = ops.index("Softmax")
    assert ops[at : at + 6] == ["Softmax", "ReduceMax", "Constant", "Greater", "Cast", "If"]
    constant = model.graph.node[at + 2]
    assert numpy_helper.to_array(constant.attribute[0].t).tolist() == [np.float32(threshold)]
    if_node = model.graph.node[at + 5]
    then_graph, else_graph = (a.g for a in if_node.attribute)
    assert [a.name for a in if_node.attribute] == ["then_branch", "else_branch"]
    assert [n.op_type for n in then_graph.node] == ["Identity"]
    assert not then_graph.input
    assert not else_graph.input
    assert not then_graph.initializer
    assert not else_graph.initializer


def test_layer_lists() -> None:
    """The classifier sizes of atheena.md section 5."""

    def gemm_shapes(model: onnx.ModelProto) -> list[list[int]]:
        inits = {i.name: list(i.dims) for i in model.graph.initializer}
        return [inits[n.input[1]] for n in _all_ops(model.graph) if n.op_type == "Gemm"]

    assert gemm_shapes(b_lenet()) == [[10, 640], [10, 720]]
    assert gemm_shapes(triple_wins()) == [
        [200, 576],
        [200, 200],
        [10, 200],
        [200, 1024],
        [200, 200],
        [10, 200],
    ]
    assert gemm_shapes(b_alexnet()) == [[10, 288], [256, 576], [128, 256], [10, 128]]
    assert gemm_shapes(lenet_backbone()) == [[10, 720]]


@pytest.mark.parametrize(
    "net", [b_lenet_network(0.5), triple_wins_network(0.3), b_alexnet_network(0.2)]
)
def test_per_sample_exit_semantics(net: EarlyExitNetwork, run_ort, expected_exits) -> None:
    """The `If` output is the first confident exit's logits (checked against per-exit models)."""
    model = net.build()
    xs = _inputs(net.input_shape, 8, seed=3)
    got = run_ort(model, xs)
    _, want, safe = expected_exits(net, model, xs, 12)
    np.testing.assert_allclose(got[safe], want[safe], rtol=1e-5, atol=1e-5)


def test_thresholds_zero_and_one(run_ort) -> None:
    """Threshold 0 always takes the early exit; threshold 1 never does (= the backbone)."""
    xs = _inputs((1, 28, 28), 4, seed=5)
    always, never = b_lenet(0.0), b_lenet(1.0)
    exit0 = b_lenet_network().exit_model(0, always)
    np.testing.assert_allclose(run_ort(always, xs), run_ort(exit0, xs), rtol=1e-6, atol=1e-6)
    # The backbone with B-LeNet's weights renamed: stage 1 + stage 2 in one segment.
    rename = {f"backbone.1.{i}": f"backbone.0.{3 + i}" for i in range(7)}
    rename["exits.1.0"] = "exits.0.0"
    weights = {}
    for init in never.graph.initializer:
        prefix, _, leaf = init.name.rpartition(".")
        if prefix in rename or prefix.startswith("backbone.0"):
            weights[f"{rename.get(prefix, prefix)}.{leaf}"] = numpy_helper.to_array(init)
    backbone = lenet_backbone(weights=weights)
    np.testing.assert_allclose(run_ort(never, xs), run_ort(backbone, xs), rtol=1e-5, atol=1e-5)


def _kitchen_sink(reduce_axes: bool) -> EarlyExitNetwork:
    """A 3-exit network using the whole layer vocabulary."""
    return EarlyExitNetwork(
        (
            (conv(6, 3, pad=1, bias=False), batchnorm(), relu()),
            (conv(6, 3, stride=2, pad=(0, 1, 1, 0), groups=3), relu(), avgpool(2)),
            (conv(8, 3, pad=2, dilation=2), dropout(0.25), relu(), maxpool(3, 1, 1), flatten()),
        ),
        (
            (global_avgpool(), flatten(), linear(5)),
            (maxpool(2), flatten(), linear(12), relu(), dropout(), linear(None, bias=False)),
            (linear(5),),
        ),
        (0.4, 0.5),
        (3, 12, 12),
        5,
        name="kitchen_sink",
    )


@pytest.mark.parametrize("opset", range(MIN_OPSET, MAX_OPSET + 1))
@pytest.mark.parametrize("reduce_axes", [False, True])
def test_every_opset(opset: int, reduce_axes: bool, run_ort, expected_exits) -> None:
    """Opsets 9 to 21: B-LeNet and a 3-exit all-layer network check, run and exit right."""
    lenet = b_lenet(opset=opset)
    _check(lenet)
    assert run_ort(lenet, _inputs((1, 28, 28), 1)).shape == (1, 10)
    net = _kitchen_sink(reduce_axes)
    model = net.build(opset, reduce_axes=reduce_axes)
    _check(model)
    assert model.opset_import[0].version == opset
    reduce = next(n for n in _all_ops(model.graph) if n.op_type == "ReduceMax")
    assert len(reduce.input) == (2 if reduce_axes and opset >= 18 else 1)
    xs = _inputs((3, 12, 12), 6, seed=opset)
    got = run_ort(model, xs)
    _, want, safe = expected_exits(net, model, xs, opset)
    np.testing.assert_allclose(got[safe], want[safe], rtol=1e-5, atol=1e-5)


def test_nested_ifs() -> None:
    """Exit k+1's decision and If live in the else-branch of exit k."""
    model = _kitchen_sink(False).build()
    outer = next(n for n in model.graph.node if n.op_type == "If")
    else_graph = outer.attribute[1].g
    inner = [n for n in else_graph.node if n.op_type == "If"]
    assert len(inner) == 1
    assert [n.op_type for n in inner[0].attribute[1].g.node if n.op_type == "If"] == []
    names = [n.name for n in _all_ops(model.graph)]
    assert len(names) == len(set(names))
    assert [int(n.rpartition("_")[2]) for n in names] == list(range(len(names)))


def test_weights_override() -> None:
    """Given weights replace the seeded ones; wrong shapes and unknown names are refused."""
    w = np.full((10, 640), 0.5, np.float32)
    model = b_lenet(weights={"exits.0.4.weight": w})
    init = next(i for i in model.graph.initializer if i.name == "exits.0.4.weight")
    assert (numpy_helper.to_array(init) == w).all()
    with pytest.raises(ValueError, match="shape"):
        b_lenet(weights={"exits.0.4.weight": np.zeros((10, 64), np.float32)})
    with pytest.raises(ValueError, match="no parameter"):
        b_lenet(weights={"exits.9.weight": w})


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"thresholds": ()}, "threshold"),
        ({"exit_branches": ((flatten(), linear(10)),)}, "one exit branch per"),
        ({"thresholds": (1.5,)}, r"\[0, 1\]"),
        ({"input_shape": (1, 3, 3)}, "does not fit"),
        ({"opset": 8}, "opset"),
        ({"num_classes": 7}, "logits"),
    ],
)
def test_invalid_networks(kwargs: dict, match: str) -> None:
    """Malformed descriptions give a `ValueError` that says what is wrong."""
    args = {
        "backbone_segments": ((conv(4, 3), relu()), (maxpool(2),)),
        "exit_branches": ((flatten(), linear(10)), (flatten(), linear(10))),
        "thresholds": (0.5,),
        "input_shape": (1, 12, 12),
        "num_classes": 10,
    }
    args.update(kwargs)
    with pytest.raises(ValueError, match=match):
        build_early_exit_model(**args)


def test_linear_needs_flatten() -> None:
    """A linear layer on a feature map is refused with a hint."""
    with pytest.raises(ValueError, match="flatten"):
        build_early_exit_model([[conv(2, 3)]], [[linear(3)]], [], (1, 8, 8), 3)
