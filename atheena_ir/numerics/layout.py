"""How tensors and weights are laid out for the HLS units (the stream order of docs/hls_units.md).

A sample's (C, H, W) tensor streams channel-fastest: word k of pixel (r, c) with L lanes holds
channels k*L .. k*L+L-1. These helpers produce the arrays the units' templates index, from
ONNX-ordered arrays, so a printer and the testbenches agree on one convention.
"""

from __future__ import annotations

import numpy as np


def to_stream(x_nchw: np.ndarray) -> np.ndarray:
    """(N, C, H, W) -> (N, H, W, C): the stream (channel-fastest) order."""
    return np.ascontiguousarray(np.asarray(x_nchw).transpose(0, 2, 3, 1))


def from_stream(x_nhwc: np.ndarray) -> np.ndarray:
    """(N, H, W, C) -> (N, C, H, W)."""
    return np.ascontiguousarray(np.asarray(x_nhwc).transpose(0, 3, 1, 2))


def conv_unit_weights(w: np.ndarray, coarse_in: int, coarse_out: int) -> np.ndarray:
    """ONNX conv weights (F, C, KH, KW) -> the conv units' arrays [CO][F/CO][C/CI][KH*KW][CI].

    Unit o, filter j, channel group g, kernel position k, lane l holds
    w[j*CO+o, g*CI+l, k//KW, k%KW].
    """
    f, c, kh, kw = w.shape
    if c % coarse_in or f % coarse_out:
        raise ValueError("coarse_in must divide the channels and coarse_out the filters")
    r = np.asarray(w).reshape(f // coarse_out, coarse_out, c // coarse_in, coarse_in, kh * kw)
    return np.ascontiguousarray(r.transpose(1, 0, 2, 4, 3))


def gemm_to_stream_order(w: np.ndarray, channels: int, rows: int, cols: int) -> np.ndarray:
    """Gemm weights (F, C*H*W) over an ONNX-flattened (C, H, W) input -> (F, H*W*C) stream order."""
    f = w.shape[0]
    r = np.asarray(w).reshape(f, channels, rows, cols).transpose(0, 2, 3, 1)
    return np.ascontiguousarray(r.reshape(f, rows * cols * channels))


def linear_unit_weights(w: np.ndarray, coarse_in: int, coarse_out: int) -> np.ndarray:
    """Stream-order weights (F, K) -> the linear unit's array [K/CI][F/CO][CO][CI].

    Entry [i][j][o][l] holds w[j*CO+o, i*CI+l].
    """
    f, k = w.shape
    if k % coarse_in or f % coarse_out:
        raise ValueError("coarse_in must divide the inputs and coarse_out the outputs")
    r = np.asarray(w).reshape(f // coarse_out, coarse_out, k // coarse_in, coarse_in)
    return np.ascontiguousarray(r.transpose(2, 0, 1, 3))


def lane_table(values: np.ndarray, lanes: int) -> np.ndarray:
    """Per-channel values (C,) -> [C/L][L] (the bias unit's array)."""
    return np.asarray(values).reshape(-1, lanes)
