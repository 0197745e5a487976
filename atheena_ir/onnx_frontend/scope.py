"""
The scoped map from ONNX tensor names to what the importer knows about them.

A name maps to an `SSAValue` (a run-time activation), a numpy array (a constant:
initializer, `Constant` node or folded constant subgraph) or `POISONED` (its
producer was refused; consumers stay silent so only the root cause is reported).
`If` branches read outer-scope names, so each imported branch gets a child scope:

```python
outer = Scope(None); outer.define("w", np.ones(3))
inner = Scope(outer); assert inner.lookup("w") is not None
```
"""

from __future__ import annotations

from typing import Final

import numpy as np
import onnx
from xdsl.ir import SSAValue


class _Poisoned:
    """Marks a name whose producer was refused."""

    def __repr__(self) -> str:
        return "POISONED"


POISONED: Final = _Poisoned()

Value = SSAValue | np.ndarray | _Poisoned
"""What a name can stand for."""


class Scope:
    """
    One level of names (the main graph or one branch), chained to its parent.

    Example: `Scope(parent).lookup("15")` finds a name of the enclosing graph.
    """

    def __init__(self, parent: Scope | None):
        self.parent = parent
        self.values: dict[str, Value] = {}
        self.materialised: dict[str, SSAValue] = {}
        """Constants already emitted as `ee.constant` in this scope's block, by name."""
        self.producers: dict[str, onnx.NodeProto] = {}
        """The node of this scope's graph that produces each name."""

    def define(self, name: str, value: Value) -> None:
        """Bind `name` in this scope."""
        self.values[name] = value

    def lookup(self, name: str) -> Value | None:
        """The innermost binding of `name`, or None."""
        scope: Scope | None = self
        while scope is not None:
            if name in scope.values:
                return scope.values[name]
            scope = scope.parent
        return None

    def materialised_constant(self, name: str) -> SSAValue | None:
        """An `ee.constant` already emitted for `name` in this scope or an enclosing one."""
        scope: Scope | None = self
        while scope is not None:
            if name in scope.materialised:
                return scope.materialised[name]
            scope = scope.parent
        return None

    def forget(self, value: SSAValue) -> None:
        """Drop `value` from the emitted-constant caches (its op was erased)."""
        scope: Scope | None = self
        while scope is not None:
            for name in [n for n, v in scope.materialised.items() if v is value]:
                del scope.materialised[name]
            scope = scope.parent

    def producer(self, name: str) -> onnx.NodeProto | None:
        """The node producing `name`, searching enclosing graphs too."""
        scope: Scope | None = self
        while scope is not None:
            if name in scope.producers:
                return scope.producers[name]
            scope = scope.parent
        return None
