"""What is particular to hardswish's fixed-point unit (the generic checks of every activation
are in test_activations.py): half an ulp of accuracy, the exact corners, and the refusal of a
data type too wide for its exact int64 reference."""

from __future__ import annotations

import numpy as np
import pytest

from atheena_ir.dialects import ee
from atheena_ir.errors import UserError
from atheena_ir.interpreter import FixedPointArithmetic
from atheena_ir.numerics import fixed_point as fx


def test_fixed_point_is_within_half_an_ulp_of_the_real_function() -> None:
    xr = np.arange(-(2**15), 2**15, dtype=np.int64)
    x = xr / 256.0
    exact = x * np.clip(x + 3, 0, 6) / 6
    got = fx.to_float(fx.hardswish(xr), fx.DATA)
    inside = exact < 127.99  # saturation at data_t's top
    assert np.max(np.abs(got - exact)[inside]) <= 0.5 / 256 + 1e-9
    assert fx.hardswish(np.array([-768, 768])).tolist() == [0, 768]  # -3 -> 0, 3 -> 3


def test_too_wide_data_type_is_refused() -> None:
    wide = FixedPointArithmetic(data=fx.FixedType(32, 8, rounding="RND_CONV", overflow="SAT"))
    with pytest.raises(UserError, match=r"'ee.hardswish': data type .* is too wide"):
        wide.activation(ee.HardswishOp, np.zeros((1, 1), np.float64))
