"""A plain-Python description of one hardware layer: its kind, shapes, widths and ports."""

from __future__ import annotations

import math
from dataclasses import dataclass

from atheena_ir.cost.errors import CostModelError
from atheena_ir.cost.folding import Folding
from atheena_ir.cost.layer_kind import LayerKind


def divisors(n: int) -> list[int]:
    """The positive divisors of ``n`` in increasing order."""
    return [d for d in range(1, n + 1) if n % d == 0]


@dataclass(frozen=True)
class LayerSpec:
    """One layer as the cost model sees it (input shape rows x cols x channels).

    ``pads`` are (top, left, bottom, right) as in ONNX; ``ports`` are the outputs of a split, the
    inputs of a concat or exit merge, or the control consumers of an exit decision; ``maps`` is the
    number of feature maps a conditional buffer holds; ``common_channels`` is, for a concat, the
    gcd of its inputs' channels (every coarse factor must divide it). Use the class-method
    constructors (``LayerSpec.conv(...)`` and friends) for readable call sites.
    """

    kind: LayerKind
    rows: int = 1
    cols: int = 1
    channels: int = 1
    filters: int = 1
    kernel: tuple[int, int] = (1, 1)
    stride: tuple[int, int] = (1, 1)
    pads: tuple[int, int, int, int] = (0, 0, 0, 0)
    groups: int = 1
    has_bias: bool = False
    ports: int = 1
    maps: int = 1
    common_channels: int = 0
    data_width: int = 16
    weight_width: int = 16
    acc_width: int = 16
    bias_width: int = 16

    # -- constructors ---------------------------------------------------------------------------
    @classmethod
    def conv(cls, rows, cols, channels, filters, kernel, stride=(1, 1), pads=(0, 0, 0, 0),
             groups=1, has_bias=True, **widths) -> LayerSpec:  # fmt: skip
        """A 2-D convolution."""
        return cls(LayerKind.CONV, rows, cols, channels, filters, tuple(kernel), tuple(stride),
                   tuple(pads), groups, has_bias, **widths)  # fmt: skip

    @classmethod
    def linear(cls, rows, cols, channels, filters, has_bias=True, **widths) -> LayerSpec:
        """An inner product over the flattened rows x cols x channels input."""
        return cls(LayerKind.LINEAR, rows, cols, channels, filters, has_bias=has_bias, **widths)

    @classmethod
    def pool(cls, rows, cols, channels, kernel, stride=None, pads=(0, 0, 0, 0),
             average=False, **widths) -> LayerSpec:  # fmt: skip
        """Max (or average) pooling; the stride defaults to the kernel."""
        kind = LayerKind.AVGPOOL if average else LayerKind.MAXPOOL
        stride = tuple(kernel) if stride is None else tuple(stride)
        return cls(kind, rows, cols, channels, kernel=tuple(kernel), stride=stride,
                   pads=tuple(pads), **widths)  # fmt: skip

    @classmethod
    def elementwise(cls, kind: LayerKind, rows, cols, channels, **kw) -> LayerSpec:
        """relu, hardswish, batchnorm, add, squeeze, global_avgpool, cond_buffer (``maps=``)
        or split (``ports=``) over a rows x cols x channels map."""
        return cls(kind, rows, cols, channels, **kw)

    @classmethod
    def concat(cls, rows, cols, input_channels: list[int], **widths) -> LayerSpec:
        """A concat along the channels of maps with ``input_channels`` channels each."""
        return cls(LayerKind.CONCAT, rows, cols, sum(input_channels), ports=len(input_channels),
                   common_channels=math.gcd(*input_channels), **widths)  # fmt: skip

    @classmethod
    def exit_decision(cls, classes: int, consumers: int = 2, **widths) -> LayerSpec:
        """The exit decision over ``classes`` logits, driving ``consumers`` control streams."""
        return cls(LayerKind.EXIT_DECISION, 1, 1, classes, ports=consumers, **widths)

    @classmethod
    def exit_merge(cls, rows, cols, channels, exits: int = 2, **widths) -> LayerSpec:
        """The exit merge of ``exits`` exits, each result rows x cols x channels."""
        return cls(LayerKind.EXIT_MERGE, rows, cols, channels, ports=exits, **widths)

    # -- shapes ---------------------------------------------------------------------------------
    @property
    def rows_out(self) -> int:
        """Output rows."""
        if self.kind in (LayerKind.CONV, LayerKind.MAXPOOL, LayerKind.AVGPOOL):
            return (self.rows - self.kernel[0] + self.pads[0] + self.pads[2]) // self.stride[0] + 1
        return 1 if self.kind in _VECTOR_OUT else self.rows

    @property
    def cols_out(self) -> int:
        """Output columns."""
        if self.kind in (LayerKind.CONV, LayerKind.MAXPOOL, LayerKind.AVGPOOL):
            return (self.cols - self.kernel[1] + self.pads[1] + self.pads[3]) // self.stride[1] + 1
        return 1 if self.kind in _VECTOR_OUT else self.cols

    @property
    def channels_out(self) -> int:
        """Output channels."""
        if self.kind in (LayerKind.CONV, LayerKind.LINEAR):
            return self.filters
        if self.kind is LayerKind.EXIT_DECISION:
            return self.ports
        return self.channels

    def arguments(self, fold: Folding) -> tuple[int, ...]:
        """The values of ``atheena_ir.cost.symbols.ARGS`` for this layer and folding."""
        k0, k1 = self.kernel
        s0, s1 = self.stride
        pt, pl, pb, pr = self.pads
        return (self.rows, self.cols, self.channels, self.filters, k0, k1, s0, s1,
                pt, pl, pb, pr, self.groups, int(self.has_bias), self.ports, self.maps,
                self.data_width, self.weight_width, self.acc_width, self.bias_width,
                fold.coarse_in, fold.coarse_out, fold.coarse_group, fold.fine)  # fmt: skip

    # -- legality -------------------------------------------------------------------------------
    def coarse_in_options(self) -> list[int]:
        """Legal coarse_in values."""
        if self.kind is LayerKind.CONV:
            return (
                divisors(self.channels // self.groups)
                if self.groups > 1
                else divisors(self.channels)
            )
        if self.kind is LayerKind.CONCAT:
            return divisors(self.common_channels)
        return divisors(self.channels)

    def coarse_out_options(self) -> list[int]:
        """Legal coarse_out values."""
        if self.kind in (LayerKind.CONV, LayerKind.LINEAR):
            return divisors(self.filters // self.groups if self.groups > 1 else self.filters)
        if self.kind is LayerKind.EXIT_DECISION:
            return divisors(self.ports)
        if self.kind is LayerKind.CONCAT:
            return divisors(self.common_channels)
        return divisors(self.channels_out)

    def fine_options(self) -> list[int]:
        """Legal fine values (convolutions only; 1 elsewhere)."""
        if self.kind is not LayerKind.CONV:
            return [1]
        k0, k1 = self.kernel
        if k0 != k1:
            return sorted({1, max(k0, k1)})
        return sorted({1, k0, k0 * k1})

    def check(self, fold: Folding) -> None:
        """Raise ``CostModelError`` when the shape or the folding is not legal."""
        where = f"{self.kind.value} layer"
        for name in ("rows", "cols", "channels", "filters", "groups", "ports", "maps",
                     "data_width", "weight_width", "acc_width", "bias_width"):  # fmt: skip
            value = getattr(self, name)
            if not isinstance(value, int) or isinstance(value, bool) or value < 1:
                raise CostModelError(f"{where}: {name} must be a positive integer, got {value!r}")
        if min(self.kernel + self.stride) < 1 or min(self.pads) < 0:
            raise CostModelError(f"{where}: kernel/stride must be >= 1 and pads >= 0")
        if self.rows_out < 1 or self.cols_out < 1:
            raise CostModelError(f"{where}: the {self.kernel} kernel does not fit the padded input")
        if self.kind is LayerKind.CONV and (
            self.channels % self.groups or self.filters % self.groups
        ):
            raise CostModelError(f"{where}: groups={self.groups} must divide channels and filters")
        checks = (
            ("coarse_in", fold.coarse_in, self.coarse_in_options()),
            ("coarse_out", fold.coarse_out, self.coarse_out_options()),
            ("coarse_group", fold.coarse_group,
             divisors(self.groups) if self.kind is LayerKind.CONV else [1]),
            ("fine", fold.fine, self.fine_options()),
        )  # fmt: skip
        for name, value, legal in checks:
            if value not in legal:
                raise CostModelError(
                    f"{where}: illegal {name}={value}; legal values are {legal} "
                    f"(divisors of the dimension it splits)"
                )
        if self.kind.single_coarse and fold.coarse_in != fold.coarse_out:
            raise CostModelError(
                f"{where}: has one coarse factor; got coarse_in={fold.coarse_in} != "
                f"coarse_out={fold.coarse_out} (use Folding.uniform)"
            )
        if self.kind is LayerKind.CONV:
            lanes = fold.coarse_in * fold.coarse_group
            if self.channels % lanes or self.filters % (fold.coarse_out * fold.coarse_group):
                raise CostModelError(
                    f"{where}: coarse_in*coarse_group must divide channels and "
                    f"coarse_out*coarse_group must divide filters"
                )


_VECTOR_OUT = (LayerKind.LINEAR, LayerKind.GLOBAL_AVGPOOL, LayerKind.EXIT_DECISION)
