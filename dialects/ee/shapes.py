"""
Shape rules of the `ee` ops, shared by the verifiers, the ONNX importer and the passes.

Tensors are NCHW; pads are `[top, left, bottom, right]` (ONNX's begin/end order).
"""

from __future__ import annotations

from xdsl.dialects.builtin import TensorType
from xdsl.ir import Attribute, SSAValue
from xdsl.utils.exceptions import VerifyException


def window_out(
    size: int, kernel: int, stride: int, pad_begin: int, pad_end: int, dilation: int = 1
) -> int:
    """Output length of a sliding window (floor mode)."""
    span = dilation * (kernel - 1) + 1
    return (size + pad_begin + pad_end - span) // stride + 1


def conv_out_hw(
    hw: tuple[int, int],
    kernel: tuple[int, int],
    strides: tuple[int, ...],
    pads: tuple[int, ...],
    dilations: tuple[int, ...] = (1, 1),
) -> tuple[int, int]:
    """Output rows and cols of a 2-D window op."""
    return (
        window_out(hw[0], kernel[0], strides[0], pads[0], pads[2], dilations[0]),
        window_out(hw[1], kernel[1], strides[1], pads[1], pads[3], dilations[1]),
    )


def tensor_shape(
    value: SSAValue | Attribute, what: str, rank: int | None = None
) -> tuple[int, ...]:
    """The static shape of a tensor value, or a VerifyException naming `what`."""
    t = value.type if isinstance(value, SSAValue) else value
    if not isinstance(t, TensorType):
        raise VerifyException(f"{what} must be a tensor, got {t}")
    shape = tuple(t.get_shape())
    if any(d < 0 for d in shape):
        raise VerifyException(f"{what} must have a static shape, got {t}")
    if rank is not None and len(shape) != rank:
        raise VerifyException(f"{what} must have rank {rank}, got {t}")
    return shape


def expect_shape(actual: tuple[int, ...], expected: tuple[int, ...], what: str) -> None:
    if tuple(actual) != tuple(expected):
        raise VerifyException(
            f"{what} has shape {format_shape(actual)}, expected {format_shape(expected)}"
        )


def format_shape(shape: tuple[int, ...]) -> str:
    return "x".join(map(str, shape)) if shape else "scalar"


def check_ints(name: str, values: tuple[int, ...], count: int, minimum: int) -> None:
    """`values` has `count` entries, each >= `minimum`."""
    if len(values) != count:
        raise VerifyException(f"{name} must have {count} entries, got {len(values)}")
    if any(v < minimum for v in values):
        raise VerifyException(f"{name} must be >= {minimum}, got {list(values)}")
