"""
The general builder of early-exit CNNs as ONNX, in the form PyTorch exports them.

A network is BranchyNet-shaped: backbone segments `s0 .. sN` and exit branches `e0 .. eN`; exit
`k` reads the output of segment `k`, and the last exit `eN` is the final classifier. With `N`
early exits (`N` thresholds) the graph is the one PyTorch 1.8 writes for a data-dependent `if`
in "fast inference" mode (see reference/atheena.md section 1)::

    s0 -> e0 -> Softmax(axis=1) -> ReduceMax(keepdims=0) -> Greater(x, Constant thr) -> Cast(BOOL)
    If(cond)
      then: Identity(e0 logits)
      else: s1 -> e1 -> <decision of exit 1> -> If ... (nested, one `If` per early exit)
            innermost else: sN -> eN

Both branches read outer-scope tensors (the exit logits and the segment output). All weights are
initializers of the main graph, named like PyTorch module paths (`backbone.<k>.<i>.weight`,
`exits.<k>.<i>.bias`, ...), nodes are named `<OpType>_<n>` with one counter over the main graph
and the branches, and intermediate tensors are numbered as PyTorch numbers them. With no early
exit the result is a plain chain (a no-exit backbone).

The weights are seeded and deterministic (He-normal for convolutions and linear layers, PyTorch's
uniform bias init); pass `weights` to replace any of them (e.g. trained ones). The batch size is 1:
the exit decision reduces the whole softmax to one scalar, as in the PyTorch export.

Opsets 9 to 21 are supported. Differences handled per opset: `MaxPool`/`AveragePool` get
`ceil_mode` only from opset 10; `Gemm` without a bias gets a zero bias below opset 11 (where `C` is
required); `Dropout` takes `ratio` as an attribute below 12 and as an input from 12; with
`reduce_axes=True` the `ReduceMax` axes are an attribute below 18 and an input from 18. `Softmax`
changed from "coerce to 2-D at axis" to "along axis" at opset 13; both mean the same for the
`[1, classes]` logits with `axis=1`, so the node is the same at every opset.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

from atheena_ir.models.layers import (
    AvgPool,
    BatchNorm,
    Conv,
    Dropout,
    Flatten,
    GlobalAvgPool,
    LayerSpec,
    Linear,
    MaxPool,
    Relu,
    Residual,
    Shape,
    infer_shape,
)

MIN_OPSET = 9
MAX_OPSET = 21
DEFAULT_OPSET = 12
"""PyTorch 1.8, which exported the ATHEENA models, wrote opset 12."""

PRODUCER = "atheena-ir"


@dataclass(frozen=True)
class EarlyExitNetwork:
    """
    The description of an early-exit network: everything `build_early_exit_model` needs
    except the opset, the seed and the weights.
    """

    backbone_segments: tuple[tuple[LayerSpec, ...], ...]
    exit_branches: tuple[tuple[LayerSpec, ...], ...]
    thresholds: tuple[float, ...]
    input_shape: tuple[int, int, int]
    num_classes: int
    name: str = "early_exit"

    @property
    def num_exits(self) -> int:
        """The number of exits, the final one included."""
        return len(self.exit_branches)

    def build(self, opset: int = DEFAULT_OPSET, seed: int = 0, **kwargs: object) -> onnx.ModelProto:
        """Build this network with `build_early_exit_model`."""
        return build_early_exit_model(
            self.backbone_segments,
            self.exit_branches,
            self.thresholds,
            self.input_shape,
            self.num_classes,
            opset=opset,
            seed=seed,
            name=self.name,
            **kwargs,  # type: ignore[arg-type]
        )

    def exit_model(
        self,
        k: int,
        model: onnx.ModelProto | None = None,
        opset: int = DEFAULT_OPSET,
        seed: int = 0,
    ) -> onnx.ModelProto:
        """
        A model whose output is the raw logits of exit `k`, whatever the earlier decisions.

        It has the stages `0..k` of this network, every earlier threshold at 1.0 (a softmax
        maximum is never above 1, so no earlier exit is taken) and, when `model` is given, that
        model's weights (e.g. a trained one built from this network), else the seeded ones. The
        per-sample reference of which exit a model takes is then: the first `k` whose logits'
        top-1 softmax confidence is above `thresholds[k]`, else the last exit.
        """
        if not 0 <= k < self.num_exits:
            raise ValueError(f"exit {k} does not exist (the network has {self.num_exits})")
        weights: dict[str, np.ndarray] = {}
        if model is not None:
            keep = {f"backbone.{j}." for j in range(k + 1)} | {f"exits.{j}." for j in range(k + 1)}
            weights = {
                init.name: numpy_helper.to_array(init)
                for init in model.graph.initializer
                if any(init.name.startswith(prefix) for prefix in keep)
            }
        return build_early_exit_model(
            self.backbone_segments[: k + 1],
            self.exit_branches[: k + 1],
            (1.0,) * k,
            self.input_shape,
            self.num_classes,
            opset=opset,
            seed=seed,
            weights=weights,
            name=f"{self.name}_exit{k}",
        )


def _check_structure(
    backbone_segments: Sequence[Sequence[LayerSpec]],
    exit_branches: Sequence[Sequence[LayerSpec]],
    thresholds: Sequence[float],
    input_shape: Sequence[int],
    num_classes: int,
) -> None:
    """Validate the network description; `ValueError` with the offending layer otherwise."""
    if len(backbone_segments) != len(exit_branches) or not exit_branches:
        raise ValueError(
            "need one exit branch per backbone segment (the last one is the final classifier), "
            f"got {len(backbone_segments)} segments and {len(exit_branches)} exits"
        )
    if len(thresholds) != len(exit_branches) - 1:
        raise ValueError(
            f"need one threshold per early exit ({len(exit_branches) - 1}), got {len(thresholds)}"
        )
    for thr in thresholds:
        if not 0.0 <= float(thr) <= 1.0:
            raise ValueError(f"thresholds are softmax confidences in [0, 1], got {thr}")
    if num_classes < 2:
        raise ValueError(f"need at least 2 classes, got {num_classes}")
    if len(input_shape) != 3 or not all(int(d) >= 1 for d in input_shape):
        raise ValueError(f"input_shape is (C, H, W) with positive sizes, got {tuple(input_shape)}")
    shape: Shape = tuple(int(d) for d in input_shape)
    for k, (segment, branch) in enumerate(zip(backbone_segments, exit_branches, strict=True)):
        for i, layer in enumerate(segment):
            try:
                shape = infer_shape(layer, shape, num_classes)
            except ValueError as err:
                raise ValueError(f"backbone segment {k}, layer {i}: {err}") from None
        exit_shape = shape
        for i, layer in enumerate(branch):
            try:
                exit_shape = infer_shape(layer, exit_shape, num_classes)
            except ValueError as err:
                raise ValueError(f"exit branch {k}, layer {i}: {err}") from None
        if exit_shape != (num_classes,):
            raise ValueError(
                f"exit branch {k} must end in {num_classes} flat logits, ends in {exit_shape}"
            )


class _Emitter:
    """Emits the nodes and initializers of one model, PyTorch-style names included."""

    def __init__(
        self,
        opset: int,
        num_classes: int,
        rng: np.random.Generator,
        weights: Mapping[str, np.ndarray],
        first_tensor: int,
        output_name: str,
        reduce_axes: bool,
    ) -> None:
        """Prepare an emitter whose intermediate tensors are numbered from `first_tensor`."""
        self.opset = opset
        self.num_classes = num_classes
        self.rng = rng
        self.weights = weights
        self.used_weights: set[str] = set()
        self.initializers: list[TensorProto] = []
        self.node_count = 0
        self.tensor_count = first_tensor
        self.output_name = output_name
        self.reduce_axes = reduce_axes

    # -- naming ------------------------------------------------------------------------------
    def node_name(self, op_type: str) -> str:
        """The next PyTorch-style node name, e.g. `Conv_0`."""
        name = f"{op_type}_{self.node_count}"
        self.node_count += 1
        return name

    def tensor(self, final: bool = False) -> str:
        """The next numbered tensor name (a graph output keeps its own name but uses a number)."""
        name = str(self.tensor_count)
        self.tensor_count += 1
        return self.output_name if final else name

    # -- parameters --------------------------------------------------------------------------
    def param(self, name: str, default: np.ndarray) -> str:
        """Register initializer `name`, from `weights` when given there, else `default`."""
        value = default
        if name in self.weights:
            value = np.asarray(self.weights[name], dtype=default.dtype)
            if value.shape != default.shape:
                raise ValueError(
                    f"weight {name!r} has shape {value.shape}, the layer needs {default.shape}"
                )
            self.used_weights.add(name)
        self.initializers.append(numpy_helper.from_array(np.array(value, order="C"), name))
        return name

    def he_normal(self, shape: tuple[int, ...], fan_in: int) -> np.ndarray:
        """He-normal weights (std sqrt(2 / fan_in)) as float32."""
        return (self.rng.standard_normal(shape) * np.sqrt(2.0 / fan_in)).astype(np.float32)

    def bias_init(self, size: int, fan_in: int) -> np.ndarray:
        """PyTorch's default bias init, uniform in +-1/sqrt(fan_in), as float32."""
        bound = 1.0 / np.sqrt(fan_in)
        return self.rng.uniform(-bound, bound, size).astype(np.float32)

    # -- layers ------------------------------------------------------------------------------
    def layers(
        self,
        nodes: list[onnx.NodeProto],
        layers: Sequence[LayerSpec],
        x: str,
        shape: Shape,
        prefix: str,
        final: bool,
    ) -> tuple[str, Shape]:
        """Emit `layers` on tensor `x`; the last output is the graph output when `final`."""
        for i, layer in enumerate(layers):
            out_shape = infer_shape(layer, shape, self.num_classes)
            last = final and i == len(layers) - 1
            x = self.layer(nodes, layer, x, shape, out_shape, f"{prefix}.{i}", last)
            shape = out_shape
        return x, shape

    def layer(
        self,
        nodes: list[onnx.NodeProto],
        layer: LayerSpec,
        x: str,
        shape: Shape,
        out_shape: Shape,
        prefix: str,
        final: bool,
    ) -> str:
        """Emit one layer and return its output tensor."""
        match layer:
            case Conv():
                cin = shape[0]
                kh, kw = layer.kernel
                fan_in = cin // layer.groups * kh * kw
                inputs = [
                    x,
                    self.param(
                        f"{prefix}.weight",
                        self.he_normal((layer.out, cin // layer.groups, kh, kw), fan_in),
                    ),
                ]
                if layer.bias:
                    inputs.append(self.param(f"{prefix}.bias", self.bias_init(layer.out, fan_in)))
                return self.node(
                    nodes,
                    "Conv",
                    inputs,
                    final,
                    dilations=list(layer.dilation),
                    group=layer.groups,
                    kernel_shape=list(layer.kernel),
                    pads=list(layer.pads),
                    strides=list(layer.stride),
                )
            case MaxPool():
                attrs: dict[str, object] = {"ceil_mode": 0} if self.opset >= 10 else {}
                return self.node(
                    nodes,
                    "MaxPool",
                    [x],
                    final,
                    **attrs,
                    kernel_shape=list(layer.kernel),
                    pads=list(layer.pads),
                    strides=list(layer.stride),
                )
            case AvgPool():
                attrs = {"ceil_mode": 0} if self.opset >= 10 else {}
                return self.node(
                    nodes,
                    "AveragePool",
                    [x],
                    final,
                    **attrs,
                    count_include_pad=int(layer.count_include_pad),
                    kernel_shape=list(layer.kernel),
                    pads=list(layer.pads),
                    strides=list(layer.stride),
                )
            case GlobalAvgPool():
                return self.node(nodes, "GlobalAveragePool", [x], final)
            case Relu():
                return self.node(nodes, "Relu", [x], final)
            case Flatten():
                return self.node(nodes, "Flatten", [x], final, axis=1)
            case Linear():
                fin, fout = shape[0], out_shape[0]
                inputs = [x, self.param(f"{prefix}.weight", self.he_normal((fout, fin), fin))]
                if layer.bias:
                    inputs.append(self.param(f"{prefix}.bias", self.bias_init(fout, fin)))
                elif self.opset < 11:
                    inputs.append(self.param(f"{prefix}.bias", np.zeros(fout, np.float32)))
                return self.node(nodes, "Gemm", inputs, final, alpha=1.0, beta=1.0, transB=1)
            case BatchNorm():
                c = shape[0]
                inputs = [
                    x,
                    self.param(
                        f"{prefix}.weight", self.rng.uniform(0.5, 1.5, c).astype(np.float32)
                    ),
                    self.param(
                        f"{prefix}.bias", (0.1 * self.rng.standard_normal(c)).astype(np.float32)
                    ),
                    self.param(
                        f"{prefix}.running_mean",
                        (0.1 * self.rng.standard_normal(c)).astype(np.float32),
                    ),
                    self.param(
                        f"{prefix}.running_var", self.rng.uniform(0.5, 1.5, c).astype(np.float32)
                    ),
                ]
                return self.node(
                    nodes,
                    "BatchNormalization",
                    inputs,
                    final,
                    epsilon=float(layer.eps),
                    momentum=float(layer.momentum),
                )
            case Residual():
                main, _ = self.layers(nodes, layer.body, x, shape, f"{prefix}.body", False)
                skip, _ = self.layers(nodes, layer.shortcut, x, shape, f"{prefix}.shortcut", False)
                return self.node(nodes, "Add", [main, skip], final)
            case Dropout():
                if self.opset < 12:
                    return self.node(nodes, "Dropout", [x], final, ratio=float(layer.ratio))
                ratio = self.param(f"{prefix}.ratio", np.array(layer.ratio, dtype=np.float32))
                return self.node(nodes, "Dropout", [x, ratio], final)
        raise TypeError(f"not a layer spec: {layer!r}")

    def node(
        self,
        nodes: list[onnx.NodeProto],
        op_type: str,
        inputs: list[str],
        final: bool = False,
        **attrs: object,
    ) -> str:
        """Append one node with a fresh name and output tensor; return the output's name."""
        name = self.node_name(op_type)
        out = self.tensor(final)
        nodes.append(helper.make_node(op_type, inputs, [out], name=name, **attrs))
        return out

    # -- exits -------------------------------------------------------------------------------
    def decision(self, nodes: list[onnx.NodeProto], logits: str, threshold: float) -> str:
        """Emit `Softmax -> ReduceMax -> Greater(Constant thr) -> Cast(BOOL)`; return the cond."""
        probs = self.node(nodes, "Softmax", [logits], axis=1)
        if not self.reduce_axes:
            top = self.node(nodes, "ReduceMax", [probs], keepdims=0)
        elif self.opset < 18:
            top = self.node(nodes, "ReduceMax", [probs], axes=[1], keepdims=0)
        else:
            axes = self.node(
                nodes, "Constant", [], value=numpy_helper.from_array(np.array([1], np.int64))
            )
            top = self.node(nodes, "ReduceMax", [probs, axes], keepdims=0)
        thr = self.node(
            nodes,
            "Constant",
            [],
            value=numpy_helper.from_array(np.array([threshold], dtype=np.float32)),
        )
        greater = self.node(nodes, "Greater", [top, thr])
        return self.node(nodes, "Cast", [greater], to=TensorProto.BOOL)

    def stage(
        self,
        nodes: list[onnx.NodeProto],
        k: int,
        x: str,
        shape: Shape,
        segments: Sequence[Sequence[LayerSpec]],
        branches: Sequence[Sequence[LayerSpec]],
        thresholds: Sequence[float],
        final: bool,
        graph_name: str,
    ) -> str:
        """Emit stage `k` (segment, exit, and the `If` that holds all later stages)."""
        last = k == len(branches) - 1
        feat, shape = self.layers(nodes, segments[k], x, shape, f"backbone.{k}", False)
        if last:
            if not branches[k]:
                # The final exit is the segment's own output: forward it.
                return self.node(nodes, "Identity", [feat], final)
            out, _ = self.layers(nodes, branches[k], feat, shape, f"exits.{k}", final)
            return out
        if not branches[k]:
            raise ValueError(f"early exit branch {k} needs at least one layer")
        logits, _ = self.layers(nodes, branches[k], feat, shape, f"exits.{k}", False)
        cond = self.decision(nodes, logits, float(thresholds[k]))
        if_name = self.node_name("If")
        if_out = self.tensor(final)
        logits_type = [1, self.num_classes]

        then_nodes: list[onnx.NodeProto] = []
        then_out = self.node(then_nodes, "Identity", [logits])
        else_nodes: list[onnx.NodeProto] = []
        else_out = self.stage(
            else_nodes, k + 1, feat, shape, segments, branches, thresholds, False, graph_name
        )
        then_graph = helper.make_graph(
            then_nodes,
            f"{graph_name}_exit{k}_then",
            [],
            [helper.make_tensor_value_info(then_out, TensorProto.FLOAT, logits_type)],
        )
        else_graph = helper.make_graph(
            else_nodes,
            f"{graph_name}_exit{k}_else",
            [],
            [helper.make_tensor_value_info(else_out, TensorProto.FLOAT, logits_type)],
        )
        if_node = helper.make_node("If", [cond], [if_out], name=if_name)
        # make_node sorts attributes by name; PyTorch writes then_branch first.
        if_node.attribute.extend(
            [
                helper.make_attribute("then_branch", then_graph),
                helper.make_attribute("else_branch", else_graph),
            ]
        )
        nodes.append(if_node)
        return if_out


def build_early_exit_model(
    backbone_segments: Sequence[Sequence[LayerSpec]],
    exit_branches: Sequence[Sequence[LayerSpec]],
    thresholds: Sequence[float],
    input_shape: Sequence[int],
    num_classes: int,
    opset: int = DEFAULT_OPSET,
    seed: int = 0,
    *,
    weights: Mapping[str, np.ndarray] | None = None,
    name: str = "early_exit",
    input_name: str = "input",
    output_name: str = "exit",
    reduce_axes: bool = False,
    metadata: Mapping[str, str] | None = None,
) -> onnx.ModelProto:
    """
    Build an early-exit CNN as an ONNX model in PyTorch's exported `If` form.

    Args:
        backbone_segments: `N + 1` layer lists; segment `k` feeds segment `k + 1` and exit `k`.
        exit_branches: `N + 1` layer lists; exit `k` reads segment `k`'s output and must end in
            `num_classes` flat logits; the last one is the final classifier (it may be empty when
            the last segment already ends in the logits).
        thresholds: `N` softmax-confidence thresholds; exit `k` is taken when
            `max(softmax(logits_k)) > thresholds[k]`. With `N = 0` the model has no `If`.
        input_shape: `(C, H, W)` of the input; the batch is 1 (a leading 1 is accepted).
        num_classes: number of classes of every exit.
        opset: ONNX opset, 9 to 21 (default 12, what PyTorch 1.8 used).
        seed: seed of the deterministic weights.
        weights: initializer values by name that replace the seeded ones (shapes must match;
            unknown names are an error).
        name: the main graph's name (branches are named after it).
        input_name: the graph input's name.
        output_name: the graph output's name (`[1, num_classes]` logits of the exit taken).
        reduce_axes: give `ReduceMax` explicit `axes=[1]` (an input from opset 18) instead of
            PyTorch 1.8's reduce-over-everything form.
        metadata: extra `metadata_props` of the model.

    Returns:
        A model that passes `onnx.checker.check_model(full_check=True)` and runs in onnxruntime.
    """
    if not MIN_OPSET <= opset <= MAX_OPSET:
        raise ValueError(f"opset must be in {MIN_OPSET}..{MAX_OPSET}, got {opset}")
    shape = tuple(int(d) for d in input_shape)
    if len(shape) == 4:
        if shape[0] != 1:
            raise ValueError(f"the batch size is 1, got input_shape {shape}")
        shape = shape[1:]
    _check_structure(backbone_segments, exit_branches, thresholds, shape, num_classes)
    weights = dict(weights or {})

    def emit(first_tensor: int) -> tuple[_Emitter, list[onnx.NodeProto]]:
        emitter = _Emitter(
            opset,
            num_classes,
            np.random.default_rng(seed),
            weights,
            first_tensor,
            output_name,
            reduce_axes,
        )
        nodes: list[onnx.NodeProto] = []
        emitter.stage(
            nodes,
            0,
            input_name,
            shape,
            backbone_segments,
            exit_branches,
            thresholds,
            True,
            name,
        )
        return emitter, nodes

    # PyTorch numbers intermediate tensors after the graph input and the parameters.
    probe, _ = emit(0)
    emitter, nodes = emit(1 + len(probe.initializers))
    unused = sorted(set(weights) - emitter.used_weights)
    if unused:
        raise ValueError(f"weights given for no parameter of this network: {unused}")

    graph = helper.make_graph(
        nodes,
        name,
        [helper.make_tensor_value_info(input_name, TensorProto.FLOAT, [1, *shape])],
        [helper.make_tensor_value_info(output_name, TensorProto.FLOAT, [1, num_classes])],
        initializer=emitter.initializers,
    )
    model = helper.make_model(
        graph,
        opset_imports=[helper.make_opsetid("", opset)],
        producer_name=PRODUCER,
        producer_version="0.1.0",
        ir_version=helper.find_min_ir_version_for([helper.make_opsetid("", opset)]),
    )
    if metadata:
        helper.set_model_props(model, dict(metadata))
    return model


def segment_shapes(
    backbone_segments: Sequence[Sequence[LayerSpec]],
    input_shape: Sequence[int],
    num_classes: int,
) -> list[Shape]:
    """The output shape `(C, H, W)` or `(F,)` of every backbone segment, without the batch."""
    shape: Shape = tuple(int(d) for d in input_shape)
    shapes = []
    for segment in backbone_segments:
        for layer in segment:
            shape = infer_shape(layer, shape, num_classes)
        shapes.append(shape)
    return shapes
