"""
Small model-zoo-style CNNs, written the way their exporters write them.

Each builder returns a deterministic, checker-clean ONNX model (input `1x3x32x32`, 10 classes,
few channels, so the whole pipeline runs in seconds) that keeps the *structure* of a classic
network and the node patterns its exporter produces:

- `alexnet_caffe`: the ONNX-model-zoo BVLC AlexNet (opset 9): grouped convolutions, `LRN`,
  `Reshape` by a constant shape initializer, `Gemm` with `Dropout`, a final `Softmax`;
- `alexnet_grouped`: the same without `LRN` and `Softmax` (only the grouped convolutions left);
- `alexnet_torchvision`: torchvision's AlexNet exported at opset 9 (`Flatten`, `Dropout`, `Gemm`);
- `vgg`: 3x3 convolution stacks, `MaxPool`, `Flatten`, `Gemm` (opset 12);
- `vgg_mul_add_bn`: VGG with batch norm written as `Mul`/`Add` by per-channel `[C, 1, 1]`
  constants after bias-free convolutions (what converters from other frameworks write), opset 9;
- `resnet`: Conv + `BatchNormalization` + Relu basic blocks with a residual `Add` of two run-time
  tensors, `GlobalAveragePool`, `Flatten`, `Gemm` (opset 11);
- `resnet_mul_add_bn`: the same block with batch norm as `Mul`/`Add` (opset 9);
- `resnet_sum`: the residual as `Sum` (opset 9);
- `squeezenet`: fire modules (1x1 squeeze, parallel 1x1/3x3 expands, `Concat`), a 1x1
  classifier convolution and `GlobalAveragePool` (opset 9, like the zoo's SqueezeNet 1.0);
- `inception`: one block of parallel 1x1, 1x1-3x3, 1x1-5x5 and pool-1x1 branches joined by
  `Concat` (opset 11);
- `pytorch_view`: what PyTorch writes for `x.view(x.size(0), -1)` (`Shape -> Gather ->
  Unsqueeze -> Concat -> Reshape`) and for `torch.full`/`zeros` buffers (`ConstantOfShape`)
  used as a convolution bias and a `Gemm` bias (opset 11).

`ZOO` maps each name to its builder. The chain parts reuse the example-model builder's layer
emitter (`builder._Emitter`), so weights and names follow the same PyTorch conventions.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

from atheena_ir.models.builder import PRODUCER, _Emitter
from atheena_ir.models.layers import (
    LayerSpec,
    Shape,
    batchnorm,
    conv,
    dropout,
    flatten,
    global_avgpool,
    linear,
    maxpool,
    relu,
)

INPUT_SHAPE = (3, 32, 32)
NUM_CLASSES = 10


class _Graph:
    """A DAG under construction: the builder's layer emitter plus joins, constants and LRN."""

    def __init__(self, name: str, opset: int, seed: int) -> None:
        """Start graph `name` at `opset` with seeded weights; its input is `input`."""
        self.name, self.opset = name, opset
        rng = np.random.default_rng(seed)
        self.e = _Emitter(opset, NUM_CLASSES, rng, {}, 1, "output", False)
        self.nodes: list[onnx.NodeProto] = []
        self.shapes: dict[str, Shape] = {"input": INPUT_SHAPE}

    def layers(self, x: str, specs: Sequence[LayerSpec], prefix: str, final: bool = False) -> str:
        """Emit a chain of layer specs on `x` (the graph output when `final`)."""
        out, shape = self.e.layers(self.nodes, specs, x, self.shapes[x], prefix, final)
        self.shapes[out] = shape
        return out

    def node(
        self, op: str, inputs: list[str], shape: Shape, final: bool = False, **a: object
    ) -> str:
        """Emit one node whose output has `shape` (without the batch)."""
        out = self.e.node(self.nodes, op, inputs, final, **a)
        self.shapes[out] = shape
        return out

    def param(self, name: str, value: np.ndarray) -> str:
        """An initializer."""
        return self.e.param(name, np.asarray(value))

    def constant(self, value: np.ndarray) -> str:
        """A `Constant` node holding `value`."""
        return self.e.node(self.nodes, "Constant", [], value=numpy_helper.from_array(value))

    def channel(self, x: str) -> int:
        """The channel count of feature map `x`."""
        return self.shapes[x][0]

    def mul_add_bn(self, x: str, prefix: str) -> str:
        """Batch norm as `Mul(x, scale[C,1,1])` then `Add(., shift[C,1,1])`."""
        c = self.channel(x)
        scale = self.e.rng.uniform(0.5, 1.5, (c, 1, 1)).astype(np.float32)
        shift = (0.1 * self.e.rng.standard_normal((c, 1, 1))).astype(np.float32)
        y = self.node("Mul", [x, self.param(f"{prefix}.mul", scale)], self.shapes[x])
        return self.node("Add", [y, self.param(f"{prefix}.add", shift)], self.shapes[x])

    def lrn(self, x: str) -> str:
        """AlexNet's local response normalisation (size 5, alpha 1e-4, beta 0.75, bias 1)."""
        return self.node("LRN", [x], self.shapes[x], alpha=1e-4, beta=0.75, bias=1.0, size=5)

    def concat(self, xs: list[str]) -> str:
        """`Concat` along the channels."""
        c = sum(self.channel(x) for x in xs)
        return self.node("Concat", xs, (c, *self.shapes[xs[0]][1:]), axis=1)

    def model(self, out: str) -> onnx.ModelProto:
        """The finished model; `out` must be the tensor named `output`."""
        assert out == "output", out
        graph = helper.make_graph(
            self.nodes,
            self.name,
            [helper.make_tensor_value_info("input", TensorProto.FLOAT, [1, *INPUT_SHAPE])],
            [helper.make_tensor_value_info("output", TensorProto.FLOAT, [1, NUM_CLASSES])],
            initializer=self.e.initializers,
        )
        opset = [helper.make_opsetid("", self.opset)]
        model = helper.make_model(
            graph,
            opset_imports=opset,
            producer_name=PRODUCER,
            producer_version="0.1.0",
            ir_version=helper.find_min_ir_version_for(opset),
        )
        onnx.checker.check_model(model, full_check=True)
        return model


def alexnet_caffe(seed: int = 0, opset: int = 9, lrn: bool = True) -> onnx.ModelProto:
    """BVLC AlexNet as in the ONNX zoo: grouped convs, LRN, constant-shape Reshape, Softmax."""
    g = _Graph("alexnet_caffe" if lrn else "alexnet_grouped", opset, seed)
    x = g.layers("input", [conv(8, 5, stride=2, pad=2), relu()], "conv1")
    x = g.lrn(x) if lrn else x
    x = g.layers(x, [maxpool(3, 2), conv(16, 3, pad=1, groups=2), relu()], "conv2")
    x = g.lrn(x) if lrn else x
    x = g.layers(x, [maxpool(3, 2)], "pool2")
    flat = (int(np.prod(g.shapes[x])),)
    x = g.node("Reshape", [x, g.param("OC2_DUMMY_1", np.array([1, -1], np.int64))], flat)
    fc = [linear(32), relu(), dropout(), linear(NUM_CLASSES)]
    x = g.layers(x, fc, "fc", final=not lrn)
    if lrn:
        x = g.node("Softmax", [x], (NUM_CLASSES,), final=True, axis=1)
    return g.model(x)


def alexnet_grouped(seed: int = 0, opset: int = 9) -> onnx.ModelProto:
    """`alexnet_caffe` without LRN and Softmax: the grouped convolutions are what is left."""
    return alexnet_caffe(seed, opset, lrn=False)


def alexnet_torchvision(seed: int = 0, opset: int = 9) -> onnx.ModelProto:
    """torchvision's AlexNet layout (features, Flatten, Dropout/Gemm classifier), opset 9."""
    g = _Graph("alexnet_torchvision", opset, seed)
    features = [
        *(conv(8, 5, stride=2, pad=2), relu(), maxpool(3, 2)),
        *(conv(16, 3, pad=1), relu(), conv(16, 3, pad=1), relu(), maxpool(3, 2)),
    ]
    x = g.layers("input", features, "features")
    classifier = [flatten(), dropout(), linear(32), relu(), dropout(), linear(NUM_CLASSES)]
    return g.model(g.layers(x, classifier, "classifier", final=True))


def vgg(seed: int = 0, opset: int = 12) -> onnx.ModelProto:
    """VGG: two stacks of two 3x3 convolutions with max pooling, then Flatten and Gemm."""
    g = _Graph("vgg", opset, seed)
    features = [conv(8, 3, pad=1), relu(), conv(8, 3, pad=1), relu(), maxpool(2)]
    features += [conv(16, 3, pad=1), relu(), conv(16, 3, pad=1), relu(), maxpool(2)]
    x = g.layers("input", features, "features")
    classifier = [flatten(), linear(32), relu(), dropout(), linear(NUM_CLASSES)]
    return g.model(g.layers(x, classifier, "classifier", final=True))


def vgg_mul_add_bn(seed: int = 0, opset: int = 9) -> onnx.ModelProto:
    """VGG with bias-free convolutions and batch norm written as per-channel `Mul` + `Add`."""
    g = _Graph("vgg_mul_add_bn", opset, seed)
    x = "input"
    for i, (c, pool) in enumerate([(8, False), (8, True), (16, False), (16, True)]):
        x = g.layers(x, [conv(c, 3, pad=1, bias=False)], f"features.{i}")
        x = g.layers(g.mul_add_bn(x, f"features.{i}.bn"), [relu()], f"features.{i}")
        x = g.layers(x, [maxpool(2)], f"features.{i}") if pool else x
    classifier = [flatten(), linear(32), relu(), linear(NUM_CLASSES)]
    return g.model(g.layers(x, classifier, "classifier", final=True))


def _resnet(name: str, opset: int, seed: int, bn: str, join: str) -> onnx.ModelProto:
    """A ResNet: stem, two basic blocks (the second downsampling with a 1x1 projection), GAP."""
    g = _Graph(name, opset, seed)

    def conv_bn(x: str, c: int, k: int, stride: int, prefix: str) -> str:
        x = g.layers(x, [conv(c, k, stride=stride, pad=k // 2, bias=False)], prefix)
        if bn == "mul_add":
            return g.mul_add_bn(x, f"{prefix}.bn")
        return g.layers(x, [batchnorm()], f"{prefix}.bn")

    x = g.layers(conv_bn("input", 8, 3, 1, "conv1"), [relu(), maxpool(2)], "stem")
    for i, (c, stride) in enumerate([(8, 1), (16, 2)]):
        y = g.layers(conv_bn(x, c, 3, stride, f"layer{i}.conv1"), [relu()], f"layer{i}")
        y = conv_bn(y, c, 3, 1, f"layer{i}.conv2")
        short = x if stride == 1 else conv_bn(x, c, 1, stride, f"layer{i}.downsample")
        x = g.layers(g.node(join, [y, short], g.shapes[y]), [relu()], f"layer{i}")
    head = [global_avgpool(), flatten(), linear(NUM_CLASSES)]
    return g.model(g.layers(x, head, "fc", final=True))


def resnet(seed: int = 0, opset: int = 11) -> onnx.ModelProto:
    """ResNet with `BatchNormalization` and a residual `Add`, as torchvision exports it."""
    return _resnet("resnet", opset, seed, "batchnorm", "Add")


def resnet_mul_add_bn(seed: int = 0, opset: int = 9) -> onnx.ModelProto:
    """ResNet with batch norm as per-channel `Mul` + `Add` and a residual `Add` (opset 9)."""
    return _resnet("resnet_mul_add_bn", opset, seed, "mul_add", "Add")


def resnet_sum(seed: int = 0, opset: int = 9) -> onnx.ModelProto:
    """ResNet whose residual join is a `Sum` node (opset 9)."""
    return _resnet("resnet_sum", opset, seed, "batchnorm", "Sum")


def squeezenet(seed: int = 0, opset: int = 9) -> onnx.ModelProto:
    """SqueezeNet 1.0: stem, two fire modules with `Concat`, 1x1 classifier conv, GAP."""
    g = _Graph("squeezenet", opset, seed)
    x = g.layers("input", [conv(16, 3, stride=2), relu(), maxpool(3, 2)], "features.0")
    for i, (s, e) in enumerate([(4, 8), (8, 16)]):
        sq = g.layers(x, [conv(s, 1), relu()], f"features.{i + 1}.squeeze")
        e1 = g.layers(sq, [conv(e, 1), relu()], f"features.{i + 1}.expand1x1")
        e3 = g.layers(sq, [conv(e, 3, pad=1), relu()], f"features.{i + 1}.expand3x3")
        x = g.concat([e1, e3])
    head = [dropout(), conv(NUM_CLASSES, 1), relu(), global_avgpool(), flatten()]
    return g.model(g.layers(x, head, "classifier", final=True))


def inception(seed: int = 0, opset: int = 11) -> onnx.ModelProto:
    """GoogLeNet-style: a stem, one inception block (four branches, `Concat`), GAP, Gemm."""
    g = _Graph("inception", opset, seed)
    x = g.layers("input", [conv(8, 3, pad=1), relu(), maxpool(2)], "stem")
    b1 = g.layers(x, [conv(4, 1), relu()], "inception.branch1")
    b2 = g.layers(x, [conv(4, 1), relu(), conv(8, 3, pad=1), relu()], "inception.branch2")
    b3 = g.layers(x, [conv(2, 1), relu(), conv(4, 5, pad=2), relu()], "inception.branch3")
    b4 = g.layers(x, [maxpool(3, 1, pad=1), conv(4, 1), relu()], "inception.branch4")
    x = g.concat([b1, b2, b3, b4])
    head = [global_avgpool(), flatten(), dropout(), linear(NUM_CLASSES)]
    return g.model(g.layers(x, head, "fc", final=True))


def pytorch_view(seed: int = 0, opset: int = 11) -> onnx.ModelProto:
    """
    `x.view(x.size(0), -1)` as `Shape -> Gather -> Unsqueeze -> Concat -> Reshape`, and biases
    made at run time by `ConstantOfShape` (`torch.full` buffers), as PyTorch exports them.
    """
    g = _Graph("pytorch_view", opset, seed)
    w = g.param("conv.weight", g.e.he_normal((8, 3, 3, 3), 27))
    bias_shape = g.constant(np.array([8], np.int64))
    fill = numpy_helper.from_array(np.array([0.05], np.float32))
    conv_bias = g.node("ConstantOfShape", [bias_shape], (8,), value=fill)
    x = g.node("Conv", ["input", w, conv_bias], (8, 30, 30), kernel_shape=[3, 3])
    x = g.layers(x, [relu(), maxpool(2)], "features")
    shape = g.node("Shape", [x], (4,))
    batch = g.node("Gather", [shape, g.constant(np.array(0, np.int64))], (), axis=0)
    batch = g.node("Unsqueeze", [batch], (1,), axes=[0])
    minus_one = g.node("Unsqueeze", [g.constant(np.array(-1, np.int64))], (1,), axes=[0])
    target = g.node("Concat", [batch, minus_one], (2,), axis=0)
    flat = int(np.prod(g.shapes[x]))
    x = g.node("Reshape", [x, target], (flat,))
    fc_w = g.param("fc.weight", g.e.he_normal((NUM_CLASSES, flat), flat))
    fc_b = g.node(
        "ConstantOfShape", [g.constant(np.array([NUM_CLASSES], np.int64))], (NUM_CLASSES,)
    )
    out = g.node("Gemm", [x, fc_w, fc_b], (NUM_CLASSES,), final=True, transB=1)
    return g.model(out)


ZOO: dict[str, Callable[[], onnx.ModelProto]] = {
    "alexnet_caffe": alexnet_caffe,
    "alexnet_grouped": alexnet_grouped,
    "alexnet_torchvision": alexnet_torchvision,
    "vgg": vgg,
    "vgg_mul_add_bn": vgg_mul_add_bn,
    "resnet": resnet,
    "resnet_mul_add_bn": resnet_mul_add_bn,
    "resnet_sum": resnet_sum,
    "squeezenet": squeezenet,
    "inception": inception,
    "pytorch_view": pytorch_view,
}
"""Every zoo graph by name; each builder takes `seed` and `opset` keywords."""
