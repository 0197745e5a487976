"""
Checks shared by the op tests: the import verifies, has the expected op and, run by the
reference interpreter, matches onnxruntime.

```python
module = check_import(model, "ee.conv2d")
```
"""

from __future__ import annotations

import numpy as np
import onnx
import onnxruntime as ort
from xdsl.dialects.builtin import ModuleOp

from atheena_ir.interpreter import run
from atheena_ir.onnx_frontend import import_onnx

ort.set_default_logger_severity(4)


def ort_run(model: onnx.ModelProto, feeds: dict[str, np.ndarray]) -> np.ndarray:
    """The first output of `model` under onnxruntime (CPU, no graph optimisation)."""
    options = ort.SessionOptions()
    options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_DISABLE_ALL
    options.log_severity_level = 3
    session = ort.InferenceSession(
        model.SerializeToString(), options, providers=["CPUExecutionProvider"]
    )
    return session.run(None, feeds)[0]


def check_import(
    model: onnx.ModelProto,
    expected_op: str | None,
    seed: int = 0,
    rtol: float = 1e-4,
    atol: float = 1e-4,
    numeric: bool = True,
) -> ModuleOp:
    """
    Import `model`; assert it verifies, contains `expected_op` (when given) and computes
    what onnxruntime computes on random inputs.
    """
    module = import_onnx(model, "test.onnx")
    module.verify()
    names = [op.name for op in module.walk()]
    if expected_op is not None:
        assert expected_op in names, f"{expected_op} not in {names}"
    if not numeric:
        return module
    rng = np.random.default_rng(seed)
    feeds = {}
    inits = {t.name for t in model.graph.initializer}
    for vi in model.graph.input:
        if vi.name in inits:
            continue
        shape = [d.dim_value for d in vi.type.tensor_type.shape.dim]
        feeds[vi.name] = rng.uniform(-1, 1, shape).astype(np.float32)
    expected = ort_run(model, feeds)
    result = run(module, [feeds[vi.name] for vi in model.graph.input if vi.name in feeds])
    np.testing.assert_allclose(result.output, expected, rtol=rtol, atol=atol)
    return module
