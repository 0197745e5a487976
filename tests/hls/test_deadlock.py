"""
A design whose paths reconverge with a skew: the simulation names the stuck stream when a FIFO is
too shallow to absorb it, and the same design with a deep enough FIFO computes the right values.

`split` sends the map both ways; one way is a 3x3 max pool (its sliding window must see a row
and a bit more before its first output), the other a relu straight into the `glue` that reads
both in lock step. The glue's input FIFOs (one stream array, so one depth: the largest of its
members') must therefore hold about a row of words.
"""

from __future__ import annotations

import numpy as np
import pytest
from xdsl.parser import Parser

import atheena_ir
from atheena_ir.backends.hls.project import project_files, write_project
from atheena_ir.csim import simulate
from atheena_ir.errors import UserError
from atheena_ir.numerics import fixed_point as fx
from tests.hls.flow import ROOT

T = "fixed<16, 8, rnd_conv, sat>"
N = 8  # rows = cols
DESIGN = f"""
hws.design @skew attributes {{port_maps = [array<i64: {N}, {N}, 1>, array<i64: {N}, {N}, 2>]}} {{
^bb0(%x: !hws.stream<{T}, 1>):
  %direct, %side = hws.split %x depth [2, 2] : !hws.stream<{T}, 1>
  %d = hws.relu %direct depth DEPTH : !hws.stream<{T}, 1>
  %w = hws.sliding_window %side map [{N}, {N}, 1] strides [1, 1] pads [1, 1, 1, 1] depth 2
      : !hws.stream<{T}, 1> -> !hws.window<{T}, 1, 3, 3>
  %p = hws.pool %w max depth DEPTH : !hws.window<{T}, 1, 3, 3> -> !hws.stream<{T}, 1>
  %g = hws.glue %d, %p depth 2 : !hws.stream<{T}, 1>, !hws.stream<{T}, 1> -> !hws.stream<{T}, 2>
  hws.output %g : !hws.stream<{T}, 2>
}}
"""


def project(depth: int) -> object:
    ctx = atheena_ir.context()
    module = Parser(ctx, DESIGN.replace("DEPTH", str(depth))).parse_module()
    module.verify()
    path = ROOT / f"skew_d{depth}"
    write_project(project_files(module), path)
    return path


def expected(x: np.ndarray) -> np.ndarray:
    """Channel 0: relu(x); channel 1: 3x3 max pool with zero padding (raw integers)."""
    raw = fx.from_float(x[:, 0].astype(np.float64), fx.DATA)
    padded = np.pad(raw, ((0, 0), (1, 1), (1, 1)))
    pooled = np.max([padded[:, i : i + N, j : j + N] for i in range(3) for j in range(3)], axis=0)
    return np.stack([np.maximum(raw, 0), pooled], axis=1)


def test_deep_enough_fifo_computes_the_values() -> None:
    x = np.random.default_rng(3).uniform(-2, 2, (5, 1, N, N))
    got = simulate(project(2 * N), x)
    np.testing.assert_array_equal(got.raw, expected(x))
    np.testing.assert_array_equal(got.exits, np.zeros(5))


def test_too_shallow_fifo_is_reported_as_a_deadlock_naming_the_stream() -> None:
    x = np.random.default_rng(3).uniform(-2, 2, (3, 1, N, N))
    # The simulation finds the deadlock in simulated time; the run's timeout only guards against a
    # hang (it would end in "did not finish", which the match below refuses).
    with pytest.raises(UserError, match="deadlocked") as info:
        simulate(project(1), x, timeout=600)
    message = str(info.value)
    assert "stuck streams:" in message
    assert "stream 'g_in[0]' depth 1 holds 1/1 (full)" in message  # the relu's output
    assert "writer waiting: atheena::relu<" in message
