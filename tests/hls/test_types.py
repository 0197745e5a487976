"""
Other fixed-point types than the defaults through the whole flow: data with 10 fractional bits
(so the exit decision needs its own exp table, printed into the project), narrower weights and
an accumulator with fewer integer bits - still bit for bit equal to the fixed-point interpreter
configured with the same types.
"""

from __future__ import annotations

import numpy as np

from atheena_ir import models
from atheena_ir.csim import simulate
from atheena_ir.interpreter import FixedPointArithmetic, run
from atheena_ir.numerics import fixed_point as fx
from tests.hls.flow import flow

SPEC = "split-exits{exit-probs=0.75},fold{coarse=2 fine=max}"
LOWER = (
    "lower-to-hws{data-width=16 data-int=6 weight-width=12 weight-int=4 acc-width=32 acc-int=12}"
)
ARITH = FixedPointArithmetic(
    data=fx.FixedType(16, 6, rounding="RND_CONV", overflow="SAT"),
    weight=fx.FixedType(12, 4, rounding="RND_CONV", overflow="SAT"),
    acc=fx.FixedType(32, 12),
)


def test_other_types_are_bit_exact_with_their_own_exp_table() -> None:
    f = flow("b_lenet_types", models.b_lenet, SPEC, LOWER)
    assert (f.project / "src" / "exp_table_f10_p16.h").is_file()
    assert "exp_table_f10_p16>" in (f.project / "src" / "main_top.cpp").read_text()
    x = models.mnist_digits()[0][:12]
    got = simulate(f.project, x)
    want = run(f.ee_module, x.astype(np.float64), arithmetic=ARITH)
    np.testing.assert_array_equal(got.exits, want.exit_index)
    np.testing.assert_array_equal(got.real, want.output)
