"""`ee.constant`: weights and other constant tensors as dense attributes."""

from __future__ import annotations

from typing import TYPE_CHECKING

from xdsl.dialects.builtin import BytesAttr, DenseIntOrFPElementsAttr, TensorType, f32
from xdsl.irdl import irdl_op_definition, prop_def, result_def, traits_def
from xdsl.parser import Parser
from xdsl.printer import Printer
from xdsl.traits import ConstantLike, Pure
from xdsl.utils.exceptions import VerifyException

from atheena_ir.dialects.ee.base import EEOp

if TYPE_CHECKING:
    import numpy as np  # imported where used: a parse need not load numpy


@irdl_op_definition
class ConstantOp(EEOp):
    """
    A constant tensor (weights, biases, statistics). Its type is the value's type.
    Above 100 elements the value prints as hex, which parses back exactly.

    ```mlir
    %b = ee.constant dense<[0.5, -1.0]> : tensor<2xf32>
    ```
    """

    name = "ee.constant"

    value = prop_def(DenseIntOrFPElementsAttr)

    output = result_def(TensorType)

    traits = traits_def(Pure(), ConstantLike())

    def __init__(self, value: DenseIntOrFPElementsAttr):
        super().__init__(properties={"value": value}, result_types=[value.type])

    @staticmethod
    def from_array(array: np.ndarray) -> ConstantOp:
        """A float32 constant holding `array` (any shape)."""
        import numpy as np

        data = np.ascontiguousarray(array, dtype="<f4")
        attr = DenseIntOrFPElementsAttr(TensorType(f32, data.shape), BytesAttr(data.tobytes()))
        return ConstantOp(attr)

    def to_array(self) -> np.ndarray:
        """The value as a numpy array of its shape."""
        return dense_to_array(self.value)

    def verify_shapes(self) -> None:
        if self.value.type != self.output.type:
            raise VerifyException(
                f"result type {self.output.type} differs from the value's type {self.value.type}"
            )

    def print(self, printer: Printer) -> None:
        printer.print_string(" ")
        printer.print_attribute(self.value)
        printer.print_op_attributes(self.attributes)

    @classmethod
    def parse(cls, parser: Parser) -> ConstantOp:
        pos = parser.pos
        value = parser.parse_attribute()
        if not isinstance(value, DenseIntOrFPElementsAttr):
            parser.raise_error("expected a dense<...> : tensor<...> value", pos, parser.pos)
        op = cls(value)
        if extra := parser.parse_optional_attr_dict():
            op.attributes.update(extra)
        return op


_DTYPES = {
    "f16": "<f2",
    "f32": "<f4",
    "f64": "<f8",
    "i1": "<i1",
    "i8": "<i1",
    "i16": "<i2",
    "i32": "<i4",
    "i64": "<i8",
    "index": "<i8",
}


def dense_to_array(attr: DenseIntOrFPElementsAttr) -> np.ndarray:
    """A dense attribute's data as a numpy array (splats broadcast to the full shape)."""
    import numpy as np

    dtype = np.dtype(_DTYPES[str(attr.get_element_type())])
    shape = tuple(attr.get_shape())
    flat = np.frombuffer(attr.data.data, dtype=dtype)
    if flat.size == 1 and int(np.prod(shape)) != 1:
        return np.broadcast_to(flat, shape).copy()
    return flat.reshape(shape).copy()
