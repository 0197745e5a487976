"""On-chip memory (BRAM18) models as sympy functions with vectorised numpy implementations.

Three functions appear in the expressions, printed by name in the docs:

- ``bram_mem_v1(depth, width)``: fpgaConvNet's ``bram_memory_resource_model`` (ATHEENA v1.0):
  the data width is rounded up to a BRAM18 aspect ratio {1,2,4,9,18,36} bits x
  {16000,8000,4000,2000,1000,512} words, the result is ceil(depth / words).
- ``bram_fifo_v1(depth, width)``: fpgaConvNet's ``bram_stream_resource_model``: the depth is rounded
  up to an aspect ratio and ceil(width / bits) is returned; beyond 16000 words it stops growing
  (a defect: a 100 000-word FIFO costs the same as a 16 000-word one).
- ``bram18(depth, width)``: the project's model for both: the cheapest aspect ratio,
  min over ratios of ceil(width / bits) * ceil(depth / words). It agrees with both reference
  functions up to 16000 words at 16 bits and also handles widths above 36 bits.

The project's units (line buffers, conditional buffers, FIFOs, the exit decision's ROM, squeeze
registers) are costed where Vitis puts an array of ``depth`` words of ``width`` bits
(``storage_ff``, ``storage_lut``, ``storage_bram``, exactly one of them non-zero):

- one word: registers, ``width`` FFs;
- up to ``LUTRAM_BITS`` bits: distributed RAM, ``width * ceil(depth / 32)`` LUTs (RAM32X1D,
  dual-ported: one write and one read per cycle);
- more: ``bram18(depth, width)`` BRAM18 blocks.

``lanes_lcm(a, b)`` is the least common multiple of two lane counts (a squeeze's buffer).
"""

from __future__ import annotations

import numpy as np
import sympy as sp

BRAM18_RATIOS: tuple[tuple[int, int], ...] = (
    (1, 16000),
    (2, 8000),
    (4, 4000),
    (9, 2000),
    (18, 1000),
    (36, 512),
)
"""BRAM18 aspect ratios as (bits, words), as fpgaConvNet tabulates them."""

bram_mem_v1 = sp.Function("bram_mem_v1")
bram_fifo_v1 = sp.Function("bram_fifo_v1")
bram18 = sp.Function("bram18")
storage_ff = sp.Function("storage_ff")
storage_lut = sp.Function("storage_lut")
storage_bram = sp.Function("storage_bram")
lanes_lcm = sp.Function("lanes_lcm")

LUTRAM_BITS = 1024
"""Arrays of up to this many bits (and more than one word) are costed as distributed RAM."""
LUTRAM_WORDS = 32
"""Words of one LUT used as dual-port distributed RAM (RAM32X1D), per bit of width."""


def np_bram_mem_v1(depth: np.ndarray, width: np.ndarray) -> np.ndarray:
    """Vectorised ``bram_memory_resource_model`` of ATHEENA v1.0."""
    depth = np.asarray(depth, dtype=float)
    width = np.asarray(width, dtype=float)
    words = np.select(
        [width <= bits for bits, _ in BRAM18_RATIOS],
        [float(w) for _, w in BRAM18_RATIOS],
        default=np.nan,
    )
    return np.where(depth == 0, 0.0, np.ceil(depth / words))


def np_bram_fifo_v1(depth: np.ndarray, width: np.ndarray) -> np.ndarray:
    """Vectorised ``bram_stream_resource_model`` of ATHEENA v1.0."""
    depth = np.asarray(depth, dtype=float)
    width = np.asarray(width, dtype=float)
    by_words = sorted(BRAM18_RATIOS, key=lambda r: r[1])
    bits = np.select(
        [depth <= words for _, words in by_words],
        [float(b) for b, _ in by_words],
        default=float(by_words[-1][0]),
    )
    return np.where(depth == 0, 0.0, np.ceil(width / bits))


def np_bram18(depth: np.ndarray, width: np.ndarray) -> np.ndarray:
    """Vectorised project model: the cheapest BRAM18 aspect ratio for depth x width."""
    depth = np.asarray(depth, dtype=float)
    width = np.asarray(width, dtype=float)
    costs = [np.ceil(width / bits) * np.ceil(depth / words) for bits, words in BRAM18_RATIOS]
    return np.minimum.reduce(np.broadcast_arrays(*costs))


def _storage_class(depth: np.ndarray, width: np.ndarray) -> tuple[np.ndarray, ...]:
    depth = np.asarray(depth, dtype=float)
    width = np.asarray(width, dtype=float)
    registers = depth <= 1
    lutram = ~registers & (depth * width <= LUTRAM_BITS)
    return depth, width, registers, lutram


def np_storage_ff(depth: np.ndarray, width: np.ndarray) -> np.ndarray:
    """FFs of an array held in registers (one word), else 0."""
    depth, width, registers, _ = _storage_class(depth, width)
    return np.where(registers, depth * width, 0.0)


def np_storage_lut(depth: np.ndarray, width: np.ndarray) -> np.ndarray:
    """LUTs of an array held in distributed RAM, else 0."""
    depth, width, _, lutram = _storage_class(depth, width)
    return np.where(lutram, width * np.ceil(depth / LUTRAM_WORDS), 0.0)


def np_storage_bram(depth: np.ndarray, width: np.ndarray) -> np.ndarray:
    """BRAM18 blocks of an array held in block RAM, else 0."""
    depth, width, registers, lutram = _storage_class(depth, width)
    return np.where(registers | lutram, 0.0, np_bram18(depth, width))


def np_lanes_lcm(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """The least common multiple of two lane counts (positive integers)."""
    return np.lcm(np.asarray(a).astype(np.int64), np.asarray(b).astype(np.int64)).astype(float)


NUMPY_IMPLEMENTATIONS = {
    "bram_mem_v1": np_bram_mem_v1,
    "bram_fifo_v1": np_bram_fifo_v1,
    "bram18": np_bram18,
    "storage_ff": np_storage_ff,
    "storage_lut": np_storage_lut,
    "storage_bram": np_storage_bram,
    "lanes_lcm": np_lanes_lcm,
}
"""The namespace lambdify needs to evaluate the memory functions."""


def memory(depth: sp.Expr, width: sp.Expr, reference: bool) -> sp.Expr:
    """A RAM of ``depth`` words of ``width`` bits (weights, accumulators, buffers)."""
    return bram_mem_v1(depth, width) if reference else bram18(depth, width)


def fifo(depth: sp.Expr, width: sp.Expr, reference: bool) -> sp.Expr:
    """A FIFO of ``depth`` words of ``width`` bits (line and window buffers)."""
    return bram_fifo_v1(depth, width) if reference else bram18(depth, width)
