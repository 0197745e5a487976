"""The `ee` dialect: early-exit CNNs as a tensor graph (see docs/dialects/ee.md)."""

from xdsl.ir import Dialect

from atheena_ir.dialects.ee.conv import Conv2dOp
from atheena_ir.dialects.ee.folding import FoldAttr

EE = Dialect("ee", [Conv2dOp], [FoldAttr])

__all__ = ["EE", "Conv2dOp", "FoldAttr"]
