"""The project's B-LeNet has the structure of the real ATHEENA export (skips without that file)."""

from __future__ import annotations

from pathlib import Path

import onnx
import pytest
from onnx import helper

from atheena_ir.models import b_lenet, lenet_backbone
from tests.conftest import ATHEENA_MODELS, NO_ATHEENA_MODEL

BLENET = ATHEENA_MODELS / "branchy_lenet_20220902.onnx"
BACKBONE = ATHEENA_MODELS / "lenet_backbone.onnx"


def _load(path: Path) -> onnx.ModelProto:
    """Load one of ATHEENA's model files or skip when it is not there."""
    if not path.exists():
        pytest.skip(NO_ATHEENA_MODEL)
    return onnx.load(path)


def _flat(graph: onnx.GraphProto) -> list[tuple]:
    """`(name, op, inputs, outputs, attributes)` of every node, subgraphs inlined in order.

    Weight names are left out (the project names them after its own layer lists); graph
    attributes are replaced by their position (then/else) and tensor ones by their value.
    """
    weights = {init.name for init in graph.initializer}
    rows: list[tuple] = []

    def walk(g: onnx.GraphProto) -> None:
        for node in g.node:
            attrs = []
            for attr in node.attribute:
                if attr.type == onnx.AttributeProto.GRAPH:
                    attrs.append((attr.name, "graph"))
                elif attr.type == onnx.AttributeProto.TENSOR:
                    attrs.append((attr.name, onnx.numpy_helper.to_array(attr.t).tolist()))
                else:
                    attrs.append((attr.name, helper.get_attribute_value(attr)))
            inputs = ["<w>" if i in weights else i for i in node.input]
            rows.append((node.name, node.op_type, inputs, list(node.output), attrs))
            for attr in node.attribute:
                if attr.type == onnx.AttributeProto.GRAPH:
                    rows.append(("<branch>", attr.name))
                    walk(attr.g)
                    rows.append(("<end>", attr.name, [o.name for o in attr.g.output]))

    walk(graph)
    return rows


def _io(model: onnx.ModelProto) -> list[tuple[str, list[int]]]:
    """Names and shapes of the graph inputs and outputs."""
    return [
        (v.name, [d.dim_value for d in v.type.tensor_type.shape.dim])
        for v in [*model.graph.input, *model.graph.output]
    ]


def test_blenet_matches_atheena_export() -> None:
    """Same nodes, names, attributes, tensor numbering, branches, I/O, opset and weight shapes."""
    ref = _load(BLENET)
    ours = b_lenet()
    assert _flat(ours.graph) == _flat(ref.graph)
    assert [n.op_type for n in ours.graph.node] == [n.op_type for n in ref.graph.node]
    assert _io(ours) == _io(ref) == [("input", [1, 1, 28, 28]), ("exit", [1, 10])]
    assert ours.opset_import[0].version == ref.opset_import[0].version == 12
    assert [list(i.dims) for i in ours.graph.initializer] == [
        list(i.dims) for i in ref.graph.initializer
    ]


def test_backbone_matches_atheena_export() -> None:
    """The no-exit LeNet backbone has the nodes and weight shapes of `lenet_backbone.onnx`."""
    ref = _load(BACKBONE)
    ours = lenet_backbone()
    assert [(n.name, n.op_type) for n in ours.graph.node] == [
        (n.name, n.op_type) for n in ref.graph.node
    ]
    ours_attrs = [[helper.get_attribute_value(a) for a in n.attribute] for n in ours.graph.node]
    ref_attrs = [[helper.get_attribute_value(a) for a in n.attribute] for n in ref.graph.node]
    assert ours_attrs == ref_attrs
    assert [list(i.dims) for i in ours.graph.initializer] == [
        list(i.dims) for i in ref.graph.initializer
    ]
