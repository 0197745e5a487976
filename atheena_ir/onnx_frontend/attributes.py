"""
Typed access to an ONNX node's attributes, refusing wrong kinds and bad values.

```python
attrs = NodeAttributes(node)
strides = attrs.ints("strides", [1, 1], minimum=1)
pad_mode = attrs.string("auto_pad", "NOTSET")
```
"""

from __future__ import annotations

from collections.abc import Sequence

import onnx
from onnx import AttributeProto, helper

from atheena_ir.onnx_frontend.diagnostics import NodeRefusal


class NodeAttributes:
    """
    The attributes of one node by name.

    Example: `NodeAttributes(node).int("group", 1, minimum=1)`.
    """

    def __init__(self, node: onnx.NodeProto):
        self.by_name: dict[str, AttributeProto] = {a.name: a for a in node.attribute}

    def has(self, name: str) -> bool:
        """Whether the node sets attribute `name`."""
        return name in self.by_name

    def _get(self, name: str, kind: int) -> object | None:
        attr = self.by_name.get(name)
        if attr is None:
            return None
        if attr.type != kind:
            expected = AttributeProto.AttributeType.Name(kind)
            raise NodeRefusal(f"attribute '{name}' must be of type {expected}")
        return helper.get_attribute_value(attr)

    def int(self, name: str, default: int | None = None, minimum: int | None = None) -> int:
        """An INT attribute (or `default`), at least `minimum` when given."""
        value = self._get(name, AttributeProto.INT)
        if value is None:
            if default is None:
                raise NodeRefusal(f"attribute '{name}' is required")
            return default
        value = int(value)  # type: ignore[call-overload]
        if minimum is not None and value < minimum:
            raise NodeRefusal(f"attribute '{name}' must be >= {minimum}, got {value}")
        return value

    def float(self, name: str, default: float) -> float:
        """A FLOAT attribute (or `default`)."""
        value = self._get(name, AttributeProto.FLOAT)
        return default if value is None else float(value)  # type: ignore[arg-type]

    def string(self, name: str, default: str) -> str:
        """A STRING attribute decoded as text (or `default`)."""
        value = self._get(name, AttributeProto.STRING)
        if value is None:
            return default
        assert isinstance(value, bytes)
        return value.decode("utf-8", errors="replace")

    def ints(
        self,
        name: str,
        default: Sequence[int] | None = None,
        minimum: int | None = None,
        length: int | None = None,
    ) -> list[int]:
        """An INTS attribute (or `default`), each >= `minimum`, of `length` entries."""
        value = self._get(name, AttributeProto.INTS)
        if value is None:
            if default is None:
                raise NodeRefusal(f"attribute '{name}' is required")
            return list(default)
        values = [int(v) for v in value]  # type: ignore[attr-defined]
        if length is not None and len(values) != length:
            raise NodeRefusal(f"attribute '{name}' must have {length} entries, got {values}")
        if minimum is not None and any(v < minimum for v in values):
            raise NodeRefusal(f"attribute '{name}' entries must be >= {minimum}, got {values}")
        return values

    def tensor(self, name: str) -> onnx.TensorProto | None:
        """A TENSOR attribute, or None when absent."""
        value = self._get(name, AttributeProto.TENSOR)
        assert value is None or isinstance(value, onnx.TensorProto)
        return value
