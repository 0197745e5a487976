"""
The window attributes shared by Conv and the pools: kernel, strides, dilations and
pads, with `auto_pad` resolved to explicit `[top, left, bottom, right]` pads.

```python
w = window_attributes(node, kernel=(5, 5), in_hw=(28, 28))
w.pads  # (2, 2, 2, 2) for auto_pad=SAME_UPPER and stride 1
```
"""

from __future__ import annotations

from dataclasses import dataclass

import onnx

from atheena_ir.onnx_frontend.attributes import NodeAttributes
from atheena_ir.onnx_frontend.diagnostics import NodeRefusal

AUTO_PADS = ("NOTSET", "SAME_UPPER", "SAME_LOWER", "VALID")


@dataclass(frozen=True)
class Window:
    """A resolved 2-D window: every field is explicit."""

    kernel: tuple[int, int]
    strides: tuple[int, int]
    dilations: tuple[int, int]
    pads: tuple[int, int, int, int]


def window_attributes(
    node: onnx.NodeProto, kernel: tuple[int, int] | None, in_hw: tuple[int, int]
) -> Window:
    """
    Read `kernel_shape`, `strides`, `dilations`, `pads` and `auto_pad` of a 2-D window
    node. `kernel` is the size implied by the weights (Conv) or None (pools).

    Example: `window_attributes(conv_node, (3, 3), (28, 28)).pads`.
    """
    attrs = NodeAttributes(node)
    if kernel is None:
        kernel_list = attrs.ints("kernel_shape", None, minimum=1)
        if len(kernel_list) != 2:
            raise NodeRefusal(
                f"{len(kernel_list)}-D window (kernel_shape {kernel_list}); only 2-D (NCHW) is "
                "supported"
            )
        kernel = (kernel_list[0], kernel_list[1])
    elif attrs.has("kernel_shape"):
        declared = attrs.ints("kernel_shape", None, minimum=1)
        if tuple(declared) != kernel:
            raise NodeRefusal(
                f"kernel_shape {declared} does not match the weights' kernel {list(kernel)}"
            )
    strides = attrs.ints("strides", [1, 1], minimum=1, length=2)
    dilations = attrs.ints("dilations", [1, 1], minimum=1, length=2)
    auto_pad = attrs.string("auto_pad", "NOTSET")
    if auto_pad not in AUTO_PADS:
        raise NodeRefusal(f"auto_pad '{auto_pad}' is not one of {', '.join(AUTO_PADS)}")
    if auto_pad == "NOTSET":
        pads = attrs.ints("pads", [0, 0, 0, 0], minimum=0, length=4)
    elif auto_pad == "VALID":
        pads = [0, 0, 0, 0]
    else:
        pads = _same_pads(kernel, strides, dilations, in_hw, auto_pad == "SAME_UPPER")
    return Window(
        kernel,
        (strides[0], strides[1]),
        (dilations[0], dilations[1]),
        (pads[0], pads[1], pads[2], pads[3]),
    )


def _same_pads(
    kernel: tuple[int, int],
    strides: list[int],
    dilations: list[int],
    in_hw: tuple[int, int],
    upper: bool,
) -> list[int]:
    """SAME_* padding: output `ceil(in / stride)`; the odd pad goes at the end (UPPER) or start."""
    begins, ends = [], []
    for size, k, s, d in zip(in_hw, kernel, strides, dilations, strict=True):
        out = -(-size // s)
        total = max(0, (out - 1) * s + (k - 1) * d + 1 - size)
        small, large = total // 2, total - total // 2
        begins.append(small if upper else large)
        ends.append(large if upper else small)
    return [begins[0], begins[1], ends[0], ends[1]]
