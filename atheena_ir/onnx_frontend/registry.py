"""
Which ONNX ops the importer takes, and the converter of each.

```python
CONVERTERS["Conv"](ctx, node)   # -> [ee.conv2d result]
print(supported_summary())      # the list quoted in the "unsupported nodes" message
```
"""

from __future__ import annotations

from atheena_ir.dialects import ee
from atheena_ir.onnx_frontend.folding import FOLDERS
from atheena_ir.onnx_frontend.ops_affine import convert_add_affine, convert_mul
from atheena_ir.onnx_frontend.ops_conv import convert_conv
from atheena_ir.onnx_frontend.ops_elementwise import (
    Converter,
    convert_activation,
    convert_batchnorm,
    convert_softmax,
)
from atheena_ir.onnx_frontend.ops_linear import convert_gemm, convert_matmul
from atheena_ir.onnx_frontend.ops_pool import (
    convert_avgpool,
    convert_global_avgpool,
    convert_maxpool,
)
from atheena_ir.onnx_frontend.ops_shape import (
    convert_concat,
    convert_dropout,
    convert_flatten,
    convert_identity,
    convert_reshape,
)

MIN_OPSET = 9
MAX_OPSET = 21
"""The default-domain opsets the importer accepts."""

CONVERTERS: dict[str, Converter] = {
    "AveragePool": convert_avgpool,
    "BatchNormalization": convert_batchnorm,
    "Add": convert_add_affine,
    "Concat": convert_concat,
    "Conv": convert_conv,
    "Dropout": convert_dropout,
    "Flatten": convert_flatten,
    "Gemm": convert_gemm,
    "GlobalAveragePool": convert_global_avgpool,
    "Identity": convert_identity,
    "MatMul": convert_matmul,
    "MaxPool": convert_maxpool,
    "Mul": convert_mul,
    "Reshape": convert_reshape,
    "Softmax": convert_softmax,
    "Sum": convert_add_affine,
    **{activation.ONNX: convert_activation(activation) for activation in ee.ACTIVATIONS},
}
"""Ops imported on run-time tensors, by ONNX op type."""

EXIT_PATTERN_OPS = ("If", "ReduceMax", "Greater", "GreaterOrEqual", "Less", "LessOrEqual", "Cast")
"""Ops accepted only as part of a recognised early exit."""

CONSTANT_ONLY_OPS = tuple([*sorted(set(FOLDERS) - set(CONVERTERS)), "Shape"])
"""Ops accepted only where import-time evaluation is possible (constant inputs)."""


def supported_summary() -> str:
    """
    The supported ops, for the end of the "cannot import" message.

    Example: `"supported ops: Add, AveragePool, ...; in early exits: If, ...; ..."`.
    """
    return (
        f"supported ops (opsets {MIN_OPSET}-{MAX_OPSET}): {', '.join(sorted(CONVERTERS))}; "
        f"in early exits (Softmax -> ReduceMax -> Greater -> [Cast] -> If): "
        f"{', '.join(EXIT_PATTERN_OPS)}; on constants only (evaluated at import): "
        f"{', '.join(sorted(CONSTANT_ONLY_OPS))}"
    )
