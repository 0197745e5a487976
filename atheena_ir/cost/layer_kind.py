"""The layer kinds the cost model knows, with the builder of each one's expressions."""

from __future__ import annotations

from collections.abc import Callable
from enum import Enum

from atheena_ir.cost.coefficients import Coefficients
from atheena_ir.cost.expressions import LayerExpressions
from atheena_ir.cost.layers import (
    convolution,
    early_exit,
    elementwise,
    global_pool,
    inner_product,
    pooling,
    streams,
)


class LayerKind(Enum):
    """A hardware layer kind (the ``ee`` op it models in brackets)."""

    CONV = "conv"  # ee.conv2d
    LINEAR = "linear"  # ee.linear (Gemm)
    MAXPOOL = "maxpool"
    AVGPOOL = "avgpool"
    GLOBAL_AVGPOOL = "global_avgpool"
    RELU = "relu"  # activations (ee.ACTIVATIONS): the value is the op's unit name
    HARDSWISH = "hardswish"
    BATCHNORM = "batchnorm"
    ADD = "add"
    CONCAT = "concat"
    SQUEEZE = "squeeze"
    SPLIT = "split"
    EXIT_DECISION = "exit_decision"
    COND_BUFFER = "cond_buffer"
    EXIT_MERGE = "exit_merge"
    FIFO = "fifo"  # hws.fifo: a join's skip path (built by lower-to-hws, no ee op)

    @property
    def single_coarse(self) -> bool:
        """True when coarse_in and coarse_out must be equal (one ``coarse`` factor)."""
        return self not in (LayerKind.CONV, LayerKind.LINEAR, LayerKind.SQUEEZE,
                            LayerKind.EXIT_DECISION, LayerKind.EXIT_MERGE)  # fmt: skip

    @property
    def built_only(self) -> bool:
        """True for units lower-to-hws adds that no ee op stands for (squeeze, FIFO)."""
        return self in (LayerKind.SQUEEZE, LayerKind.FIFO)


Builder = Callable[[bool, Coefficients], LayerExpressions]

BUILDERS: dict[LayerKind, Builder] = {
    LayerKind.CONV: convolution.build,
    LayerKind.LINEAR: inner_product.build,
    LayerKind.MAXPOOL: pooling.build,
    LayerKind.AVGPOOL: pooling.build_average,
    LayerKind.GLOBAL_AVGPOOL: global_pool.build,
    LayerKind.RELU: elementwise.build_relu,
    LayerKind.HARDSWISH: elementwise.build_hardswish,
    LayerKind.BATCHNORM: elementwise.build_batchnorm,
    LayerKind.ADD: elementwise.build_add,
    LayerKind.CONCAT: streams.build_concat,
    LayerKind.SQUEEZE: streams.build_squeeze,
    LayerKind.SPLIT: streams.build_split,
    LayerKind.EXIT_DECISION: early_exit.build_exit_decision,
    LayerKind.COND_BUFFER: early_exit.build_cond_buffer,
    LayerKind.EXIT_MERGE: early_exit.build_exit_merge,
    LayerKind.FIFO: streams.build_fifo,
}
"""Which builder makes each kind's expressions."""
