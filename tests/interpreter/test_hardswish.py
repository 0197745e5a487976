"""`ee.hardswish` in the interpreter: the float kernel against onnxruntime, the fixed-point
backend against `fixed_point.hardswish` (the mirror of atheena/hardswish.h)."""

from __future__ import annotations

import numpy as np
import pytest
from atheena_ir.dialects import ee
from hypothesis import given, settings
from hypothesis import strategies as st
from onnx import helper

from atheena_ir.csim import fixed_point as fx
from atheena_ir.errors import UserError
from atheena_ir.interpreter import FixedPointArithmetic
from tests.interpreter.single_op import ee_outputs, onnx_outputs
from tests.interpreter.test_fixed_point import FIXED, one_op


def _hardswish(b, args):
    return b.insert(ee.HardswishOp(args[0])).output


@settings(max_examples=30)
@given(st.integers(0, 2**32 - 1), st.lists(st.integers(1, 5), min_size=1, max_size=4))
def test_float_kernel_matches_onnxruntime(seed: int, shape: list[int]) -> None:
    x = np.random.default_rng(seed).uniform(-6, 6, (3, *shape)).astype(np.float32)
    x[0].flat[0] = -3.0  # the two corners, exactly
    x[-1].flat[-1] = 3.0
    out = ee_outputs([x], _hardswish)
    expected = onnx_outputs(helper.make_node("HardSwish", ["x"], ["y"]), [x], {})
    np.testing.assert_allclose(out, expected, rtol=1e-6, atol=1e-7)


@settings(max_examples=25)
@given(st.lists(st.integers(-(2**15), 2**15 - 1), min_size=4, max_size=4 * 9))
def test_fixed_point_equals_the_unit_reference(values: list[int]) -> None:
    xr = np.resize(np.array(values, np.int64), (2, 2, 3, 3))
    got = one_op(FIXED.real(xr), lambda b, v: b.insert(ee.HardswishOp(v)).output)
    np.testing.assert_array_equal(FIXED.raw(got), fx.hardswish(xr))


def test_fixed_point_is_within_an_ulp_of_the_real_function() -> None:
    xr = np.arange(-(2**15), 2**15, dtype=np.int64)
    x = xr / 256.0
    exact = x * np.clip(x + 3, 0, 6) / 6
    got = fx.to_float(fx.hardswish(xr), fx.DATA)
    inside = exact < 127.99  # saturation at data_t's top
    assert np.max(np.abs(got - exact)[inside]) <= 0.5 / 256 + 1e-9
    assert fx.hardswish(np.array([-768, 768])).tolist() == [0, 768]  # -3 -> 0, 3 -> 3


def test_too_wide_data_type_is_refused() -> None:
    wide = FixedPointArithmetic(data=fx.FixedType(32, 8, rounding="RND_CONV", overflow="SAT"))
    with pytest.raises(UserError, match="hardswish"):
        wide.hardswish(np.zeros((1, 1), np.float64))
