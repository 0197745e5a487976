"""
Sliding windows over NCHW tensors, shared by convolution and pooling (no arithmetic).

Example::

    >>> x = np.arange(16, dtype=np.float32).reshape(1, 1, 4, 4)
    >>> windows(pad(x, (0, 0, 0, 0), 0.0), (2, 2), (2, 2)).shape   # N, C, OH, OW, K0, K1
    (1, 1, 2, 2, 2, 2)
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np


def pad(x: np.ndarray, pads: Sequence[int], value: float) -> np.ndarray:
    """Pad the two spatial dims of an NCHW tensor; pads are `[top, left, bottom, right]`."""
    top, left, bottom, right = pads
    if not any(pads):
        return x
    widths = ((0, 0), (0, 0), (top, bottom), (left, right))
    return np.pad(x, widths, mode="constant", constant_values=value)


def windows(
    x: np.ndarray,
    kernel: Sequence[int],
    strides: Sequence[int],
    dilations: Sequence[int] = (1, 1),
) -> np.ndarray:
    """
    A read-only view `[N, C, OH, OW, K0, K1]` of every window of an (already padded)
    NCHW tensor, in floor mode.
    """
    span = [d * (k - 1) + 1 for k, d in zip(kernel, dilations, strict=True)]
    view = np.lib.stride_tricks.sliding_window_view(x, tuple(span), axis=(2, 3))
    return view[:, :, :: strides[0], :: strides[1], :: dilations[0], :: dilations[1]]
