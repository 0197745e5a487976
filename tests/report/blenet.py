"""The B-LeNet of the reports tests: imported, canonicalized, split at 0.75, folded as design A1.

ATHEENA names its layers after tensors (CONVOLUTION13, POOLING14, ...); the imported model after its
ONNX nodes (Conv_0, MaxPool_1, ...). `ATHEENA_TO_IR` maps them by position in the graph
(../shared/reference/atheena.md section 1.2).
"""

from __future__ import annotations

from pathlib import Path

import onnx
from xdsl.dialects.builtin import ModuleOp
from xdsl.transforms.canonicalize import CanonicalizePass

import atheena_ir
from atheena_ir.models import b_lenet
from atheena_ir.onnx_frontend import import_onnx
from atheena_ir.passes.fold import FoldPass
from atheena_ir.passes.split_exits import SplitExitsPass
from tests.conftest import REPO

A1_FACTORS = REPO / "examples" / "blenet_a1_factors.toml"
SHARED_ONNX = Path("models/atheena/branchy_lenet_20220902.onnx")

ATHEENA_TO_IR = {
    "ee1": {
        "CONVOLUTION13": "Conv_0",
        "POOLING14": "MaxPool_1",
        "RELU15": "Relu_2",
        "split0": "split0",
        "CONVOLUTION16": "Conv_3",
        "POOLING17": "MaxPool_4",
        "RELU18": "Relu_5",
        "INNERPRODUCT2": "Gemm_7",
        "split1": "split1",
        "GREATER24": "Greater_11",
        "buffer1": "cond_buffer0",  # the feature map for the samples that continue
        "buffer0": "cond_buffer1",  # the exit's logits for the samples that leave
        "exit": "exit_merge0",
    },
    "eef": {
        "CONVOLUTION28": "Conv_15",
        "POOLING29": "MaxPool_16",
        "RELU3": "Relu_17",
        "CONVOLUTION31": "Conv_18",
        "POOLING32": "MaxPool_19",
        "RELU33": "Relu_20",
        "INNERPRODUCT35": "Gemm_22",
    },
}
"""ATHEENA layer -> imported layer, per ATHEENA stage (ee1 = stage 0, eef = stage 1)."""


def prepared(model: onnx.ModelProto, factors: Path | None = A1_FACTORS) -> ModuleOp:
    """Import, canonicalize, split with exit-probs 0.75 and fold with `factors`."""
    module = import_onnx(model)
    ctx = atheena_ir.context()
    CanonicalizePass().apply(ctx, module)
    SplitExitsPass(exit_probs=(0.75,)).apply(ctx, module)
    FoldPass(file=str(factors) if factors else "").apply(ctx, module)
    return module


def committed_blenet() -> onnx.ModelProto:
    """The project's own B-LeNet (same graph and node names as the shared ONNX)."""
    return b_lenet()
