"""
ONNX tensors and types as numpy arrays and xDSL tensor types.

```python
shape_of(model.graph.input[0])   # (1, 1, 28, 28), or None entries for symbolic dims
```
"""

from __future__ import annotations

import numpy as np
import onnx
from onnx import numpy_helper
from xdsl.dialects.builtin import TensorType, f32
from xdsl.ir import SSAValue

from atheena_ir.onnx_frontend.diagnostics import NodeRefusal


def f32_tensor(shape: tuple[int, ...] | list[int]) -> TensorType:
    """The activation type `tensor<...xf32>` of `shape`, e.g. `f32_tensor((1, 10))`."""
    return TensorType(f32, list(shape))


def value_shape(value: SSAValue) -> tuple[int, ...]:
    """The static shape of an imported activation, e.g. `(1, 5, 28, 28)`."""
    t = value.type
    assert isinstance(t, TensorType)
    return tuple(t.get_shape())


def dim_values(vi: onnx.ValueInfoProto) -> list[int | str | None] | None:
    """
    The dims of a value-info: ints, `dim_param` strings, or None for unknown dims.
    None when the value is not a tensor or its rank is unknown.

    Example: `dim_values(model.graph.input[0]) == ["batch", 1, 28, 28]`.
    """
    if not vi.type.HasField("tensor_type"):
        return None
    tt = vi.type.tensor_type
    if not tt.HasField("shape"):
        return None
    dims: list[int | str | None] = []
    for d in tt.shape.dim:
        if d.HasField("dim_value"):
            dims.append(int(d.dim_value))
        elif d.HasField("dim_param"):
            dims.append(d.dim_param)
        else:
            dims.append(None)
    return dims


def tensor_to_array(tensor: onnx.TensorProto, what: str) -> np.ndarray:
    """
    An ONNX tensor (initializer or attribute) as a numpy array; refuses what numpy
    cannot hold (strings, missing external data).

    Example: `tensor_to_array(model.graph.initializer[0], "initializer 'w'")`.
    """
    if tensor.data_type == onnx.TensorProto.STRING:
        raise NodeRefusal(f"{what} holds strings; only numeric tensors are supported")
    try:
        array = numpy_helper.to_array(tensor)
    except Exception as err:  # malformed data, missing external file, ...
        raise NodeRefusal(f"{what} cannot be read: {err}") from None
    return np.asarray(array)


def as_float32(array: np.ndarray, what: str) -> np.ndarray:
    """`array` as float32 for an `ee.constant`; refuses non-finite values."""
    if array.dtype == np.bool_ or np.issubdtype(array.dtype, np.number):
        out = np.ascontiguousarray(array, dtype=np.float32)
        if not np.all(np.isfinite(out)):
            raise NodeRefusal(f"{what} holds non-finite values (inf/nan) as float32")
        return out
    raise NodeRefusal(f"{what} has element type {array.dtype}, which is not numeric")


def f32_decimal(value: float) -> float:
    """
    The shortest decimal that reads back as the same float32 as `value`, so a threshold
    stored as float32 0.996 prints as `0.996`: `f32_decimal(0.99599999189) == 0.996`.
    """
    return float(str(np.float32(value)))
