"""
B-AlexNet (BranchyNet AlexNet on CIFAR-10 `3x32x32`, one early exit) and its no-exit backbone.

Layer lists from reference/atheena.md section 5 (`branchy-alexnet_230109.onnx`):

- stage 1: Conv5x5(3->32, pad 2) -> ReLU -> MaxPool3/2 (32x15x15);
- exit 1: Conv3x3(32->64, pad 1) -> ReLU -> MaxPool3/2 (64x7x7) -> Conv3x3(64->32, pad 1) -> ReLU
  -> MaxPool3/2 (32x3x3) -> Flatten -> FC 288->10;
- stage 2: Conv5x5(32->64, pad 2) -> ReLU -> MaxPool3/2 (64x7x7) -> Conv3x3(64->96, pad 1) -> ReLU
  -> Conv3x3(96->96, pad 1) -> ReLU -> Conv3x3(96->64, pad 1) -> ReLU -> MaxPool3/2 (64x3x3)
  -> Flatten;
- final exit: FC 576->256 -> ReLU -> FC 256->128 -> ReLU -> FC 128->10.

The 3x3 convolutions of stage 2 need pad 1 for the stated 64x3x3 (576) classifier input.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import onnx

from atheena_ir.models.builder import DEFAULT_OPSET, EarlyExitNetwork
from atheena_ir.models.layers import LayerSpec, conv, flatten, linear, maxpool, relu

B_ALEXNET_THRESHOLD = 0.6
"""The exit threshold of the ATHEENA B-AlexNet ONNX."""

CIFAR_SHAPE = (3, 32, 32)


def _alexnet_layers(
    num_classes: int,
) -> tuple[list[LayerSpec], list[LayerSpec], list[LayerSpec], list[LayerSpec]]:
    """Stage 1, exit 1, stage 2 and the final exit of B-AlexNet."""
    stage1 = [conv(32, 5, pad=2), relu(), maxpool(3, 2)]
    exit1 = [
        conv(64, 3, pad=1),
        relu(),
        maxpool(3, 2),
        conv(32, 3, pad=1),
        relu(),
        maxpool(3, 2),
        flatten(),
        linear(num_classes),
    ]
    stage2 = [
        conv(64, 5, pad=2),
        relu(),
        maxpool(3, 2),
        conv(96, 3, pad=1),
        relu(),
        conv(96, 3, pad=1),
        relu(),
        conv(64, 3, pad=1),
        relu(),
        maxpool(3, 2),
        flatten(),
    ]
    final = [linear(256), relu(), linear(128), relu(), linear(num_classes)]
    return stage1, exit1, stage2, final


def b_alexnet_network(
    threshold: float = B_ALEXNET_THRESHOLD, num_classes: int = 10
) -> EarlyExitNetwork:
    """The B-AlexNet description (2 exits)."""
    stage1, exit1, stage2, final = _alexnet_layers(num_classes)
    return EarlyExitNetwork(
        (tuple(stage1), tuple(stage2)),
        (tuple(exit1), tuple(final)),
        (threshold,),
        CIFAR_SHAPE,
        num_classes,
        name="b_alexnet",
    )


def alexnet_backbone_network(num_classes: int = 10) -> EarlyExitNetwork:
    """The AlexNet backbone of B-AlexNet without its early exit."""
    stage1, _, stage2, final = _alexnet_layers(num_classes)
    return EarlyExitNetwork(
        (tuple(stage1 + stage2),),
        (tuple(final),),
        (),
        CIFAR_SHAPE,
        num_classes,
        name="alexnet_backbone",
    )


def b_alexnet(
    threshold: float = B_ALEXNET_THRESHOLD,
    *,
    num_classes: int = 10,
    opset: int = DEFAULT_OPSET,
    seed: int = 0,
    weights: Mapping[str, np.ndarray] | None = None,
) -> onnx.ModelProto:
    """B-AlexNet as ONNX in PyTorch's `If` form (input 1x3x32x32, output `exit`)."""
    return b_alexnet_network(threshold, num_classes).build(opset, seed, weights=weights)


def alexnet_backbone(
    *,
    num_classes: int = 10,
    opset: int = DEFAULT_OPSET,
    seed: int = 0,
    weights: Mapping[str, np.ndarray] | None = None,
) -> onnx.ModelProto:
    """The no-exit AlexNet backbone as ONNX."""
    return alexnet_backbone_network(num_classes).build(opset, seed, weights=weights)
