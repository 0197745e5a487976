"""
The fixed-point arithmetic of the HLS unit library, as an interpreter backend.

`run(module, x, arithmetic=FixedPointArithmetic())` computes, for every op a unit implements,
exactly the numbers a design built from `backends/hls/include/atheena/` computes (C-simulated
or synthesised): the same quantisation, accumulation, pooling and exit decisions, bit for bit.
Every calculation is delegated to `atheena_ir.numerics.fixed_point`, the numpy mirror that
`tests/csim` checks against the g++-compiled units.

**Representation.** Values are float64 arrays holding the *real* value of each fixed-point
number exactly (`raw * 2**-frac`; any type of at most 53 bits is exact in float64), in the
interpreter's usual NCHW layout. So the result of `run` reads like the float interpreter's and
`arith.raw(values)` gives the integers a C simulation prints. Each op converts its operands to
raw integers (channel-fastest, the stream order), calls the reference function and converts
back. Inputs must be float64 and are quantised to the data type on entry; constants stay exact
until the op that uses them quantises its weights to the weight type and its bias to the bias
type (what the HLS printer does with an ONNX float weight).

Example::

    >>> arith = FixedPointArithmetic()                   # ap_fixed<16,8> data, <32,16> acc
    >>> res = run(module, x.astype(np.float64), arithmetic=arith)
    >>> arith.raw(res.output)                             # the C simulation's raw integers
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np

from atheena_ir.dialects.ee import ActivationOp
from atheena_ir.errors import UserError
from atheena_ir.interpreter.arithmetic import Arithmetic
from atheena_ir.numerics import fixed_point as fx
from atheena_ir.numerics.exp_table import DEFAULT_OUT_FRAC, threshold_limit

MAX_EXACT_WIDTH = 53
"""The widest data/weight type whose values float64 holds exactly."""
POOL_MAX_WINDOW = 256
"""The pool unit's limit on values per window (`static_assert` in atheena/pool.h)."""
DEFAULT_CHUNK = 1 << 22
"""Products per call of the reference conv/linear (bounds the int64 temporaries, ~32 MB)."""


def _no_unit(op_name: str, hint: str = "") -> UserError:
    return UserError(
        f"'{op_name}': the HLS unit library has no unit for it, so the fixed-point interpreter "
        f"cannot say what a design computes{hint}; run it with the float interpreter"
    )


class FixedPointArithmetic(Arithmetic):
    """
    The unit library's arithmetic with configurable types (defaults: atheena/types.h).

    - `data`: activations and logits (`data_t`, ap_fixed<16,8,AP_RND_CONV,AP_SAT>); inputs and
      every layer's output are quantised to it;
    - `weight`: conv/linear weights (`weight_t`); `bias`: biases (default: `weight`);
    - `acc`: the accumulator (`acc_t`, ap_fixed<32,16>: exact products, wrapping sums);
    - `table_frac`: fractional bits `P` of the exit decision's exp table (16).

    Raises UserError for types the hardware (or float64) cannot represent as documented: an
    accumulator that saturates or rounds inexact products, or a data/weight type over 53 bits.
    """

    dtype = np.dtype(np.float64)

    def __init__(
        self,
        data: fx.FixedType = fx.DATA,
        weight: fx.FixedType = fx.WEIGHT,
        acc: fx.FixedType = fx.ACC,
        bias: fx.FixedType | None = None,
        table_frac: int = DEFAULT_OUT_FRAC,
        chunk: int = DEFAULT_CHUNK,
    ):
        self.data, self.weight, self.acc = data, weight, acc
        self.bias = weight if bias is None else bias
        self.table_frac = table_frac
        self.chunk = chunk
        for name, t in (("data", data), ("weight", weight), ("bias", self.bias)):
            if t.width > MAX_EXACT_WIDTH:
                raise UserError(
                    f"the {name} type {t.cpp()} is wider than {MAX_EXACT_WIDTH} bits: its values "
                    "are not exact in float64, the fixed-point interpreter's representation"
                )
        try:
            fx.check_accumulator(acc, data.frac + weight.frac)
        except ValueError as e:
            raise UserError(str(e)) from None

    def __repr__(self) -> str:
        types = (self.data, self.weight, self.acc, self.bias)
        data, weight, acc, bias = (t.cpp() for t in types)
        return (
            f"FixedPointArithmetic(data={data}, weight={weight}, acc={acc}, bias={bias}, "
            f"table_frac={self.table_frac})"
        )

    # -- conversions ----------------------------------------------------------------------

    def raw(self, values: np.ndarray) -> np.ndarray:
        """Data-type values (as the interpreter holds them) -> their raw integers (int64)."""
        return fx.from_float(values, self.data)

    def real(self, raw: np.ndarray) -> np.ndarray:
        """Raw data-type integers -> the interpreter's float64 values."""
        return fx.to_float(raw, self.data)

    def _stream(self, x: np.ndarray) -> np.ndarray:
        """NCHW values -> NHWC raw data integers (a constant operand is quantised here)."""
        return self.raw(np.moveaxis(x, 1, -1))

    def _unstream(self, raw: np.ndarray) -> np.ndarray:
        return self.real(np.moveaxis(raw, -1, 1))

    def _chunked(self, fn: Callable[[np.ndarray], np.ndarray], x: np.ndarray, per_row: int):
        """`fn` over row blocks of `x`, each with at most `self.chunk` products."""
        rows = max(1, self.chunk // max(1, per_row))
        if x.shape[0] <= rows:
            return fn(x)
        return np.concatenate([fn(x[i : i + rows]) for i in range(0, x.shape[0], rows)])

    # -- the Arithmetic interface -----------------------------------------------------------

    def input(self, x: np.ndarray) -> np.ndarray:
        if np.isnan(x).any():
            raise UserError("the input holds NaN, which no fixed-point type can represent")
        return self.real(fx.from_float(x, self.data))

    def constant(self, x: np.ndarray) -> np.ndarray:
        return np.asarray(x, np.float64)

    def conv2d(
        self,
        x: np.ndarray,
        w: np.ndarray,
        b: np.ndarray | None,
        strides: Sequence[int],
        pads: Sequence[int],
        dilations: Sequence[int],
        groups: int,
    ) -> np.ndarray:
        if groups != 1:
            raise UserError(
                f"'ee.conv2d' with groups={groups}: the HLS conv units implement groups=1 only"
            )
        if tuple(dilations) != (1, 1):
            raise UserError(
                f"'ee.conv2d' with dilations {list(dilations)}: the HLS sliding window "
                "implements dilation 1 only"
            )
        wr = fx.from_float(w, self.weight)
        br = None if b is None else fx.from_float(b, self.bias)
        stride = (int(strides[0]), int(strides[1]))
        pad4 = (int(pads[0]), int(pads[1]), int(pads[2]), int(pads[3]))

        def conv(xr: np.ndarray) -> np.ndarray:
            return fx.conv2d(
                xr,
                wr,
                br,
                stride=stride,
                pads=pad4,
                data_t=self.data,
                weight_t=self.weight,
                acc_t=self.acc,
                out_t=self.data,
                bias_t=self.bias,
            )

        h = (x.shape[2] + pad4[0] + pad4[2] - w.shape[2]) // stride[0] + 1
        wd = (x.shape[3] + pad4[1] + pad4[3] - w.shape[3]) // stride[1] + 1
        return self._unstream(self._chunked(conv, self._stream(x), h * wd * w.size))

    def maxpool2d(
        self, x: np.ndarray, kernel: Sequence[int], strides: Sequence[int], pads: Sequence[int]
    ) -> np.ndarray:
        k, s, p = self._window(kernel, strides, pads)
        return self._unstream(fx.max_pool(self._stream(x), k, s, p))

    def avgpool2d(
        self,
        x: np.ndarray,
        kernel: Sequence[int],
        strides: Sequence[int],
        pads: Sequence[int],
        count_include_pad: bool,
    ) -> np.ndarray:
        k, s, p = self._window(kernel, strides, pads)
        if any(p) and not count_include_pad:
            raise UserError(
                f"'ee.avgpool2d' with pads {list(p)} and without count_include_pad: the HLS pool "
                "unit divides every window by its full size (padding counts as zeros)"
            )
        self._check_window("ee.avgpool2d", k)
        return self._unstream(fx.avg_pool(self._stream(x), k, s, p, self.data))

    def global_avgpool(self, x: np.ndarray) -> np.ndarray:
        k = (int(x.shape[2]), int(x.shape[3]))
        self._check_window("ee.global_avgpool", k)
        return self._unstream(fx.avg_pool(self._stream(x), k, (1, 1), (0, 0, 0, 0), self.data))

    def linear(self, x: np.ndarray, w: np.ndarray, b: np.ndarray | None) -> np.ndarray:
        wr = fx.from_float(w, self.weight)
        br = None if b is None else fx.from_float(b, self.bias)

        def gemm(xr: np.ndarray) -> np.ndarray:
            return fx.linear(
                xr,
                wr,
                br,
                data_t=self.data,
                weight_t=self.weight,
                acc_t=self.acc,
                out_t=self.data,
                bias_t=self.bias,
            )

        return self.real(self._chunked(gemm, self.raw(x), w.size))

    def activation(self, op: type[ActivationOp], x: np.ndarray) -> np.ndarray:
        """The activation's unit on data_t (`fx.ACTIVATION_UNITS`, atheena/<name>.h)."""
        unit = fx.ACTIVATION_UNITS.get(op.unit_name())
        if unit is None:
            raise _no_unit(op.name, f" (no @activation_unit({op.unit_name()!r}) in fixed_point.py)")
        try:
            return self.real(unit(self.raw(x), self.data))
        except ValueError as err:
            raise UserError(f"'{op.name}': {err}") from None

    def add(self, a: np.ndarray, b: np.ndarray) -> np.ndarray:
        """The add unit on data_t (atheena/add.h, `fx.add`)."""
        a, b = np.broadcast_arrays(a, b)
        return self.real(fx.add(self.raw(a), self.raw(b), self.data))

    def softmax(self, x: np.ndarray, axis: int) -> np.ndarray:
        raise _no_unit("ee.softmax", " (an exit's softmax is part of ee.exit_decision)")

    def batchnorm(
        self,
        x: np.ndarray,
        scale: np.ndarray,
        bias: np.ndarray,
        mean: np.ndarray,
        var: np.ndarray,
        epsilon: float,
    ) -> np.ndarray:
        raise _no_unit(
            "ee.batchnorm", " (canonicalization fuses a batchnorm into the conv before it)"
        )

    def top1_exceeds(self, logits: np.ndarray, threshold: float) -> np.ndarray:
        """The exit_decision unit: `sum_i DATA[k_i] < threshold_limit(threshold)`."""
        return fx.exit_decision(self.raw(logits), threshold, self.data.frac, self.table_frac)

    # -- diagnostics ------------------------------------------------------------------------

    def exit_sum(self, logits: np.ndarray) -> np.ndarray:
        """The exit decision's table sum `S` per row of `logits` `[N, C]` (int64)."""
        return fx.exit_sum(self.raw(logits), self.data.frac, self.table_frac)

    def limit(self, threshold: float) -> int:
        """The integer the exit decision compares `S` against (the unit's `limit` argument)."""
        return threshold_limit(threshold, self.table_frac)

    # -- helpers ----------------------------------------------------------------------------

    @staticmethod
    def _window(
        kernel: Sequence[int], strides: Sequence[int], pads: Sequence[int]
    ) -> tuple[tuple[int, int], tuple[int, int], tuple[int, int, int, int]]:
        k = (int(kernel[0]), int(kernel[1]))
        s = (int(strides[0]), int(strides[1]))
        p = (int(pads[0]), int(pads[1]), int(pads[2]), int(pads[3]))
        return k, s, p

    @staticmethod
    def _check_window(op_name: str, kernel: tuple[int, int]) -> None:
        if kernel[0] * kernel[1] > POOL_MAX_WINDOW:
            raise UserError(
                f"'{op_name}' over a {kernel[0]}x{kernel[1]} window: the HLS pool unit averages "
                f"at most {POOL_MAX_WINDOW} values per window"
            )
