"""
Every activation (`ee.ACTIVATIONS`) in the interpreter: the float kernel against onnxruntime,
the fixed-point backend against the unit's registered arithmetic (`fx.ACTIVATION_UNITS`), and
that arithmetic within one ulp of the float definition on every `data_t` value. A new
activation is tested here with no edit.
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from onnx import helper

from atheena_ir.dialects import ee
from atheena_ir.errors import UserError
from atheena_ir.numerics import fixed_point as fx
from tests.interpreter.single_op import ee_outputs, onnx_outputs
from tests.interpreter.test_fixed_point import FIXED, one_op

ACTIVATIONS = pytest.mark.parametrize("op", ee.ACTIVATIONS, ids=lambda op: op.unit_name())


@ACTIVATIONS
@settings(max_examples=20)
@given(st.integers(0, 2**32 - 1), st.lists(st.integers(1, 5), min_size=1, max_size=4))
def test_float_kernel_matches_onnxruntime(
    op: type[ee.ActivationOp], seed: int, shape: list[int]
) -> None:
    x = np.random.default_rng(seed).uniform(-8, 8, (3, *shape)).astype(np.float32)
    x[0].flat[0] = -3.0  # integers: the corners of piecewise functions
    x[-1].flat[-1] = 3.0
    out = ee_outputs([x], lambda b, args: b.insert(op(args[0])).output)
    expected = onnx_outputs(helper.make_node(op.ONNX, ["x"], ["y"]), [x], {})
    np.testing.assert_allclose(out, expected, rtol=1e-6, atol=1e-7)


@ACTIVATIONS
@settings(max_examples=15)
@given(st.lists(st.integers(-(2**15), 2**15 - 1), min_size=4, max_size=4 * 9))
def test_fixed_point_runs_the_units_arithmetic(
    op: type[ee.ActivationOp], values: list[int]
) -> None:
    xr = np.resize(np.array(values, np.int64), (2, 2, 3, 3))
    got = one_op(FIXED.real(xr), lambda b, v: b.insert(op(v)).output)
    want = fx.ACTIVATION_UNITS[op.unit_name()](xr.transpose(0, 2, 3, 1), fx.DATA)
    np.testing.assert_array_equal(FIXED.raw(got), want.transpose(0, 3, 1, 2))


@ACTIVATIONS
def test_the_unit_is_within_an_ulp_of_the_float_definition(op: type[ee.ActivationOp]) -> None:
    """The contract of an activation unit, on all 2^16 values of data_t (below saturation)."""
    xr = np.arange(-(2**15), 2**15, dtype=np.int64)
    x = fx.to_float(xr, fx.DATA)
    exact = op.reference(x.astype(np.float64))
    got = fx.to_float(fx.ACTIVATION_UNITS[op.unit_name()](xr, fx.DATA), fx.DATA)
    inside = np.abs(exact) < 127.99
    assert np.max(np.abs(got - exact)[inside]) <= 1 / 256


def test_an_activation_without_a_fixed_point_unit_is_refused(monkeypatch) -> None:
    monkeypatch.delitem(fx.ACTIVATION_UNITS, "hardswish")
    with pytest.raises(UserError, match=r"'ee.hardswish'.*no @activation_unit\('hardswish'\)"):
        one_op(np.zeros((1, 1, 2, 2)), lambda b, v: b.insert(ee.HardswishOp(v)).output)
