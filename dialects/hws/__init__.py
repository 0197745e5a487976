"""
The `hws` dialect: a streaming accelerator as hardware units connected by typed streams.

Each unit op is one templated call of the HLS unit library
(`backends/hls/include/atheena/*.h`, docs/hls_units.md): its template parameters are
its properties and its port types (`UnitOp.template_args()` lists them in the
library's order), and its results are the streams it writes, each with the FIFO depth
in `depth`. Streams carry `word<T, L>` (`!hws.stream`), `window<T, L, KH, KW>`
(`!hws.window`), `ctrl_word` (`!hws.ctrl`) or `result_word<T, L>` (`!hws.result`)
with fixed-point elements (`!hws.fixed`). Every stream has one producer and one
consumer. `lower-to-hws` produces it from folded `ee`; docs/hws.md explains the level
and how the depths are sized. The reference is docs/dialects/hws.md, generated from
these docstrings.
"""

from xdsl.ir import Dialect

from atheena_ir.dialects.hws.activation import UNITS, ActivationUnitOp, HardswishOp, ReluOp
from atheena_ir.dialects.hws.base import HWSOp, UnitOp
from atheena_ir.dialects.hws.conv import AccumOp, BiasOp, ConvOp, ForkOp, GlueOp
from atheena_ir.dialects.hws.design import DesignOp, OutputOp, StageOp, YieldOp
from atheena_ir.dialects.hws.early_exit import CondBufferOp, ExitDecisionOp, ExitMergeOp, SplitOp
from atheena_ir.dialects.hws.join import AddOp, ConcatOp, FifoOp
from atheena_ir.dialects.hws.linear import LinearOp
from atheena_ir.dialects.hws.squeeze import SqueezeOp
from atheena_ir.dialects.hws.types import (
    ACC,
    DATA,
    WEIGHT,
    CtrlType,
    FixedType,
    ResultType,
    StreamType,
    StreamTypeBase,
    WindowType,
)
from atheena_ir.dialects.hws.window import PoolOp, SlidingWindowOp

OPS = [
    DesignOp,
    StageOp,
    YieldOp,
    OutputOp,
    SlidingWindowOp,
    ForkOp,
    ConvOp,
    AccumOp,
    GlueOp,
    BiasOp,
    PoolOp,
    *UNITS.values(),
    SqueezeOp,
    AddOp,
    ConcatOp,
    FifoOp,
    LinearOp,
    SplitOp,
    ExitDecisionOp,
    CondBufferOp,
    ExitMergeOp,
]

ATTRS = [FixedType, StreamType, WindowType, CtrlType, ResultType]

HWS = Dialect("hws", OPS, ATTRS)

__all__ = [
    "ACC",
    "ATTRS",
    "DATA",
    "HWS",
    "OPS",
    "UNITS",
    "WEIGHT",
    "AccumOp",
    "ActivationUnitOp",
    "AddOp",
    "BiasOp",
    "ConcatOp",
    "CondBufferOp",
    "ConvOp",
    "CtrlType",
    "DesignOp",
    "ExitDecisionOp",
    "ExitMergeOp",
    "FifoOp",
    "FixedType",
    "ForkOp",
    "GlueOp",
    "HWSOp",
    "HardswishOp",
    "LinearOp",
    "OutputOp",
    "PoolOp",
    "ReluOp",
    "ResultType",
    "SlidingWindowOp",
    "SplitOp",
    "SqueezeOp",
    "StageOp",
    "StreamType",
    "StreamTypeBase",
    "UnitOp",
    "WindowType",
    "YieldOp",
]
