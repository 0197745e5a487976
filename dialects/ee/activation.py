"""
Activations: one-input, same-shape, per-element ops with one `coarse` (`ee.relu`,
`ee.hardswish`).

Every level of the toolflow treats them alike, so one subclass of `ActivationOp` here is
the whole definition the compiler needs above the hardware: its name, the ONNX op it
imports from (`ONNX`), a one-line formula (`FORMULA`) and its float32 definition
(`reference`), which the importer's constant folding, `canonicalize` and the float
interpreter all use. From `ACTIVATIONS` the rest is derived: the importer's converter, the
interpreter's kernel, the `hws` unit op of the same name (`hws.<name>`, unit
`atheena::<name><T, L>`) and its lowering. Three things stay per activation because they
*are* the hardware: the fixed-point arithmetic of the unit (`@activation_unit` in
`atheena_ir/numerics/fixed_point.py`), its cost (`LayerKind` in `atheena_ir/cost/layer_kind.py`)
and the C++ unit (`backends/hls/include/atheena/<name>.h`). docs/tutorial_add_a_layer.md
walks through adding one.

```mlir
%y = ee.relu %x : tensor<1x5x16x16xf32>
%z = ee.hardswish %x {folding = #ee.fold<coarse_in = 5, coarse_out = 5>} : tensor<1x5x16x16xf32>
```
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from typing import TYPE_CHECKING, ClassVar

from xdsl.dialects.builtin import AnyTensorTypeConstr
from xdsl.interfaces import HasFolderInterface
from xdsl.ir import Attribute, SSAValue
from xdsl.irdl import VarConstraint, irdl_op_definition, operand_def, result_def

from atheena_ir.dialects.ee.base import FoldableOp
from atheena_ir.dialects.ee.canonicalization import fold_constants
from atheena_ir.dialects.ee.elementwise import channel_folding
from atheena_ir.dialects.ee.folding import LegalFolding

if TYPE_CHECKING:
    import numpy as np  # imported where used: a parse need not load numpy


class ActivationOp(FoldableOp, HasFolderInterface, ABC):
    """
    The shared definition of an activation (undecorated: subclasses merge its fields).

    A subclass sets `name` (`ee.<unit>`), `ONNX`, `FORMULA` and `reference`, and is listed
    in `ACTIVATIONS`.
    """

    ONNX: ClassVar[str] = ""
    """The ONNX op type imported as this op."""
    FORMULA: ClassVar[str] = ""
    """The function in one line, for generated documentation."""
    NON_NEGATIVE: ClassVar[bool] = False
    """True when the function is never negative (a zero-padded max pool after it is exact)."""

    T: ClassVar = VarConstraint("T", AnyTensorTypeConstr)
    input = operand_def(T)
    output = result_def(T)

    assembly_format = "$input attr-dict `:` type($output)"

    def __init__(self, input: SSAValue):
        super().__init__(operands=[input], result_types=[input.type])

    @staticmethod
    @abstractmethod
    def reference(x: np.ndarray) -> np.ndarray:
        """The float definition on a numpy array (float32 in, float32 out)."""

    @classmethod
    def unit_name(cls) -> str:
        """The name shared by the op, its `hws` unit, its C++ unit and its cost `LayerKind`."""
        return cls.name.split(".", 1)[1]

    def fold(self) -> tuple[Attribute] | None:
        return fold_constants(self, type(self).reference)

    def legal_folding(self) -> LegalFolding:
        return channel_folding(self.input)


@irdl_op_definition
class ReluOp(ActivationOp):
    """
    `max(x, 0)`, element-wise (ONNX `Relu`).

    ```mlir
    %y = ee.relu %x : tensor<1x5x16x16xf32>
    ```
    """

    name = "ee.relu"
    ONNX: ClassVar[str] = "Relu"
    FORMULA: ClassVar[str] = "max(x, 0)"
    NON_NEGATIVE: ClassVar[bool] = True

    @staticmethod
    def reference(x: np.ndarray) -> np.ndarray:
        import numpy as np

        return np.maximum(x, np.zeros((), x.dtype))


@irdl_op_definition
class HardswishOp(ActivationOp):
    """
    `x * clamp(x + 3, 0, 6) / 6`, element-wise (ONNX `HardSwish`, opset 14+; MobileNetV3's
    activation).

    Folds like `ee.relu`: one `coarse` over the channels.

    ```mlir
    %y = ee.hardswish %x : tensor<1x5x16x16xf32>
    %z = ee.hardswish %x {folding = #ee.fold<coarse_in = 5, coarse_out = 5>} : tensor<1x5x16x16xf32>
    ```
    """

    name = "ee.hardswish"
    ONNX: ClassVar[str] = "HardSwish"
    FORMULA: ClassVar[str] = "x * clamp(x + 3, 0, 6) / 6"

    @staticmethod
    def reference(x: np.ndarray) -> np.ndarray:
        import numpy as np

        # onnxruntime's form, x * clip(alpha x + beta, 0, 1) with alpha = 1/6, beta = 1/2
        x = np.asarray(x, np.float32)
        gate = np.clip(x * np.float32(1 / 6) + np.float32(0.5), np.float32(0), np.float32(1))
        return x * gate


ACTIVATIONS: tuple[type[ActivationOp], ...] = (ReluOp, HardswishOp)
"""Every activation, in the order the dialect lists them."""

__all__ = ["ACTIVATIONS", "ActivationOp", "HardswishOp", "ReluOp"]
