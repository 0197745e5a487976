"""
Every supported op, one-node (or small) models over varied attributes and opsets: the
import verifies, yields the expected `ee` op and matches onnxruntime numerically.
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from onnx import TensorProto, helper, numpy_helper

from atheena_ir.onnx_frontend import import_onnx
from tests.onnx_frontend.numeric import check_import
from tests.onnx_frontend.onnx_builders import make_model, rng_array, single_node
from tests.onnx_frontend.test_roundtrip import assert_round_trips

OPSETS = st.sampled_from([9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21])
FEW = settings(max_examples=25)


@FEW
@given(
    opset=OPSETS,
    channels=st.integers(1, 3),
    groups=st.integers(1, 2),
    filters_per_group=st.integers(1, 2),
    kernel=st.integers(1, 3),
    stride=st.integers(1, 2),
    dilation=st.integers(1, 2),
    pad=st.integers(0, 2),
    auto_pad=st.sampled_from(["NOTSET", "SAME_UPPER", "SAME_LOWER", "VALID"]),
    bias=st.booleans(),
    size=st.integers(5, 8),
)
def test_conv(
    opset, channels, groups, filters_per_group, kernel, stride, dilation, pad, auto_pad, bias, size
) -> None:
    in_ch = channels * groups
    filters = filters_per_group * groups
    inits = {"w": rng_array((filters, channels, kernel, kernel), 1)}
    if bias:
        inits["b"] = rng_array((filters,), 2)
    attrs: dict[str, object] = {"strides": [stride] * 2, "dilations": [dilation] * 2}
    if auto_pad == "NOTSET":
        attrs["pads"] = [pad, pad, pad + 1 if pad < kernel else pad, pad]
    else:
        attrs["auto_pad"] = auto_pad
    if groups > 1:
        attrs["group"] = groups
    model = single_node("Conv", [("x", [1, in_ch, size, size])], None, inits, opset, **attrs)
    # onnxruntime has no dilated SAME convolution: check those without running them
    numeric = dilation == 1 or not auto_pad.startswith("SAME")
    module = check_import(model, "ee.conv2d", numeric=numeric)
    assert_round_trips(module)


@FEW
@given(
    opset=OPSETS,
    kind=st.sampled_from(["MaxPool", "AveragePool"]),
    kernel=st.integers(1, 3),
    stride=st.integers(1, 3),
    pad=st.integers(0, 1),
    auto_pad=st.sampled_from(["NOTSET", "SAME_UPPER", "VALID"]),
    count_include_pad=st.integers(0, 1),
    size=st.integers(4, 8),
)
def test_pools(opset, kind, kernel, stride, pad, auto_pad, count_include_pad, size) -> None:
    assume(pad < kernel)
    attrs: dict[str, object] = {"kernel_shape": [kernel, kernel], "strides": [stride] * 2}
    if auto_pad == "NOTSET":
        attrs["pads"] = [pad] * 4
    else:
        attrs["auto_pad"] = auto_pad
    if kind == "AveragePool":
        attrs["count_include_pad"] = count_include_pad
    model = single_node(kind, [("x", [1, 2, size, size])], None, None, opset, **attrs)
    # onnxruntime refuses SAME pooling with a stride above the kernel (negative padding)
    numeric = auto_pad != "SAME_UPPER" or stride <= kernel
    op = "ee.maxpool2d" if kind == "MaxPool" else "ee.avgpool2d"
    assert_round_trips(check_import(model, op, numeric=numeric))


def test_maxpool_ceil_mode_that_keeps_the_shape() -> None:
    attrs = {"kernel_shape": [2, 2], "strides": [2, 2], "ceil_mode": 1}
    check_import(
        single_node("MaxPool", [("x", [1, 2, 8, 8])], None, None, 12, **attrs), "ee.maxpool2d"
    )


@pytest.mark.parametrize("opset", [9, 13, 21])
def test_global_average_pool(opset: int) -> None:
    model = single_node("GlobalAveragePool", [("x", [1, 3, 5, 4])], None, None, opset)
    check_import(model, "ee.global_avgpool")


@FEW
@given(
    opset=OPSETS,
    k=st.integers(1, 6),
    m=st.integers(1, 5),
    alpha=st.sampled_from([1.0, 0.5, -2.0]),
    beta=st.sampled_from([1.0, 0.25, 0.0]),
    trans_b=st.integers(0, 1),
    bias_shape=st.sampled_from(["m", "1m", "scalar", "none"]),
)
def test_gemm(opset, k, m, alpha, beta, trans_b, bias_shape) -> None:
    assume(bias_shape != "none" or opset >= 11)
    b = rng_array((m, k) if trans_b else (k, m), 3)
    inits = {"B": b}
    if bias_shape != "none":
        shape = {"m": (m,), "1m": (1, m), "scalar": (1,)}[bias_shape]
        inits["C"] = rng_array(shape, 4)
    attrs = {"alpha": alpha, "beta": beta, "transB": trans_b}
    model = single_node("Gemm", [("x", [1, k])], None, inits, opset, **attrs)
    check_import(model, "ee.linear")


@pytest.mark.parametrize("opset", [9, 13, 21])
@pytest.mark.parametrize("with_add", [False, True])
def test_matmul_and_matmul_add(opset: int, with_add: bool) -> None:
    nodes = [helper.make_node("MatMul", ["x", "W"], ["mm"], name="MatMul_0")]
    inits = {"W": rng_array((6, 4), 5)}
    out = "mm"
    if with_add:
        nodes.append(helper.make_node("Add", ["mm", "bias"], ["y"], name="Add_1"))
        inits["bias"] = rng_array((4,), 6)
        out = "y"
    model = make_model(nodes, [("x", [1, 6])], [(out, [1, 4])], inits, opset)
    module = check_import(model, "ee.linear")
    names = [op.name for op in module.walk()]
    assert "ee.add" not in names
    linear = next(op for op in module.walk() if op.name == "ee.linear")
    assert (linear.bias is not None) == with_add  # type: ignore[attr-defined]
    assert_round_trips(module)


def test_conv_then_per_channel_add_folds_into_the_bias() -> None:
    nodes = [
        helper.make_node("Conv", ["x", "w"], ["c"], name="Conv_0"),
        helper.make_node("Add", ["c", "b"], ["y"], name="Add_1"),
    ]
    inits = {"w": rng_array((3, 2, 3, 3), 1), "b": rng_array((1, 3, 1, 1), 2)}
    model = make_model(nodes, [("x", [1, 2, 5, 5])], [("y", None)], inits, 13)
    module = check_import(model, "ee.conv2d")
    assert "ee.add" not in [op.name for op in module.walk()]


@FEW
@given(
    opset=OPSETS, axis=st.integers(-4, 4), shape=st.sampled_from([[1, 3, 4, 2], [1, 10], [1, 3, 4]])
)
def test_flatten(opset, axis, shape) -> None:
    assume(-len(shape) <= axis <= len(shape) and (axis >= 0 or opset >= 11))
    model = single_node("Flatten", [("x", shape)], None, None, opset, axis=axis)
    check_import(model, "ee.flatten")


@FEW
@given(
    opset=OPSETS,
    spec=st.sampled_from([[1, -1], [0, -1], [1, 4, 6], [0, 0, -1], [-1, 2, 3, 4], [1, 24]]),
)
def test_reshape_with_constant_shape(opset, spec) -> None:
    inits = {"shape": np.array(spec, np.int64)}
    model = single_node("Reshape", [("x", [1, 2, 3, 4])], None, inits, opset)
    check_import(model, None)


def test_reshape_from_a_shape_gather_unsqueeze_concat_chain() -> None:
    """PyTorch's `x.view(x.size(0), -1)`: the shape is computed by a constant subgraph."""
    nodes = [
        helper.make_node("Shape", ["x"], ["s"], name="Shape_0"),
        helper.make_node(
            "Constant",
            [],
            ["i0"],
            name="Constant_1",
            value=numpy_helper.from_array(np.array(0, np.int64)),
        ),
        helper.make_node("Gather", ["s", "i0"], ["n"], name="Gather_2", axis=0),
        helper.make_node("Unsqueeze", ["n"], ["n1"], name="Unsqueeze_3", axes=[0]),
        helper.make_node(
            "Constant",
            [],
            ["m1"],
            name="Constant_4",
            value=numpy_helper.from_array(np.array([-1], np.int64)),
        ),
        helper.make_node("Concat", ["n1", "m1"], ["shape"], name="Concat_5", axis=0),
        helper.make_node("Cast", ["shape"], ["shape64"], name="Cast_6", to=TensorProto.INT64),
        helper.make_node("Reshape", ["x", "shape64"], ["y"], name="Reshape_7"),
    ]
    model = make_model(nodes, [("x", [1, 2, 3, 4])], [("y", [1, 24])], None, 11)
    module = check_import(model, "ee.reshape")
    assert [op.name for op in module.walk()].count("ee.reshape") == 1


def test_constant_of_shape_feeding_an_add() -> None:
    nodes = [
        helper.make_node(
            "ConstantOfShape",
            ["shp"],
            ["ones"],
            name="ConstantOfShape_0",
            value=numpy_helper.from_array(np.array([1.5], np.float32)),
        ),
        helper.make_node("Add", ["x", "ones"], ["y"], name="Add_1"),
    ]
    inits = {"shp": np.array([1, 3], np.int64)}
    model = make_model(nodes, [("x", [1, 3])], [("y", None)], inits, 13)
    check_import(model, "ee.add")


@FEW
@given(
    opset=OPSETS, axis=st.integers(-3, 2), shape=st.sampled_from([[1, 10], [1, 3, 4], [1, 2, 2, 3]])
)
def test_softmax(opset, axis, shape) -> None:
    assume(-len(shape) <= axis < len(shape) and (axis >= 0 or opset >= 11))
    model = single_node("Softmax", [("x", shape)], None, None, opset, axis=axis)
    check_import(model, "ee.softmax")


@FEW
@given(
    opset=OPSETS,
    channels=st.integers(1, 4),
    eps=st.sampled_from([1e-5, 1e-3, 0.1]),
    rank=st.integers(2, 4),
)
def test_batchnorm(opset, channels, eps, rank) -> None:
    shape = [1, channels, 3, 2][:rank]
    inits = {
        "scale": rng_array((channels,), 1),
        "B": rng_array((channels,), 2),
        "mean": rng_array((channels,), 3),
        "var": rng_array((channels,), 4, low=0.5),
    }
    model = single_node("BatchNormalization", [("x", shape)], None, inits, opset, epsilon=eps)
    check_import(model, "ee.batchnorm")


@pytest.mark.parametrize("opset", [9, 13, 21])
def test_relu(opset: int) -> None:
    check_import(single_node("Relu", [("x", [1, 3, 4, 4])], None, None, opset), "ee.relu")


@FEW
@given(
    opset=OPSETS,
    op=st.sampled_from(["Add", "Sum"]),
    const=st.sampled_from([None, (3, 1, 1), (1,), (3, 4, 4)]),
)
def test_add_and_sum(opset, op, const) -> None:
    inits = {} if const is None else {"c": rng_array(const, 7)}
    inputs = [("a", [1, 3, 4, 4])] + ([("b", [1, 3, 4, 4])] if const is None else [])
    model = single_node(op, inputs, None, inits, opset)
    check_import(model, "ee.add")


def test_sum_of_three() -> None:
    inputs = [(n, [1, 2, 3]) for n in "abc"]
    module = check_import(single_node("Sum", inputs, None, None, 13), "ee.add")
    assert [op.name for op in module.walk()].count("ee.add") == 2


@FEW
@given(opset=OPSETS, axis=st.integers(-4, 3), with_const=st.booleans())
def test_concat(opset, axis, with_const) -> None:
    assume(axis >= 0 or opset >= 11)
    inits = {"c": rng_array((1, 2, 3, 3), 9)} if with_const else {}
    inputs = [("a", [1, 2, 3, 3])] + ([] if with_const else [("b", [1, 2, 3, 3])])
    model = single_node("Concat", inputs, None, inits, opset, axis=axis)
    check_import(model, "ee.concat")


@pytest.mark.parametrize(
    ("op", "opset"), [("Identity", 13), ("Dropout", 9), ("Dropout", 12), ("Dropout", 21)]
)
def test_identity_and_dropout_are_removed(op: str, opset: int) -> None:
    nodes = [
        helper.make_node(op, ["x"], ["d"], name=f"{op}_0"),
        helper.make_node("Relu", ["d"], ["y"], name="Relu_1"),
    ]
    model = make_model(nodes, [("x", [1, 4])], [("y", None)], None, opset)
    module = check_import(model, "ee.relu")
    assert [op.name for op in module.walk() if op.name.startswith("ee.")] == ["ee.relu"]


def test_constant_output_and_constant_folding() -> None:
    nodes = [
        helper.make_node("Constant", [], ["k"], name="Constant_0", value_floats=[1.0, 2.0]),
        helper.make_node("Mul", ["k", "k"], ["k2"], name="Mul_1"),
        helper.make_node("Unsqueeze", ["k2", "ax"], ["k3"], name="Unsqueeze_2"),
        helper.make_node("Add", ["x", "k3"], ["y"], name="Add_3"),
    ]
    inits = {"ax": np.array([0], np.int64)}
    model = make_model(nodes, [("x", [1, 2])], [("y", None)], inits, 13)
    check_import(model, "ee.add")


def test_every_op_keeps_its_onnx_name() -> None:
    model = single_node("Relu", [("x", [1, 2])], None, None, 13, name="my_relu")
    text = str(import_onnx(model, "m"))
    assert '{onnx_name = "my_relu"}' in text


def test_initializers_listed_as_graph_inputs_stay_constants() -> None:
    """Exporters before IR version 4 list every initializer among the graph inputs."""
    inits = {"W": rng_array((2, 3)), "C": rng_array((2,))}
    model = single_node("Gemm", [("x", [1, 3])], None, inits, 9, transB=1)
    model.graph.input.append(helper.make_tensor_value_info("W", TensorProto.FLOAT, [2, 3]))
    module = check_import(model, "ee.linear")
    assert len(module.body.block.first_op.body.block.args) == 1  # type: ignore[union-attr]
