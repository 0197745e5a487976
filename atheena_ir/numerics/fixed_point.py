"""The numpy fixed-point reference of the HLS units: the same integers, bit for bit.

Values are *raw* integers (int64 arrays): the ap_fixed bit pattern as a signed integer, i.e. the
real value times `2**frac`. Each function mirrors one unit's arithmetic (see docs/hls_units.md):

- quantisation `requantise(raw, frac, t)`: from `frac` fractional bits to type `t`, rounding by
  `t.rounding` (TRN: floor; RND: half up; RND_CONV: half to even) then overflow by `t.overflow`
  (SAT: clamp; WRAP: modulo 2**width), exactly as an ap_fixed assignment does;
- products are exact; an accumulator with AP_TRN/AP_WRAP floors each product to its grid and sums
  modulo 2**width, which is independent of the summation order (conv, accum, glue, linear);
- bias: exact sum of the accumulator and the bias, one quantisation;
- add (residual connections): exact sum of two data values, then the type's overflow mode;
- hardswish: `x * clamp(x + 3, 0, 6)` exactly, times `round(2**20 / 6)`, quantised once;
- pools: max exactly; average = exact window sum times `round(2**16 / n)`, quantised once;
- the exit decision: `S = sum exp_table[max - z] < threshold_limit(thr)` (integers only).

Feature maps are (N, H, W, C) arrays (channel-fastest, the stream order).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from atheena_ir.numerics.exp_table import DEFAULT_OUT_FRAC, exp_table, threshold_limit

ROUNDINGS = ("TRN", "RND", "RND_CONV")
OVERFLOWS = ("WRAP", "SAT")
AVG_RECIP_FRAC = 16
"""Fractional bits of the average pool's reciprocal constant."""


@dataclass(frozen=True)
class FixedType:
    """An ap_fixed / ap_ufixed type: total and integer bits, sign, quantisation, overflow."""

    width: int
    int_bits: int
    signed: bool = True
    rounding: str = "TRN"
    overflow: str = "WRAP"

    def __post_init__(self) -> None:
        if self.rounding not in ROUNDINGS or self.overflow not in OVERFLOWS:
            raise ValueError(f"unsupported modes {self.rounding}/{self.overflow}")
        if not 1 <= self.width <= 62:
            raise ValueError("the numpy reference supports widths of 1 to 62 bits")

    @property
    def frac(self) -> int:
        """Fractional bits."""
        return self.width - self.int_bits

    @property
    def min_raw(self) -> int:
        return -(1 << (self.width - 1)) if self.signed else 0

    @property
    def max_raw(self) -> int:
        return (1 << (self.width - 1)) - 1 if self.signed else (1 << self.width) - 1

    def cpp(self) -> str:
        """The C++ spelling, e.g. `ap_fixed<16, 8, AP_RND_CONV, AP_SAT>`."""
        base = "ap_fixed" if self.signed else "ap_ufixed"
        if (self.rounding, self.overflow) == ("TRN", "WRAP"):
            return f"{base}<{self.width}, {self.int_bits}>"
        return f"{base}<{self.width}, {self.int_bits}, AP_{self.rounding}, AP_{self.overflow}>"


DATA = FixedType(16, 8, rounding="RND_CONV", overflow="SAT")
"""Default data type (atheena::data_t)."""
WEIGHT = FixedType(16, 8, rounding="RND_CONV", overflow="SAT")
"""Default weight and bias type (atheena::weight_t)."""
ACC = FixedType(32, 16)
"""Default accumulator (atheena::acc_t): AP_TRN, AP_WRAP."""


def _ints(raw: np.ndarray | int) -> np.ndarray:
    return np.asarray(raw, dtype=np.int64)


def overflow(raw: np.ndarray, t: FixedType) -> np.ndarray:
    """Apply `t`'s overflow mode to integers already on `t`'s grid."""
    raw = _ints(raw)
    if t.overflow == "SAT":
        return np.clip(raw, t.min_raw, t.max_raw)
    return ((raw - t.min_raw) & ((1 << t.width) - 1)) + t.min_raw


def shift_round(raw: np.ndarray, shift: int, rounding: str) -> np.ndarray:
    """`raw / 2**shift` rounded by `rounding` (shift >= 0 drops bits; < 0 appends zero bits)."""
    raw = _ints(raw)
    if shift <= 0:
        return raw << -shift
    floor = raw >> shift
    if rounding == "TRN":
        return floor
    rem = raw - (floor << shift)
    half = 1 << (shift - 1)
    if rounding == "RND":
        return floor + (rem >= half)
    return floor + ((rem > half) | ((rem == half) & (floor & 1).astype(bool)))


def requantise(raw: np.ndarray, frac: int, t: FixedType) -> np.ndarray:
    """Integers with `frac` fractional bits converted to type `t` (an ap_fixed assignment)."""
    return overflow(shift_round(raw, frac - t.frac, t.rounding), t)


def from_float(x: np.ndarray | float, t: FixedType) -> np.ndarray:
    """Real values quantised to `t` (as constructing `t` from a double does)."""
    scaled = np.asarray(x, dtype=np.float64) * 2.0**t.frac  # exact: a power-of-two scale
    if t.rounding == "TRN":
        q = np.floor(scaled)
    elif t.rounding == "RND":
        q = np.floor(scaled + 0.5)
    else:
        q = np.rint(scaled)  # half to even
    bound = 2.0**61
    return overflow(np.clip(q, -bound, bound).astype(np.int64), t)


def to_float(raw: np.ndarray, t: FixedType | int) -> np.ndarray:
    """Raw integers of type `t` (or with `t` fractional bits) as float64."""
    frac = t if isinstance(t, int) else t.frac
    return _ints(raw).astype(np.float64) / 2.0**frac


def check_accumulator(acc: FixedType, product_frac: int) -> None:
    """Raise ValueError unless sums in `acc` do not depend on their order (WRAP; TRN or exact)."""
    if acc.overflow != "WRAP" or (acc.rounding != "TRN" and acc.frac < product_frac):
        raise ValueError(
            f"accumulator {acc.cpp()} must wrap and truncate (or hold products exactly) so "
            "that the hardware's summation order cannot change a result"
        )


def accumulate(products: np.ndarray, product_frac: int, acc: FixedType, axis: int) -> np.ndarray:
    """The accumulator's value after adding exact `products` (raw, `product_frac`) along `axis`."""
    check_accumulator(acc, product_frac)
    terms = shift_round(products, product_frac - acc.frac, acc.rounding)
    return overflow(terms.sum(axis=axis), acc)


def windows(
    x: np.ndarray, kernel: tuple[int, int], stride: tuple[int, int], pads: tuple[int, int, int, int]
) -> np.ndarray:
    """The sliding window's output: (N, H, W, C) -> (N, Ho, Wo, KH, KW, C), zero padding.

    `pads` = (top, left, bottom, right).
    """
    kh, kw = kernel
    sh, sw = stride
    pt, pl, pb, pr = pads
    x = np.pad(_ints(x), ((0, 0), (pt, pb), (pl, pr), (0, 0)))
    ho = (x.shape[1] - kh) // sh + 1
    wo = (x.shape[2] - kw) // sw + 1
    out = np.empty((x.shape[0], ho, wo, kh, kw, x.shape[3]), dtype=np.int64)
    for i in range(kh):
        for j in range(kw):
            out[:, :, :, i, j, :] = x[
                :, i : i + sh * (ho - 1) + 1 : sh, j : j + sw * (wo - 1) + 1 : sw
            ]
    return out


def bias_add(
    x: np.ndarray, x_t: FixedType, b: np.ndarray, b_t: FixedType, out_t: FixedType
) -> np.ndarray:
    """The bias unit: `out_t(x + b)` over the last axis (channels), exact sum, one quantisation."""
    frac = max(x_t.frac, b_t.frac)
    total = (_ints(x) << (frac - x_t.frac)) + (_ints(b) << (frac - b_t.frac))
    return requantise(total, frac, out_t)


def conv2d(
    x: np.ndarray,
    w: np.ndarray,
    b: np.ndarray | None = None,
    *,
    stride: tuple[int, int] = (1, 1),
    pads: tuple[int, int, int, int] = (0, 0, 0, 0),
    data_t: FixedType = DATA,
    weight_t: FixedType = WEIGHT,
    acc_t: FixedType = ACC,
    out_t: FixedType = DATA,
    bias_t: FixedType = WEIGHT,
) -> np.ndarray:
    """The conv layer (sliding_window, fork, conv, accum, glue, bias): x (N, H, W, C) raw,
    w (F, C, KH, KW) raw (ONNX order), b (F,) raw or None -> (N, Ho, Wo, F) raw of `out_t`."""
    win = windows(x, (w.shape[2], w.shape[3]), stride, pads)  # N Ho Wo KH KW C
    prods = win[:, :, :, None, :, :, :] * _ints(w).transpose(0, 2, 3, 1)[None, None, None]
    n, ho, wo, f = prods.shape[:4]
    acc = accumulate(prods.reshape(n, ho, wo, f, -1), data_t.frac + weight_t.frac, acc_t, axis=4)
    if b is None:
        return requantise(acc, acc_t.frac, out_t)
    return bias_add(acc, acc_t, _ints(b), bias_t, out_t)


def linear(
    x: np.ndarray,
    w: np.ndarray,
    b: np.ndarray | None = None,
    *,
    data_t: FixedType = DATA,
    weight_t: FixedType = WEIGHT,
    acc_t: FixedType = ACC,
    out_t: FixedType = DATA,
    bias_t: FixedType = WEIGHT,
) -> np.ndarray:
    """The linear unit (+ bias): x (N, K) raw in stream order, w (F, K) raw -> (N, F) raw."""
    prods = _ints(x)[:, None, :] * _ints(w)[None, :, :]
    acc = accumulate(prods, data_t.frac + weight_t.frac, acc_t, axis=2)
    if b is None:
        return requantise(acc, acc_t.frac, out_t)
    return bias_add(acc, acc_t, _ints(b), bias_t, out_t)


ActivationUnit = Callable[[np.ndarray, FixedType], np.ndarray]
"""An activation unit's arithmetic: raw values of a type in, raw values of that type out."""

ACTIVATION_UNITS: dict[str, ActivationUnit] = {}
"""The fixed-point arithmetic of each activation unit, by unit name (`ee.<name>`'s unit)."""


def activation_unit(name: str) -> Callable[[ActivationUnit], ActivationUnit]:
    """
    Register the arithmetic of the activation unit `atheena::<name>` (the fixed-point
    interpreter runs `ee.<name>` with it). It may raise ValueError for a type it cannot model.
    """

    def register(fn: ActivationUnit) -> ActivationUnit:
        ACTIVATION_UNITS[name] = fn
        return fn

    return register


@activation_unit("relu")
def relu(x: np.ndarray, t: FixedType = DATA) -> np.ndarray:
    """The relu unit (any type: `max(x, 0)` is exact)."""
    return np.maximum(_ints(x), 0)


def add(a: np.ndarray, b: np.ndarray, t: FixedType = DATA) -> np.ndarray:
    """The add unit (a residual connection): the exact sum, then `t`'s overflow mode."""
    return requantise(_ints(a) + _ints(b), t.frac, t)


HARDSWISH_RECIP_FRAC = 20
"""Fractional bits `K` of the hardswish unit's constant for 1/6."""


def hardswish_recip() -> int:
    """The hardswish unit's constant `round(2**20 / 6)` = 174763 (1/6 with 20 fractional bits)."""
    return ((1 << (HARDSWISH_RECIP_FRAC + 1)) + 6) // 12


@activation_unit("hardswish")
def hardswish(x: np.ndarray, t: FixedType = DATA) -> np.ndarray:
    """
    The hardswish unit on raw values of `t` (F = t.frac fractional bits, K = 20):

    `s = clamp(x + 3, 0, 6)` exactly (raw `clip(x + 3*2**F, 0, 6*2**F)`), the product `x * s`
    exactly (2F fractional bits), times `c = round(2**K / 6)`, exactly (2F + K fractional bits),
    and one quantisation to `t` (its rounding and overflow modes). Within half an LSB (plus
    c's error, below 2**-K relative) of the real hardswish; int64-exact while
    `t.width + t.frac + K <= 62`.

    >>> hardswish(np.array([-1024, 256, 1024]))   # data_t: -4.0, 1.0, 4.0
    array([   0,  171, 1024])
    """
    if t.width + t.frac + HARDSWISH_RECIP_FRAC > 62:
        raise ValueError(
            f"data type {t.cpp()} is too wide for the exact hardswish reference "
            "(width + fractional bits must be at most 42)"
        )
    raw = _ints(x)
    s = np.clip(raw + (3 << t.frac), 0, 6 << t.frac)
    return requantise(raw * s * hardswish_recip(), 2 * t.frac + HARDSWISH_RECIP_FRAC, t)


def max_pool(
    x: np.ndarray,
    kernel: tuple[int, int],
    stride: tuple[int, int],
    pads: tuple[int, int, int, int] = (0, 0, 0, 0),
) -> np.ndarray:
    """sliding_window + pool<POOL_MAX> (padding counts as 0)."""
    return windows(x, kernel, stride, pads).max(axis=(3, 4))


def avg_recip(n: int) -> int:
    """The average pool's constant `round(2**16 / n)`."""
    return ((1 << (AVG_RECIP_FRAC + 1)) + n) // (2 * n)


def avg_pool(
    x: np.ndarray,
    kernel: tuple[int, int],
    stride: tuple[int, int],
    pads: tuple[int, int, int, int] = (0, 0, 0, 0),
    t: FixedType = DATA,
) -> np.ndarray:
    """sliding_window + pool<POOL_AVG>: `t(sum * round(2**16/n) * 2**-16)` (padding counts as 0)."""
    n = kernel[0] * kernel[1]
    total = windows(x, kernel, stride, pads).sum(axis=(3, 4))
    return requantise(total * avg_recip(n), t.frac + AVG_RECIP_FRAC, t)


def exit_sum(logits: np.ndarray, in_frac: int = 8, out_frac: int = DEFAULT_OUT_FRAC) -> np.ndarray:
    """The exit decision's table sum S per sample: logits (N, CLASSES) raw -> (N,) int64."""
    table = np.array((*exp_table(in_frac, out_frac), 0), dtype=np.int64)
    z = _ints(logits)
    k = z.max(axis=1, keepdims=True) - z
    return table[np.minimum(k, len(table) - 1)].sum(axis=1)


def exit_decision(
    logits: np.ndarray,
    threshold: float,
    in_frac: int = 8,
    out_frac: int = DEFAULT_OUT_FRAC,
) -> np.ndarray:
    """The exit_decision unit: True where `max softmax > threshold` in its integer arithmetic."""
    return exit_sum(logits, in_frac, out_frac) < threshold_limit(threshold, out_frac)


def float_exit_decision(logits: np.ndarray, threshold: float) -> np.ndarray:
    """The float64 model of the decision (max subtracted), for agreement checks."""
    z = np.asarray(logits, dtype=np.float64)
    e = np.exp(z - z.max(axis=1, keepdims=True))
    return (1.0 / e.sum(axis=1)) > threshold


def exit_margin(classes: int, out_frac: int = DEFAULT_OUT_FRAC) -> float:
    """The decision's documented margin: |S/2**P - sum exp(z - m)| <= classes * 2**-(P+1).

    Fixed-point and float decisions on the same quantised logits agree whenever
    `|sum exp(z - m) - 1/threshold|` exceeds this margin (plus float rounding, far below it).
    """
    return classes * 2.0 ** -(out_frac + 1)


def sum_exp(logits_float: np.ndarray) -> np.ndarray:
    """`sum_i exp(z_i - max z)` in float64 per sample (the quantity the unit approximates)."""
    z = np.asarray(logits_float, dtype=np.float64)
    return np.exp(z - z.max(axis=1, keepdims=True)).sum(axis=1)
