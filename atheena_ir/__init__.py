"""
atheena-ir: early-exit CNNs to streaming FPGA accelerators, on xDSL.

For scripts and notebooks (atheena_ir/pipeline.py):

```python
import atheena_ir

ctx = atheena_ir.context()                  # every xDSL dialect plus ee and hws
module = atheena_ir.parse(text)             # parse and verify IR
atheena_ir.run_passes(module, "canonicalize,split-exits{exit-probs=0.75}")
```
"""

from typing import Any

_PIPELINE = ("available_passes", "context", "parse", "run_passes")


def __getattr__(name: str) -> Any:
    # Loaded on first use, so `import atheena_ir` (and every tool's start-up) stays cheap.
    if name in _PIPELINE:
        from atheena_ir import pipeline

        return getattr(pipeline, name)
    raise AttributeError(f"module 'atheena_ir' has no attribute '{name}'")


__all__ = list(_PIPELINE)
