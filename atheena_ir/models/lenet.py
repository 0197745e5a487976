"""
B-LeNet (BranchyNet LeNet, ATHEENA's `B_Lenet_se`) on MNIST `1x28x28`, and its no-exit backbone.

Layer lists from reference/atheena.md section 5 (the shared `branchy_lenet_20220902.onnx`):

- stage 1: Conv5x5(1->5, pad 4) -> MaxPool2 -> ReLU (5x16x16);
- exit 1: Conv3x3(5->10, pad 1) -> MaxPool2 -> ReLU -> Flatten -> FC 640->10;
- stage 2: Conv5x5(5->10, pad 4) -> MaxPool2 -> ReLU -> Conv5x5(10->20, pad 3) -> MaxPool2 -> ReLU
  -> Flatten (720);
- final exit: FC 720->10.

The input is the image scaled to [0, 1] (no mean/std normalisation), as the shared model expects.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import onnx

from atheena_ir.models.builder import DEFAULT_OPSET, EarlyExitNetwork
from atheena_ir.models.layers import LayerSpec, conv, flatten, linear, maxpool, relu

BLENET_THRESHOLD = 0.996
"""The exit threshold of the ATHEENA B-LeNet ONNX."""

MNIST_SHAPE = (1, 28, 28)


def _lenet_layers(
    num_classes: int,
) -> tuple[list[LayerSpec], list[LayerSpec], list[LayerSpec], list[LayerSpec]]:
    """Stage 1, exit 1, stage 2 and the final exit of B-LeNet."""
    stage1 = [conv(5, 5, pad=4), maxpool(2), relu()]
    exit1 = [conv(10, 3, pad=1), maxpool(2), relu(), flatten(), linear(num_classes)]
    stage2 = [
        conv(10, 5, pad=4),
        maxpool(2),
        relu(),
        conv(20, 5, pad=3),
        maxpool(2),
        relu(),
        flatten(),
    ]
    final = [linear(num_classes)]
    return stage1, exit1, stage2, final


def b_lenet_network(threshold: float = BLENET_THRESHOLD, num_classes: int = 10) -> EarlyExitNetwork:
    """The B-LeNet description (2 exits)."""
    stage1, exit1, stage2, final = _lenet_layers(num_classes)
    return EarlyExitNetwork(
        (tuple(stage1), tuple(stage2)),
        (tuple(exit1), tuple(final)),
        (threshold,),
        MNIST_SHAPE,
        num_classes,
        name="b_lenet",
    )


def lenet_backbone_network(num_classes: int = 10) -> EarlyExitNetwork:
    """The LeNet backbone of B-LeNet without its early exit."""
    stage1, _, stage2, final = _lenet_layers(num_classes)
    return EarlyExitNetwork(
        (tuple(stage1 + stage2),), (tuple(final),), (), MNIST_SHAPE, num_classes, "lenet_backbone"
    )


def b_lenet(
    threshold: float = BLENET_THRESHOLD,
    *,
    num_classes: int = 10,
    opset: int = DEFAULT_OPSET,
    seed: int = 0,
    weights: Mapping[str, np.ndarray] | None = None,
    metadata: Mapping[str, str] | None = None,
) -> onnx.ModelProto:
    """B-LeNet as ONNX in PyTorch's `If` form (input `input` 1x1x28x28, output `exit` 1x10)."""
    return b_lenet_network(threshold, num_classes).build(
        opset, seed, weights=weights, metadata=metadata
    )


def lenet_backbone(
    *,
    num_classes: int = 10,
    opset: int = DEFAULT_OPSET,
    seed: int = 0,
    weights: Mapping[str, np.ndarray] | None = None,
) -> onnx.ModelProto:
    """The no-exit LeNet backbone as ONNX (a plain chain, output `exit`)."""
    return lenet_backbone_network(num_classes).build(opset, seed, weights=weights)
