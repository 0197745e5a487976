"""
Small ONNX models for the importer tests, built with `onnx.helper` (no committed binaries).

```python
model = single_node("Relu", [("x", [1, 3, 4, 4])], [1, 3, 4, 4])
model = exit_model(opset=12)          # PyTorch's early-exit If form, one exit
```
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

FLOAT = TensorProto.FLOAT


def make_model(
    nodes: Sequence[onnx.NodeProto],
    inputs: Sequence[tuple[str, Sequence[int | str]]],
    outputs: Sequence[tuple[str, Sequence[int] | None]],
    initializers: dict[str, np.ndarray] | None = None,
    opset: int = 13,
    name: str = "test",
) -> onnx.ModelProto:
    """A model of `nodes` with float inputs/outputs and the given initializers."""
    graph = helper.make_graph(
        list(nodes),
        name,
        [helper.make_tensor_value_info(n, FLOAT, list(s)) for n, s in inputs],
        [
            helper.make_empty_tensor_value_info(n)
            if s is None
            else helper.make_tensor_value_info(n, FLOAT, list(s))
            for n, s in outputs
        ],
        initializer=[numpy_helper.from_array(a, n) for n, a in (initializers or {}).items()],
    )
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", opset)])
    model.ir_version = 7 if opset <= 15 else 8 if opset <= 18 else 9
    if any(s is None for _, s in outputs):  # let shape inference give the outputs their types
        inferred = onnx.shape_inference.infer_shapes(model, data_prop=True)
        del model.graph.output[:]
        model.graph.output.extend(inferred.graph.output)
    return model


def single_node(
    op_type: str,
    inputs: Sequence[tuple[str, Sequence[int]]],
    out_shape: Sequence[int] | None = None,
    initializers: dict[str, np.ndarray] | None = None,
    opset: int = 13,
    name: str | None = None,
    **attrs: object,
) -> onnx.ModelProto:
    """
    A one-node model: graph inputs are the `inputs` not in `initializers`; the node reads
    all `inputs` then the initializers (in order) and writes `y`.
    """
    inits = initializers or {}
    names = [n for n, _ in inputs] + list(inits)
    node = helper.make_node(op_type, names, ["y"], name=name or f"{op_type}_0", **attrs)
    return make_model([node], inputs, [("y", out_shape)], inits, opset)


def rng_array(shape: Sequence[int], seed: int = 0, low: float = -1.0) -> np.ndarray:
    """Deterministic float32 test data."""
    return np.random.default_rng(seed).uniform(low, 1.0, size=tuple(shape)).astype(np.float32)


def _classifier(prefix: str, x: str, features_shape: Sequence[int], classes: int, seed: int):
    """Flatten + Gemm nodes producing `<prefix>_logits`, with their initializers."""
    features = int(np.prod(features_shape[1:]))
    nodes = [
        helper.make_node("Flatten", [x], [f"{prefix}_flat"], name=f"Flatten_{prefix}", axis=1),
        helper.make_node(
            "Gemm",
            [f"{prefix}_flat", f"{prefix}.w", f"{prefix}.b"],
            [f"{prefix}_logits"],
            name=f"Gemm_{prefix}",
            transB=1,
        ),
    ]
    inits = {
        f"{prefix}.w": rng_array((classes, features), seed),
        f"{prefix}.b": rng_array((classes,), seed + 1),
    }
    return nodes, inits


def exit_model(
    opset: int = 12,
    exits: int = 1,
    classes: int = 4,
    thresholds: Sequence[float] | None = None,
    cast: bool = True,
    threshold_source: str = "constant",
    comparison: str = "Greater",
    keepdims: int = 0,
    reduce_axes: bool = True,
) -> onnx.ModelProto:
    """
    An early-exit network in PyTorch's `If` form with `exits` early exits (nested Ifs).

    Each stage is `Conv(3x3, pad 1) -> Relu`; each exit `Flatten -> Gemm`; the decision
    `Softmax -> ReduceMax -> <comparison>(max, thr) -> [Cast] -> If`. With `Less` (or
    `LessOrEqual`) the comparison is `thr < max` (so the sample still leaves when confident).
    `threshold_source` is `constant` (a Constant node) or `initializer`.
    """
    thresholds = list(thresholds or [0.5 + 0.1 * k for k in range(exits)])
    channels, size = 2, 6
    shape = [1, channels, size, size]
    all_inits: dict[str, np.ndarray] = {}

    def stage(k: int, x: str) -> list[onnx.NodeProto]:
        all_inits[f"s{k}.w"] = rng_array((channels, channels, 3, 3), 10 * k)
        return [
            helper.make_node("Conv", [x, f"s{k}.w"], [f"s{k}_c"], name=f"Conv_s{k}", pads=[1] * 4),
            helper.make_node("Relu", [f"s{k}_c"], [f"s{k}_out"], name=f"Relu_s{k}"),
        ]

    def segment(k: int, x: str, out: str) -> list[onnx.NodeProto]:
        nodes = stage(k, x)
        cls_nodes, inits = _classifier(f"e{k}", f"s{k}_out", shape, classes, 100 + k)
        all_inits.update(inits)
        nodes += cls_nodes
        logits = f"e{k}_logits"
        if k == exits:
            nodes.append(helper.make_node("Identity", [logits], [out], name=f"Identity_final{k}"))
            return nodes
        nodes += decision(k, logits)
        then_g = helper.make_graph(
            [helper.make_node("Identity", [logits], [f"then{k}_out"], name=f"Identity_t{k}")],
            f"then{k}",
            [],
            [helper.make_tensor_value_info(f"then{k}_out", FLOAT, [1, classes])],
        )
        else_g = helper.make_graph(
            segment(k + 1, f"s{k}_out", f"else{k}_out"),
            f"else{k}",
            [],
            [helper.make_tensor_value_info(f"else{k}_out", FLOAT, [1, classes])],
        )
        cond = f"cond{k}" if cast else f"cmp{k}"
        if comparison in ("Less", "LessOrEqual"):  # exit when thr < max: still then=exit
            pass
        nodes.append(
            helper.make_node(
                "If", [cond], [out], name=f"If_{k}", then_branch=then_g, else_branch=else_g
            )
        )
        return nodes

    def decision(k: int, logits: str) -> list[onnx.NodeProto]:
        thr = np.array([thresholds[k]], np.float32)
        nodes = [
            helper.make_node("Softmax", [logits], [f"p{k}"], name=f"Softmax_{k}", axis=1),
        ]
        rm_inputs = [f"p{k}"]
        rm_attrs: dict[str, object] = {"keepdims": keepdims}
        if reduce_axes:
            if opset >= 18:
                all_inits[f"axes{k}"] = np.array([1], np.int64)
                rm_inputs.append(f"axes{k}")
            else:
                rm_attrs["axes"] = [1]
        nodes.append(
            helper.make_node("ReduceMax", rm_inputs, [f"m{k}"], name=f"ReduceMax_{k}", **rm_attrs)
        )
        if threshold_source == "constant":
            nodes.append(
                helper.make_node(
                    "Constant",
                    [],
                    [f"thr{k}"],
                    name=f"Constant_{k}",
                    value=numpy_helper.from_array(thr),
                )
            )
        else:
            all_inits[f"thr{k}"] = thr
        operands = [f"m{k}", f"thr{k}"]
        if comparison in ("Less", "LessOrEqual"):
            operands.reverse()
        out = f"cond{k}" if cast else f"cmp{k}"
        nodes.append(helper.make_node(comparison, operands, [f"cmp{k}"], name=f"{comparison}_{k}"))
        if cast:
            nodes.append(
                helper.make_node("Cast", [f"cmp{k}"], [out], name=f"Cast_{k}", to=TensorProto.BOOL)
            )
        return nodes

    nodes = segment(0, "input", "output")
    return make_model(nodes, [("input", shape)], [("output", [1, classes])], all_inits, opset)
