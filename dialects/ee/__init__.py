"""
The `ee` dialect: an early-exit CNN as a tensor graph.

Tensor ops (conv2d, pools, linear, the activations relu and hardswish, add, softmax,
batchnorm, flatten, reshape, concat, constant), the early-exit constructs (exit decision,
exit with its region, yield) and the ops that `split-exits` produces (stage, split,
conditional buffer, exit merge). Compute ops may carry their folding, `#ee.fold<...>`: a
*property* (`op.properties["folding"]`) that prints inside the `{...}` attribute dictionary
with the discardable attributes (`onnx_name`, `exit_fraction`), which live in `op.attributes`.
A pass that replaces an op gives the new one both with `ee.copy_annotations(old, new)`.
Under each op, "`lower-to-hws`" lists the conditions under which it lowers to hardware units
(passes/hws_legality.py; `-p check-hws` checks them).
The reference is docs/dialects/ee.md, generated from these docstrings.
"""

from xdsl.ir import Dialect

from atheena_ir.dialects.ee.activation import ACTIVATIONS, ActivationOp, HardswishOp, ReluOp
from atheena_ir.dialects.ee.base import copy_annotations
from atheena_ir.dialects.ee.canonicalization import EEConstantMaterialization
from atheena_ir.dialects.ee.constant import ConstantOp
from atheena_ir.dialects.ee.conv import Conv2dOp
from atheena_ir.dialects.ee.elementwise import AddOp, BatchNormOp, SoftmaxOp
from atheena_ir.dialects.ee.exits import ExitDecisionOp, ExitOp, YieldOp
from atheena_ir.dialects.ee.folding import FoldAttr
from atheena_ir.dialects.ee.linear import LinearOp
from atheena_ir.dialects.ee.pooling import AvgPool2dOp, GlobalAvgPoolOp, MaxPool2dOp
from atheena_ir.dialects.ee.reshape import ConcatOp, FlattenOp, ReshapeOp
from atheena_ir.dialects.ee.streaming import CondBufferOp, ExitMergeOp, SplitOp, StageOp

OPS = [
    ConstantOp,
    Conv2dOp,
    MaxPool2dOp,
    AvgPool2dOp,
    GlobalAvgPoolOp,
    LinearOp,
    *ACTIVATIONS,
    AddOp,
    SoftmaxOp,
    BatchNormOp,
    FlattenOp,
    ReshapeOp,
    ConcatOp,
    ExitDecisionOp,
    ExitOp,
    YieldOp,
    StageOp,
    SplitOp,
    CondBufferOp,
    ExitMergeOp,
]

EE = Dialect("ee", OPS, [FoldAttr], [EEConstantMaterialization()])

__all__ = [
    "ACTIVATIONS",
    "EE",
    "OPS",
    "ActivationOp",
    "AddOp",
    "AvgPool2dOp",
    "BatchNormOp",
    "ConcatOp",
    "CondBufferOp",
    "ConstantOp",
    "Conv2dOp",
    "ExitDecisionOp",
    "ExitMergeOp",
    "ExitOp",
    "FlattenOp",
    "FoldAttr",
    "GlobalAvgPoolOp",
    "HardswishOp",
    "LinearOp",
    "MaxPool2dOp",
    "ReluOp",
    "ReshapeOp",
    "SoftmaxOp",
    "SplitOp",
    "StageOp",
    "YieldOp",
    "copy_annotations",
]
