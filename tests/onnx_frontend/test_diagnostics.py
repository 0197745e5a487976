"""Every importer diagnostic: one clear `UserError`, and through the CLI exit 1, no traceback."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import numpy as np
import onnx
import pytest
from onnx import TensorProto, helper

from atheena_ir.errors import UserError
from atheena_ir.onnx_frontend import import_onnx, import_onnx_bytes, import_onnx_file
from atheena_ir.onnx_frontend.registry import CONVERTERS
from atheena_ir.tools.atheena_opt import main
from tests.onnx_frontend.onnx_builders import exit_model, make_model, rng_array, single_node

OPT = str(Path(sys.executable).with_name("atheena-opt"))


def _refusal(model: onnx.ModelProto) -> str:
    with pytest.raises(UserError) as info:
        import_onnx(model, "bad.onnx")
    return str(info.value)


def _unsupported_model() -> onnx.ModelProto:
    nodes = [
        helper.make_node("Tanh", ["x"], ["a"], name="Tanh_0"),
        helper.make_node("Relu", ["a"], ["b"], name="Relu_1"),
        helper.make_node("LRN", ["b"], ["c"], name="LRN_2", size=3),
        helper.make_node(
            "MaxPool",
            ["c"],
            ["d"],
            name="MaxPool_3",
            kernel_shape=[2, 2],
            strides=[2, 2],
            ceil_mode=1,
        ),
        helper.make_node("Transpose", ["x"], ["t"], name="Transpose_4", perm=[0, 1, 3, 2]),
        helper.make_node("Add", ["d", "d"], ["y"], name="Add_5"),
    ]
    return make_model(nodes, [("x", [1, 2, 5, 5])], [("y", None), ("t", None)], None, 13)


def test_every_unsupported_node_is_listed_in_one_message() -> None:
    message = _refusal(_unsupported_model())
    assert message.startswith("bad.onnx: cannot import 3 nodes:")
    assert "'Tanh_0' (op Tanh, opset 13): op type not supported" in message
    assert "'LRN_2' (op LRN, opset 13): op type not supported" in message
    assert "'Transpose_4' (op Transpose, opset 13): supported only on constants" in message
    assert "MaxPool_3" not in message  # it reads a refused node: only root causes are listed
    supported = message.split("supported ops (opsets 9-21): ", 1)[1].split(";", 1)[0].split(", ")
    assert supported == sorted(CONVERTERS)  # the whole list, whatever ops are added


def test_ceil_mode_that_changes_the_shape_is_refused() -> None:
    attrs = {"kernel_shape": [2, 2], "strides": [2, 2], "ceil_mode": 1}
    message = _refusal(single_node("MaxPool", [("x", [1, 2, 5, 5])], None, None, 12, **attrs))
    assert "'MaxPool_0' (op MaxPool, opset 12): ceil_mode=1 gives a larger output" in message


def test_dilated_kernel_that_does_not_fit_gives_its_dilated_span() -> None:
    w = {"w": rng_array((2, 1, 3, 3))}
    message = _refusal(single_node("Conv", [("x", [1, 1, 4, 4])], None, w, 13, dilations=[2, 2]))
    assert "the 3x3 kernel with dilations [2, 2] spans 5x5, which does not fit the 4x4 input" in (
        message
    )


def test_ceil_mode_window_in_the_end_padding_is_named() -> None:
    # 5 + 1 + 1 padded, kernel 2, stride 2: the fourth window would start at 6, in the end
    # padding; ONNX's shape inference keeps it, onnxruntime drops it.
    attrs = {"kernel_shape": [2, 2], "strides": [2, 2], "pads": [1, 1, 1, 1], "ceil_mode": 1}
    message = _refusal(single_node("MaxPool", [("x", [1, 1, 5, 5])], None, None, 12, **attrs))
    assert "ceil_mode=1 with a last window that starts in the end padding (height: it would " in (
        message
    )
    assert "this form of the op is not supported" not in message


@pytest.mark.parametrize(
    ("attrs", "outputs", "expected"),
    [
        ({"storage_order": 1}, ["y"], "storage_order=1"),
        ({}, ["y", "idx"], "the Indices output is not supported"),
        ({"dilations": [2, 2]}, ["y"], "dilated pooling"),
    ],
)
def test_maxpool_refusals(attrs: dict, outputs: list[str], expected: str) -> None:
    node = helper.make_node(
        "MaxPool", ["x"], outputs, name="MaxPool_0", kernel_shape=[2, 2], **attrs
    )
    model = make_model([node], [("x", [1, 1, 6, 6])], [(o, None) for o in outputs], None, 12)
    assert expected in _refusal(model)


@pytest.mark.parametrize(
    ("case", "expected"),
    [
        ("conv1d", "only 2-D convolution"),
        (
            "dynamic_weight",
            "input 'w' is the weight of node 'Gemm_0': weights must be initializers",
        ),
        ("gemm_transA", "transA=1"),
        ("add_broadcast", "broadcasting between run-time tensors is not supported"),
        ("matmul_rank3", "only [N, K] x constant [K, M] is supported"),
        ("bn_training", "training_mode=1"),
    ],
)
def test_node_level_refusals(case: str, expected: str) -> None:
    if case == "conv1d":
        model = single_node("Conv", [("x", [1, 2, 8])], None, {"w": rng_array((3, 2, 3))}, 13)
    elif case == "dynamic_weight":
        model = single_node("Gemm", [("x", [1, 1]), ("w", [1, 3])], None, None, 13)
    elif case == "gemm_transA":
        model = single_node("Gemm", [("x", [1, 1])], None, {"B": rng_array((1, 3))}, 13, transA=1)
    elif case == "add_broadcast":
        model = single_node("Add", [("a", [1, 3, 4, 4]), ("b", [1, 3, 1, 1])], None, None, 13)
    elif case == "matmul_rank3":
        model = single_node("MatMul", [("x", [1, 2, 4])], None, {"B": rng_array((4, 3))}, 13)
    else:
        inits = {n: rng_array((2,), i, low=0.1) for i, n in enumerate(["s", "b", "m", "v"])}
        node = helper.make_node(
            "BatchNormalization", ["x", *inits], ["y", "rm", "rv"], name="BN_0", training_mode=1
        )
        outputs = [("y", [1, 2, 3, 3]), ("rm", [2]), ("rv", [2])]
        model = make_model([node], [("x", [1, 2, 3, 3])], outputs, inits, 15)
    assert expected in _refusal(model)


def test_custom_domain_node_is_named_with_its_domain() -> None:
    node = helper.make_node("Frobnicate", ["x"], ["y"], name="Frob_0", domain="com.example")
    graph = helper.make_graph(
        [node],
        "g",
        [helper.make_tensor_value_info("x", TensorProto.FLOAT, [1, 2])],
        [helper.make_tensor_value_info("y", TensorProto.FLOAT, [1, 2])],
    )
    model = helper.make_model(
        graph,
        opset_imports=[helper.make_opsetid("", 13), helper.make_opsetid("com.example", 1)],
    )
    model.ir_version = 7
    message = _refusal(model)
    assert "'Frob_0' (op com.example.Frobnicate, opset 13)" in message


def test_truncated_and_malformed_files(tmp_path: Path) -> None:
    data = exit_model().SerializeToString()
    for name, blob in [
        ("truncated.onnx", data[: len(data) // 3]),
        ("garbage.onnx", b"\xff\xfe not an onnx file at all \x00\x01"),
        ("empty.onnx", b""),
        ("text.onnx", b"func.func @main() { }\n"),
    ]:
        path = tmp_path / name
        path.write_bytes(blob)
        with pytest.raises(UserError) as info:
            import_onnx_file(path)
        message = str(info.value)
        assert message.startswith(str(path))
        assert any(
            s in message for s in ("truncated", "empty", "checker rejected", "not an ONNX")
        ), message


def test_missing_file() -> None:
    with pytest.raises(UserError, match="cannot read the file"):
        import_onnx_file("/nonexistent/model.onnx")


def test_failed_checker_says_what_the_checker_said() -> None:
    node = helper.make_node("Relu", ["nowhere"], ["y"], name="Relu_0")
    model = make_model([node], [("x", [1, 2])], [("y", [1, 2])], None, 13)
    message = _refusal(model)
    assert "the ONNX checker rejected the model" in message
    assert "nowhere" in message


@pytest.mark.parametrize(
    ("dims", "expected"),
    [
        (["batch", 1, 28, 28], "dim 0 is symbolic"),
        ([4, 1, 28, 28], "has batch size 4"),
    ],
)
def test_non_static_input_says_which_and_how_to_fix(dims: list, expected: str) -> None:
    model = single_node("Relu", [("image", dims)], None, None, 13)
    message = _refusal(model)
    assert "input 'image'" in message
    assert expected in message
    assert "[1, 1, 28, 28]" in message
    assert "torch.onnx.export without dynamic_axes" in message


def test_weight_given_as_graph_input_is_named_as_a_weight_not_a_batch() -> None:
    # [8, 1, 3, 3] looks like a batch of 8 to the input check; following that advice would
    # break the model, so the message must say it is a weight.
    model = single_node("Conv", [("x", [1, 1, 6, 6]), ("w", [8, 1, 3, 3])], None, None, 13)
    message = _refusal(model)
    assert "input 'w' is the weight of node 'Conv_0': weights must be initializers" in message
    assert "batch size" not in message


@pytest.mark.parametrize(
    ("dims", "expected"),
    [
        ([], "input 'x' is a scalar (rank 0)"),
        ([1, 0, 28, 28], "dim 1 is 0 (a zero-size dim)"),
    ],
)
def test_rank_0_and_zero_size_inputs_are_refused_at_import(dims: list, expected: str) -> None:
    assert expected in _refusal(single_node("Relu", [("x", dims)], None, None, 13))


def test_unsupported_opset_and_input_type() -> None:
    model = single_node("Relu", [("x", [1, 2])], None, None, 22)
    assert "opset 22 is not supported (opsets 9 to 21 are)" in _refusal(model)
    node = helper.make_node("Cast", ["x"], ["y"], name="Cast_0", to=TensorProto.FLOAT)
    graph = helper.make_graph(
        [node],
        "g",
        [helper.make_tensor_value_info("x", TensorProto.INT32, [1, 2])],
        [helper.make_tensor_value_info("y", TensorProto.FLOAT, [1, 2])],
    )
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)])
    model.ir_version = 7
    assert "input 'x' has element type INT32" in _refusal(model)


def _replace_branch(model: onnx.ModelProto, which: str, graph: onnx.GraphProto) -> None:
    if_node = next(n for n in model.graph.node if n.op_type == "If")
    for attr in if_node.attribute:
        if attr.name == which:
            attr.g.CopyFrom(graph)


def test_if_without_the_exit_pattern_names_the_node() -> None:
    then_g = helper.make_graph(
        [helper.make_node("Relu", ["x"], ["t"], name="Relu_t")],
        "then",
        [],
        [helper.make_tensor_value_info("t", TensorProto.FLOAT, [1, 4])],
    )
    else_g = helper.make_graph(
        [helper.make_node("Identity", ["x"], ["e"], name="Identity_e")],
        "else",
        [],
        [helper.make_tensor_value_info("e", TensorProto.FLOAT, [1, 4])],
    )
    nodes = [
        helper.make_node("ReduceMax", ["x"], ["m"], name="ReduceMax_5", keepdims=0),
        helper.make_node("Greater", ["m", "thr"], ["c"], name="Greater_6"),
        helper.make_node("If", ["c"], ["y"], name="If_7", then_branch=then_g, else_branch=else_g),
    ]
    inits = {"thr": np.array([0.5], np.float32)}
    model = make_model(nodes, [("x", [1, 4])], [("y", [1, 4])], inits, 13)
    message = _refusal(model)
    assert "'If_7' (op If, opset 13)" in message
    assert "ReduceMax 'ReduceMax_5' does not read a Softmax" in message
    assert "expected the early-exit pattern Softmax(logits) -> ReduceMax -> Greater" in message
    assert message.count("\n  - ") == 1


def test_exit_with_a_non_forwarding_then_branch() -> None:
    model = exit_model()
    then_g = helper.make_graph(
        [helper.make_node("Relu", ["e0_logits"], ["t"], name="Relu_t")],
        "then",
        [],
        [helper.make_tensor_value_info("t", TensorProto.FLOAT, [1, 4])],
    )
    _replace_branch(model, "then_branch", then_g)
    message = _refusal(model)
    assert "'If_0' (op If, opset 12): neither branch just forwards the exit logits" in message
    assert message.count("\n  - ") == 1  # the decision nodes are not reported on their own


def test_exit_that_leaves_when_unsure_is_refused() -> None:
    model = exit_model(comparison="Less")
    for node in model.graph.node:
        if node.op_type == "Less":
            node.input.reverse()  # now max < thr selects the forwarding branch
    assert "leave when the softmax maximum is small" in _refusal(model)


def test_exit_threshold_out_of_range_is_refused() -> None:
    message = _refusal(exit_model(thresholds=[1.5]))
    assert "threshold must lie in (0, 1)" in message


def test_exit_threshold_must_be_constant() -> None:
    model = exit_model(threshold_source="initializer")
    thr = next(t for t in model.graph.initializer if t.name == "thr0")
    model.graph.initializer.remove(thr)
    model.graph.input.append(helper.make_tensor_value_info("thr0", TensorProto.FLOAT, [1]))
    assert "the threshold 'thr0' compared in 'Greater_0' must be a constant" in _refusal(model)


# -- through the CLI ---------------------------------------------------------------------------


def _cli(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    with pytest.raises(SystemExit) as info:
        main(args)
    captured = capsys.readouterr()
    return int(info.value.code or 0), captured.out, captured.err


def test_cli_refusal_exits_1_with_one_message(tmp_path: Path, capsys) -> None:
    path = tmp_path / "unsupported.onnx"
    path.write_bytes(_unsupported_model().SerializeToString())
    out = tmp_path / "out.mlir"
    code, _, stderr = _cli([str(path), "-o", str(out)], capsys)
    assert code == 1
    assert stderr.startswith(f"atheena-opt: error: {path}: cannot import 3 nodes:")
    assert "Traceback" not in stderr
    assert not out.exists()


@pytest.mark.parametrize(
    ("blob", "expected"),
    [
        (b"", "the file is empty"),
        (b"\x0a\xff\xff\xff", "not a readable ONNX model"),
    ],
)
def test_cli_bad_files(tmp_path: Path, capsys, blob: bytes, expected: str) -> None:
    path = tmp_path / "bad.onnx"
    path.write_bytes(blob)
    code, _, stderr = _cli([str(path), "-o", str(tmp_path / "o.mlir")], capsys)
    assert code == 1
    assert expected in stderr
    assert "Traceback" not in stderr
    assert not (tmp_path / "o.mlir").exists()


def test_cli_non_static_shape(tmp_path: Path, capsys) -> None:
    path = tmp_path / "dyn.onnx"
    path.write_bytes(single_node("Relu", [("x", ["N", 3])], None, None, 13).SerializeToString())
    code, _, stderr = _cli([str(path)], capsys)
    assert code == 1
    assert "input 'x' has the non-static shape ['N', 3]" in stderr


def test_cli_subprocess_imports_and_refuses(tmp_path: Path) -> None:
    good, bad = tmp_path / "good.onnx", tmp_path / "bad.onnx"
    good.write_bytes(exit_model().SerializeToString())
    data = exit_model().SerializeToString()
    bad.write_bytes(data[: len(data) // 2])
    ok = subprocess.run([OPT, str(good)], capture_output=True, text=True, check=False)
    assert ok.returncode == 0, ok.stderr
    assert "ee.exit_decision top1" in ok.stdout
    out = tmp_path / "out.mlir"
    fail = subprocess.run(
        [OPT, str(bad), "-o", str(out)], capture_output=True, text=True, check=False
    )
    assert fail.returncode == 1
    assert fail.stderr.startswith("atheena-opt: error:")
    assert "Traceback" not in fail.stderr
    assert not out.exists()


def test_bytes_entry_point_rejects_non_models() -> None:
    with pytest.raises(UserError, match=r"not a readable ONNX model|checker|not an ONNX"):
        import_onnx_bytes(np.arange(50, dtype=np.uint8).tobytes(), "<bytes>")


def test_cli_reads_onnx_from_stdin_with_frontend_flag(tmp_path: Path) -> None:
    data = exit_model().SerializeToString()
    ok = subprocess.run([OPT, "-f", "onnx"], input=data, capture_output=True, check=False)
    assert ok.returncode == 0, ok.stderr
    assert b"ee.exit" in ok.stdout
    bad = subprocess.run([OPT, "-f", "onnx"], input=b"", capture_output=True, check=False)
    assert bad.returncode == 1
    assert bad.stderr.decode().startswith("atheena-opt: error: stdin: the file is empty")
