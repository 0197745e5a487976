"""
The ONNX frontend: early-exit CNNs (ONNX, opsets 9-21) to the `ee` dialect.

```python
from atheena_ir.onnx_frontend import import_onnx_file
module = import_onnx_file("branchy_lenet.onnx")
```

Weights become `ee.constant`; every imported op carries its ONNX node name (or
initializer name for constants) in the discardable attribute `onnx_name`
(`ONNX_NAME_ATTR`), e.g. `{onnx_name = "Conv_0"}`. PyTorch's early-exit `If` form becomes
`ee.exit_decision` + `ee.exit`. Unsupported models end in one `UserError` that lists
every problem node and the supported ops.
"""

from atheena_ir.onnx_frontend.context import ONNX_NAME_ATTR
from atheena_ir.onnx_frontend.importer import (
    import_onnx,
    import_onnx_bytes,
    import_onnx_file,
    import_onnx_stream,
)
from atheena_ir.onnx_frontend.registry import (
    CONSTANT_ONLY_OPS,
    CONVERTERS,
    EXIT_PATTERN_OPS,
    MAX_OPSET,
    MIN_OPSET,
    supported_summary,
)

__all__ = [
    "CONSTANT_ONLY_OPS",
    "CONVERTERS",
    "EXIT_PATTERN_OPS",
    "MAX_OPSET",
    "MIN_OPSET",
    "ONNX_NAME_ATTR",
    "import_onnx",
    "import_onnx_bytes",
    "import_onnx_file",
    "import_onnx_stream",
    "supported_summary",
]
