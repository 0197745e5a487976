"""
onnxruntime as the end-to-end reference, with the exit each sample took.

An early-exit ONNX model ends in nested `If`s (then: the exit's logits; else: the rest of
the network). `instrument` gives every such `If` a second output, the index of the exit
taken: each then-branch outputs a constant `k` (its depth), the innermost else-branch the
number of early exits. onnxruntime then reports the exit per sample exactly, without
comparing outputs. Samples run one at a time (the `If` needs batch 1).
"""

from __future__ import annotations

import numpy as np
import onnx
import onnxruntime as ort
from onnx import TensorProto, helper


def _exit_if(graph: onnx.GraphProto) -> onnx.NodeProto | None:
    """The `If` node producing the graph's first output, if any."""
    out = graph.output[0].name
    return next((n for n in graph.node if n.op_type == "If" and n.output[0] == out), None)


def _const_output(graph: onnx.GraphProto, name: str, value: int) -> None:
    graph.node.append(
        helper.make_node(
            "Constant",
            [],
            [name],
            value=helper.make_tensor(name + "_value", TensorProto.INT64, [1], [value]),
        )
    )
    graph.output.append(helper.make_tensor_value_info(name, TensorProto.INT64, [1]))


def _instrument(graph: onnx.GraphProto, depth: int, name: str) -> bool:
    """Make `graph` output the exit index as a second output called `name`."""
    node = _exit_if(graph)
    if node is None:
        return False
    node.output.append(name)
    branches = {a.name: a.g for a in node.attribute if a.name in ("then_branch", "else_branch")}
    _const_output(branches["then_branch"], f"{name}_then{depth}", depth)
    inner = f"{name}_else{depth}"
    if not _instrument(branches["else_branch"], depth + 1, inner):
        _const_output(branches["else_branch"], inner, depth + 1)
    else:
        branches["else_branch"].output.append(
            helper.make_tensor_value_info(inner, TensorProto.INT64, [1])
        )
    return True


def instrument(model: onnx.ModelProto) -> onnx.ModelProto:
    """A copy of `model` whose second output is the exit index (if it has exits)."""
    copy = onnx.ModelProto()
    copy.CopyFrom(model)
    if _instrument(copy.graph, 0, "exit_taken"):
        copy.graph.output.append(
            helper.make_tensor_value_info("exit_taken", TensorProto.INT64, [1])
        )
    return copy


def ort_run(model: onnx.ModelProto, x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Each sample of `x` alone through onnxruntime: outputs `[N, ...]` and exits `[N]`."""
    sess = ort.InferenceSession(
        instrument(model).SerializeToString(), providers=["CPUExecutionProvider"]
    )
    name = sess.get_inputs()[0].name
    outs, exits = [], []
    for i in range(x.shape[0]):
        res = sess.run(None, {name: x[i : i + 1]})
        outs.append(res[0])
        exits.append(int(res[1][0]) if len(res) > 1 else 0)
    return np.concatenate(outs), np.array(exits)
