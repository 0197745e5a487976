"""
The arithmetic backend: every computation the interpreter does on numbers.

The op implementations (kernels) translate IR attributes into calls on an `Arithmetic`
object and never compute on numbers themselves; data movement (reshape, concat, split,
buffers, merges) stays outside; concatenation goes through `concat` only so that a
format can refuse it. `FixedPointArithmetic` (fixed_arithmetic.py) is the fixed-point
subclass: it quantises in `input` and rounds every op as the HLS units do.

Arrays are plain NCHW (or `[N, K]`) numpy arrays; the sample axis has already been
merged into the batch dimension. Example::

    >>> arith = Float32Arithmetic()
    >>> arith.top1_exceeds(np.array([[4.0, 0.0]], np.float32), 0.9)
    array([ True])
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Sequence

import numpy as np

from atheena_ir.dialects.ee import ActivationOp
from atheena_ir.interpreter.windows import pad, windows


class Arithmetic(ABC):
    """The numeric operations of the `ee` ops, in one number format."""

    dtype: np.dtype

    @abstractmethod
    def input(self, x: np.ndarray) -> np.ndarray:
        """Convert a network input to this format."""

    @abstractmethod
    def constant(self, x: np.ndarray) -> np.ndarray:
        """Convert a constant (weights, biases, statistics) to this format."""

    @abstractmethod
    def conv2d(
        self,
        x: np.ndarray,
        w: np.ndarray,
        b: np.ndarray | None,
        strides: Sequence[int],
        pads: Sequence[int],
        dilations: Sequence[int],
        groups: int,
    ) -> np.ndarray: ...

    @abstractmethod
    def maxpool2d(
        self, x: np.ndarray, kernel: Sequence[int], strides: Sequence[int], pads: Sequence[int]
    ) -> np.ndarray: ...

    @abstractmethod
    def avgpool2d(
        self,
        x: np.ndarray,
        kernel: Sequence[int],
        strides: Sequence[int],
        pads: Sequence[int],
        count_include_pad: bool,
    ) -> np.ndarray: ...

    @abstractmethod
    def global_avgpool(self, x: np.ndarray) -> np.ndarray: ...

    @abstractmethod
    def linear(self, x: np.ndarray, w: np.ndarray, b: np.ndarray | None) -> np.ndarray:
        """`x W^T + b` with `x` `[N, K]` and `W` `[M, K]`."""

    @abstractmethod
    def activation(self, op: type[ActivationOp], x: np.ndarray) -> np.ndarray:
        """The activation `op` (an `ee.ACTIVATIONS` class), element-wise."""

    @abstractmethod
    def add(self, a: np.ndarray, b: np.ndarray) -> np.ndarray: ...

    @abstractmethod
    def softmax(self, x: np.ndarray, axis: int) -> np.ndarray: ...

    @abstractmethod
    def batchnorm(
        self,
        x: np.ndarray,
        scale: np.ndarray,
        bias: np.ndarray,
        mean: np.ndarray,
        var: np.ndarray,
        epsilon: float,
    ) -> np.ndarray:
        """Inference batch norm over dim 1 of `x` (parameters `[C]`)."""

    @abstractmethod
    def top1_exceeds(self, logits: np.ndarray, threshold: float) -> np.ndarray:
        """Per row of `logits` `[N, C]`: `max(softmax(row)) > threshold` (bool `[N]`)."""

    def concat(self, arrays: Sequence[np.ndarray], axis: int) -> np.ndarray:
        """Join arrays along `axis`: data movement only (a format may refuse it if its
        hardware has no such unit)."""
        return np.concatenate(arrays, axis=axis)


class Float32Arithmetic(Arithmetic):
    """IEEE float32 throughout, as onnxruntime computes on the CPU."""

    dtype = np.dtype(np.float32)

    def input(self, x: np.ndarray) -> np.ndarray:
        return np.asarray(x, np.float32)

    def constant(self, x: np.ndarray) -> np.ndarray:
        return np.asarray(x, np.float32)

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
        n = x.shape[0]
        f, cg, k0, k1 = w.shape
        fg = f // groups
        cols = windows(pad(x, pads, 0.0), (k0, k1), strides, dilations)
        oh, ow = cols.shape[2:4]
        out = np.empty((n, f, oh, ow), np.float32)
        for g in range(groups):
            patch = cols[:, g * cg : (g + 1) * cg].transpose(0, 2, 3, 1, 4, 5)
            patch = patch.reshape(n * oh * ow, cg * k0 * k1)
            wg = w[g * fg : (g + 1) * fg].reshape(fg, cg * k0 * k1)
            res = (patch @ wg.T).reshape(n, oh, ow, fg)
            out[:, g * fg : (g + 1) * fg] = res.transpose(0, 3, 1, 2)
        if b is not None:
            out += b.reshape(1, f, 1, 1)
        return out

    def maxpool2d(
        self, x: np.ndarray, kernel: Sequence[int], strides: Sequence[int], pads: Sequence[int]
    ) -> np.ndarray:
        return windows(pad(x, pads, -np.inf), kernel, strides).max(axis=(4, 5))

    def avgpool2d(
        self,
        x: np.ndarray,
        kernel: Sequence[int],
        strides: Sequence[int],
        pads: Sequence[int],
        count_include_pad: bool,
    ) -> np.ndarray:
        sums = windows(pad(x, pads, 0.0), kernel, strides).sum(axis=(4, 5), dtype=np.float32)
        if count_include_pad or not any(pads):
            return sums / np.float32(kernel[0] * kernel[1])
        inside = pad(np.ones((1, 1, *x.shape[2:]), np.float32), pads, 0.0)
        counts = windows(inside, kernel, strides).sum(axis=(4, 5), dtype=np.float32)
        return sums / counts

    def global_avgpool(self, x: np.ndarray) -> np.ndarray:
        return x.mean(axis=(2, 3), keepdims=True, dtype=np.float32)

    def linear(self, x: np.ndarray, w: np.ndarray, b: np.ndarray | None) -> np.ndarray:
        y = x @ w.T
        return y if b is None else y + b

    def activation(self, op: type[ActivationOp], x: np.ndarray) -> np.ndarray:
        return np.asarray(op.reference(x), np.float32)

    def add(self, a: np.ndarray, b: np.ndarray) -> np.ndarray:
        return a + b

    def softmax(self, x: np.ndarray, axis: int) -> np.ndarray:
        e = np.exp(x - x.max(axis=axis, keepdims=True))
        return e / e.sum(axis=axis, keepdims=True, dtype=np.float32)

    def batchnorm(
        self,
        x: np.ndarray,
        scale: np.ndarray,
        bias: np.ndarray,
        mean: np.ndarray,
        var: np.ndarray,
        epsilon: float,
    ) -> np.ndarray:
        shape = (1, -1) + (1,) * (x.ndim - 2)
        inv = scale / np.sqrt(var + np.float32(epsilon))
        return (x - mean.reshape(shape)) * inv.reshape(shape) + bias.reshape(shape)

    def top1_exceeds(self, logits: np.ndarray, threshold: float) -> np.ndarray:
        return self.top1_confidence(logits) > np.float32(threshold)

    def top1_confidence(self, logits: np.ndarray) -> np.ndarray:
        """`max(softmax(row))` per row, as `1 / sum(exp(z - max z))` (no overflow)."""
        z = np.asarray(logits, np.float32)
        s = np.exp(z - z.max(axis=1, keepdims=True)).sum(axis=1, dtype=np.float32)
        return np.float32(1) / s
