"""
Corrupt models: truncated or byte-mutated files and models with mutated fields each
import or are refused with a clear `UserError` — never another exception, never an
internal error.
"""

from __future__ import annotations

from functools import cache

import onnx
from hypothesis import given, settings
from hypothesis import strategies as st
from onnx import AttributeProto

from atheena_ir.errors import UserError
from atheena_ir.onnx_frontend import import_onnx, import_onnx_bytes
from tests.onnx_frontend.onnx_builders import exit_model, rng_array, single_node

MUTANTS = settings(max_examples=80)


@cache
def _examples() -> tuple[bytes, ...]:
    models = [
        exit_model(exits=2),
        exit_model(opset=18, cast=False, threshold_source="initializer"),
        single_node(
            "Conv",
            [("x", [1, 2, 6, 6])],
            None,
            {"w": rng_array((3, 2, 3, 3)), "b": rng_array((3,))},
            13,
            pads=[1, 1, 1, 1],
        ),
        single_node("MaxPool", [("x", [1, 2, 6, 6])], None, None, 12, kernel_shape=[2, 2]),
    ]
    try:
        from atheena_ir.models import b_lenet

        models.append(b_lenet())
    except ImportError:
        pass
    return tuple(m.SerializeToString() for m in models)


def _imports_or_refuses(run) -> None:
    try:
        module = run()
    except UserError as err:
        message = str(err)
        assert message.strip()
        assert "internal error" not in message, message
        return
    module.verify()


@MUTANTS
@given(st.data())
def test_truncated_files(data) -> None:
    blob = data.draw(st.sampled_from(_examples()))
    cut = data.draw(st.integers(0, len(blob) - 1))
    _imports_or_refuses(lambda: import_onnx_bytes(blob[:cut], "cut.onnx"))


@MUTANTS
@given(st.data())
def test_byte_mutations(data) -> None:
    blob = bytearray(data.draw(st.sampled_from(_examples())))
    for _ in range(data.draw(st.integers(1, 8))):
        kind = data.draw(st.sampled_from(["set", "insert", "delete"]))
        pos = data.draw(st.integers(0, len(blob) - 1))
        if kind == "set":
            blob[pos] = data.draw(st.integers(0, 255))
        elif kind == "insert":
            blob.insert(pos, data.draw(st.integers(0, 255)))
        elif len(blob) > 1:
            del blob[pos]
    _imports_or_refuses(lambda: import_onnx_bytes(bytes(blob), "mutant.onnx"))


def _all_graphs(graph: onnx.GraphProto) -> list[onnx.GraphProto]:
    found = [graph]
    for node in graph.node:
        for attr in node.attribute:
            if attr.type == AttributeProto.GRAPH:
                found += _all_graphs(attr.g)
    return found


INTS = st.integers(-3, 9)


def _mutate(model: onnx.ModelProto, data) -> None:
    graphs = _all_graphs(model.graph)
    graph = data.draw(st.sampled_from(graphs))
    kind = data.draw(
        st.sampled_from(
            [
                "attr_int",
                "attr_ints",
                "attr_float",
                "op_type",
                "drop_input",
                "rename_input",
                "drop_node",
                "init_dims",
                "input_dims",
                "opset",
                "swap_nodes",
                "drop_attr",
            ]
        )
    )
    nodes = list(graph.node)
    node = data.draw(st.sampled_from(nodes)) if nodes else None
    if kind.startswith("attr") or kind == "drop_attr":
        if node is None or not node.attribute:
            return
        attr = data.draw(st.sampled_from(list(node.attribute)))
        if kind == "drop_attr":
            node.attribute.remove(attr)
        elif kind == "attr_int" and attr.type == AttributeProto.INT:
            attr.i = data.draw(INTS)
        elif kind == "attr_ints" and attr.type == AttributeProto.INTS:
            del attr.ints[:]
            attr.ints.extend(data.draw(st.lists(INTS, max_size=5)))
        elif kind == "attr_float" and attr.type == AttributeProto.FLOAT:
            attr.f = data.draw(st.floats(allow_nan=True, allow_infinity=True, width=32))
    elif kind == "op_type" and node is not None:
        node.op_type = data.draw(
            st.sampled_from(["Relu", "Gemm", "Conv", "Softmax", "If", "Foo", "Add", "Reshape"])
        )
    elif kind == "drop_input" and node is not None and node.input:
        del node.input[data.draw(st.integers(0, len(node.input) - 1))]
    elif kind == "rename_input" and node is not None and node.input:
        names = [o for n in nodes for o in n.output] + [i.name for i in graph.initializer]
        if names:
            node.input[data.draw(st.integers(0, len(node.input) - 1))] = data.draw(
                st.sampled_from(names)
            )
    elif kind == "drop_node" and node is not None:
        graph.node.remove(node)
    elif kind == "init_dims" and graph.initializer:
        init = data.draw(st.sampled_from(list(graph.initializer)))
        del init.dims[:]
        init.dims.extend(data.draw(st.lists(st.integers(0, 12), max_size=4)))
    elif kind == "input_dims" and graph.input:
        dims = graph.input[0].type.tensor_type.shape.dim
        if dims:
            dim = dims[data.draw(st.integers(0, len(dims) - 1))]
            value = data.draw(st.integers(-2, 40) | st.just("N"))
            if value == "N":
                dim.dim_param = "N"
            else:
                dim.dim_value = value
    elif kind == "opset":
        model.opset_import[0].version = data.draw(st.integers(1, 25))
    elif kind == "swap_nodes" and len(nodes) > 1:
        i = data.draw(st.integers(0, len(nodes) - 2))
        a, b = onnx.NodeProto(), onnx.NodeProto()
        a.CopyFrom(graph.node[i])
        b.CopyFrom(graph.node[i + 1])
        graph.node[i].CopyFrom(b)
        graph.node[i + 1].CopyFrom(a)


@MUTANTS
@given(st.data())
def test_field_mutations(data) -> None:
    model = onnx.ModelProto()
    model.ParseFromString(data.draw(st.sampled_from(_examples())))
    for _ in range(data.draw(st.integers(1, 3))):
        _mutate(model, data)
    _imports_or_refuses(lambda: import_onnx(model, "mutant.onnx"))
