"""
The state of one import: where ops go, the current scope, the opset and the refusals.

Converters read their inputs through it and emit ops with it:

```python
x = ctx.activation(node, 0, "input X")
w = ctx.constant(node, 1, "weight W")
y = ctx.emit(ee.ReluOp(x)).output
```
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import TypeVar

import numpy as np
import onnx
from xdsl.builder import Builder
from xdsl.dialects.builtin import StringAttr, TensorType
from xdsl.ir import Block, Operation, SSAValue
from xdsl.rewriter import InsertPoint
from xdsl.utils.exceptions import VerifyException

from atheena_ir.dialects import ee
from atheena_ir.onnx_frontend.diagnostics import Diagnostics, NodeRefusal, node_label
from atheena_ir.onnx_frontend.scope import POISONED, Scope, Value
from atheena_ir.onnx_frontend.tensors import as_float32

ONNX_NAME_ATTR = "onnx_name"
"""The discardable attribute that carries the ONNX node (or initializer) name of an op."""

OpT = TypeVar("OpT", bound=Operation)


class ImportContext:
    """
    Everything a converter needs: the builder of the current block, the scope, the
    model's opset, how many times each name is read, and the diagnostics.

    Example: `ctx = ImportContext("m.onnx", 13, uses, shapes, block)`.
    """

    def __init__(
        self,
        source: str,
        opset: int,
        uses: dict[str, int],
        inferred_shapes: dict[str, tuple[int, ...]],
        block: Block,
    ):
        self.source = source
        self.opset = opset
        self.uses = uses
        """How many node inputs (in any graph) and graph outputs read each name."""
        self.inferred_shapes = inferred_shapes
        """Static shapes that ONNX shape inference found, used to cross-check the import."""
        self.diagnostics = Diagnostics(source)
        self.scope = Scope(None)
        self.block = block
        self.builder = Builder(InsertPoint.at_end(block))
        self.node: onnx.NodeProto | None = None

    @contextmanager
    def nested(self, block: Block) -> Iterator[Scope]:
        """Import into `block` with a child scope (an `If` branch), then come back."""
        saved = (self.scope, self.block, self.builder, self.node)
        self.scope = Scope(self.scope)
        self.block = block
        self.builder = Builder(InsertPoint.at_end(block))
        try:
            yield self.scope
        finally:
            self.scope, self.block, self.builder, self.node = saved

    # -- reading inputs ----------------------------------------------------------------------
    def value(self, node: onnx.NodeProto, index: int) -> Value | None:
        """Input `index` of `node`, or None when it is absent (optional and empty)."""
        if index >= len(node.input) or not node.input[index]:
            return None
        found = self.scope.lookup(node.input[index])
        if found is None:
            raise NodeRefusal(f"input '{node.input[index]}' is not defined before this node")
        return found

    def activation(self, node: onnx.NodeProto, index: int, what: str) -> SSAValue:
        """Input `index` as an SSA value; a constant there is emitted as `ee.constant`."""
        found = self.value(node, index)
        if found is None:
            raise NodeRefusal(f"{what} is missing")
        if isinstance(found, np.ndarray):
            return self.materialise(found, node.input[index], reuse=True)
        assert found is not POISONED
        assert isinstance(found, SSAValue)
        return found

    def constant(self, node: onnx.NodeProto, index: int, what: str) -> np.ndarray | None:
        """Input `index` as a constant array, None when absent; refuses a run-time value."""
        found = self.value(node, index)
        if found is None or isinstance(found, np.ndarray):
            return found
        raise NodeRefusal(
            f"{what} ('{node.input[index]}') must be a constant (an initializer, a Constant "
            "node or a constant subgraph), but it is computed at run time"
        )

    def is_constant(self, node: onnx.NodeProto, index: int) -> bool:
        """Whether input `index` is present and a constant."""
        return isinstance(self.value(node, index), np.ndarray)

    # -- emitting ops ------------------------------------------------------------------------
    def materialise(self, array: np.ndarray, name: str, reuse: bool = False) -> SSAValue:
        """
        Emit `array` as an `ee.constant` (float32) for the ONNX value `name`, named after
        the initializer or the node that produced it; with `reuse`, the unchanged
        constant `name` is emitted once per scope and shared.
        """
        if reuse and (done := self.scope.materialised_constant(name)) is not None:
            return done
        op = ee.ConstantOp.from_array(as_float32(array, f"constant '{name}'"))
        producer = self.scope.producer(name)  # a Constant node or folded subgraph: its node
        op.attributes[ONNX_NAME_ATTR] = StringAttr(
            name if producer is None else node_label(producer)
        )
        self.builder.insert(op)
        if reuse:
            self.scope.materialised[name] = op.output
        return op.output

    def emit(self, op: OpT) -> OpT:
        """Insert `op` named after the current node and verify it (refusing on failure)."""
        if self.node is not None:
            op.attributes[ONNX_NAME_ATTR] = StringAttr(node_label(self.node))
        try:
            op.verify()
        except VerifyException as err:
            raise NodeRefusal(f"the imported '{op.name}' is invalid: {err}") from None
        self.builder.insert(op)
        return op

    def check_shape(self, name: str, value: SSAValue) -> None:
        """Refuse when the imported shape of `name` differs from ONNX's inferred shape."""
        expected = self.inferred_shapes.get(name)
        if expected is None or not isinstance(value.type, TensorType):
            return
        actual = tuple(value.type.get_shape())
        if actual != expected:
            raise NodeRefusal(
                f"output '{name}' would have shape {list(actual)} but ONNX infers "
                f"{list(expected)}; this form of the op is not supported"
            )
