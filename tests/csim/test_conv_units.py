"""The conv layer (coarse_in/coarse_out/fine variations) and linear unit, bit for bit."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from atheena_ir.numerics import fixed_point as fx
from atheena_ir.numerics import layout
from tests.csim.harness import built, prebuild, run, stream_values

BUILD = prebuild("conv")
# mode: (coarse_in, coarse_out, rows, cols, cin, filters, kernel, stride, pads, fine, bias)
CONVS = {
    "conv_a": (2, 3, 5, 5, 4, 6, (3, 3), 1, (1, 1, 1, 1), 3, True),
    "conv_b": (1, 2, 7, 6, 3, 4, (3, 3), 2, (0, 0, 0, 0), 9, False),
    "conv_c": (2, 1, 4, 4, 2, 2, (1, 1), 1, (0, 0, 0, 0), 1, True),
    "conv_d": (4, 4, 4, 5, 4, 4, (2, 2), 1, (0, 1, 1, 0), 1, True),
}
LINEARS = {"linear_a": (2, 3, 24, 6, True), "linear_b": (1, 1, 10, 4, False)}


def raw(shape: tuple[int, ...], bits: int = 16) -> st.SearchStrategy[np.ndarray]:
    lim = 2 ** (bits - 1)
    return hnp.arrays(np.int64, shape, elements=st.integers(-lim, lim - 1))


def weights(shape: tuple[int, ...]) -> st.SearchStrategy[np.ndarray]:
    """Mostly small weights (so outputs rarely saturate), sometimes full-range ones."""
    return st.one_of(raw(shape, 10), raw(shape, 16))


@settings(max_examples=5)
@given(st.data())
def test_conv_layer_equals_the_fixed_point_convolution(data) -> None:
    for mode, (ci, co, rows, cols, cin, f, kernel, s, pads, _fine, has_bias) in CONVS.items():
        n = data.draw(st.integers(1, 3))
        x = data.draw(raw((n, rows, cols, cin)))
        w = data.draw(weights((f, cin, *kernel)))
        b = data.draw(raw((f,))) if has_bias else None
        inputs = [layout.conv_unit_weights(w, ci, co)]
        if b is not None:
            inputs.append(layout.lane_table(b, co))
        _, got = stream_values(run(built(BUILD), mode, n, values=[*inputs, x]).stdout)
        expected = fx.conv2d(x, w, b, stride=(s, s), pads=pads)
        np.testing.assert_array_equal(got.reshape(expected.shape), expected, err_msg=mode)


@settings(max_examples=5)
@given(st.data())
def test_linear_equals_the_fixed_point_matmul(data) -> None:
    for mode, (ci, co, k, f, has_bias) in LINEARS.items():
        n = data.draw(st.integers(1, 4))
        x = data.draw(raw((n, k)))
        w = data.draw(weights((f, k)))
        b = data.draw(raw((f,))) if has_bias else None
        inputs = [layout.linear_unit_weights(w, ci, co)]
        if b is not None:
            inputs.append(layout.lane_table(b, co))
        ids, got = stream_values(run(built(BUILD), mode, n, values=[*inputs, x]).stdout)
        np.testing.assert_array_equal(got.reshape(n, f), fx.linear(x, w, b), err_msg=mode)
        np.testing.assert_array_equal(ids, np.repeat(np.arange(n), f // co))


def test_gemm_columns_move_to_stream_order() -> None:
    c, h, w = 3, 2, 2
    x = np.arange(c * h * w).reshape(1, c, h, w)
    gemm = np.arange(5 * c * h * w).reshape(5, -1)
    onnx = gemm @ x.reshape(-1)
    stream = layout.gemm_to_stream_order(gemm, c, h, w) @ layout.to_stream(x).reshape(-1)
    np.testing.assert_array_equal(onnx, stream)
