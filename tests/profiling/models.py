"""Small early-exit models for the profiling tests (ONNX built by the project's model builder)."""

from __future__ import annotations

from pathlib import Path

import onnx
from xdsl.dialects.builtin import ModuleOp

from atheena_ir.models import build_early_exit_model, conv, flatten, linear, maxpool, relu
from atheena_ir.onnx_frontend import import_onnx

REPO = Path(__file__).resolve().parents[2]
TRAINED_BLENET = REPO / "examples" / "blenet_mnist.onnx"


def three_exit_onnx(seed: int = 3) -> onnx.ModelProto:
    """An MNIST-shaped network with two early exits and the final classifier (seeded weights)."""
    return build_early_exit_model(
        backbone_segments=[
            [conv(4, 3), relu(), maxpool(2)],
            [conv(6, 3), relu()],
            [conv(8, 3), relu(), maxpool(2)],
        ],
        exit_branches=[
            [flatten(), linear(10)],
            [flatten(), linear(10)],
            [flatten(), linear(10)],
        ],
        thresholds=[0.5, 0.5],
        input_shape=(1, 28, 28),
        num_classes=10,
        seed=seed,
        name="three_exits",
    )


def three_exit_module(seed: int = 3) -> ModuleOp:
    return import_onnx(three_exit_onnx(seed))
