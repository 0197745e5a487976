"""
Triple-Wins SmallCNN (MNIST `1x28x28`, one early exit) and its no-exit backbone.

Layer lists from reference/atheena.md section 5 (`TripleWins_SmallCNN_230103.onnx`):

- stage 1: Conv3x3(1->32) -> ReLU (32x26x26);
- exit 1: Conv3x3 stride 2 (32->16) -> MaxPool2 (16x6x6) -> Flatten -> FC 576->200 -> FC 200->200
  -> FC 200->10 (no activations between the FCs, as in the original);
- stage 2: Conv3x3(32->32) -> ReLU -> MaxPool2 -> Conv3x3(32->64) -> ReLU -> Conv3x3(64->64) -> ReLU
  -> MaxPool2 (64x4x4) -> Flatten;
- final exit: FC 1024->200 -> ReLU -> FC 200->200 -> ReLU -> FC 200->10.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import onnx

from atheena_ir.models.builder import DEFAULT_OPSET, EarlyExitNetwork
from atheena_ir.models.layers import LayerSpec, conv, flatten, linear, maxpool, relu

TRIPLE_WINS_THRESHOLD = 0.6
"""The exit threshold of the ATHEENA Triple-Wins ONNX."""

MNIST_SHAPE = (1, 28, 28)


def _triple_wins_layers(
    num_classes: int,
) -> tuple[list[LayerSpec], list[LayerSpec], list[LayerSpec], list[LayerSpec]]:
    """Stage 1, exit 1, stage 2 and the final exit of Triple-Wins."""
    stage1 = [conv(32, 3), relu()]
    exit1 = [conv(16, 3, stride=2), maxpool(2), flatten(), linear(200), linear(200)]
    exit1.append(linear(num_classes))
    stage2 = [
        conv(32, 3),
        relu(),
        maxpool(2),
        conv(64, 3),
        relu(),
        conv(64, 3),
        relu(),
        maxpool(2),
        flatten(),
    ]
    final = [linear(200), relu(), linear(200), relu(), linear(num_classes)]
    return stage1, exit1, stage2, final


def triple_wins_network(
    threshold: float = TRIPLE_WINS_THRESHOLD, num_classes: int = 10
) -> EarlyExitNetwork:
    """The Triple-Wins description (2 exits)."""
    stage1, exit1, stage2, final = _triple_wins_layers(num_classes)
    return EarlyExitNetwork(
        (tuple(stage1), tuple(stage2)),
        (tuple(exit1), tuple(final)),
        (threshold,),
        MNIST_SHAPE,
        num_classes,
        name="triple_wins",
    )


def triple_wins_backbone_network(num_classes: int = 10) -> EarlyExitNetwork:
    """The Triple-Wins backbone without its early exit."""
    stage1, _, stage2, final = _triple_wins_layers(num_classes)
    return EarlyExitNetwork(
        (tuple(stage1 + stage2),),
        (tuple(final),),
        (),
        MNIST_SHAPE,
        num_classes,
        name="triple_wins_backbone",
    )


def triple_wins(
    threshold: float = TRIPLE_WINS_THRESHOLD,
    *,
    num_classes: int = 10,
    opset: int = DEFAULT_OPSET,
    seed: int = 0,
    weights: Mapping[str, np.ndarray] | None = None,
) -> onnx.ModelProto:
    """Triple-Wins as ONNX in PyTorch's `If` form (input 1x1x28x28, output `exit`)."""
    return triple_wins_network(threshold, num_classes).build(opset, seed, weights=weights)


def triple_wins_backbone(
    *,
    num_classes: int = 10,
    opset: int = DEFAULT_OPSET,
    seed: int = 0,
    weights: Mapping[str, np.ndarray] | None = None,
) -> onnx.ModelProto:
    """The no-exit Triple-Wins backbone as ONNX."""
    return triple_wins_backbone_network(num_classes).build(opset, seed, weights=weights)
