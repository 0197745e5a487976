"""
Collecting the importer's refusals so that one message names every problem node.

A converter raises `NodeRefusal(reason)`; the graph walker records it against the
node (name, op type, opset) and carries on, so the final `UserError` lists them all:

```
model.onnx: cannot import 2 nodes:
  - 'Foo_3' (op Foo, opset 13): op type not supported
  - 'Conv_7' (op Conv, opset 13): 3-D convolution; only 2-D (NCHW) is supported
supported ops: ...
```
"""

from __future__ import annotations

from dataclasses import dataclass, field

import onnx

from atheena_ir.errors import UserError


class NodeRefusal(Exception):
    """
    A converter's reason for not importing one node, worded for the user.

    Example: `raise NodeRefusal("ceil_mode=1 changes the output shape")`.
    """


@dataclass(frozen=True)
class Refusal:
    """One refused node: its name, op type, domain, opset and the reason."""

    name: str
    op_type: str
    domain: str
    opset: int
    reason: str

    def line(self) -> str:
        """The refusal as one line of the message: `- 'Foo_3' (op Foo, opset 13): ...`."""
        op = self.op_type if self.domain in ("", "ai.onnx") else f"{self.domain}.{self.op_type}"
        return f"  - '{self.name}' (op {op}, opset {self.opset}): {self.reason}"


@dataclass
class Diagnostics:
    """
    The refusals of one import, in graph order.

    Example: `d = Diagnostics("m.onnx"); d.refuse(node, 13, "why"); d.raise_if_any(supported)`.
    """

    source: str
    refusals: list[Refusal] = field(default_factory=list)

    def refuse(self, node: onnx.NodeProto, opset: int, reason: str) -> None:
        """Record that `node` cannot be imported, and why."""
        self.refusals.append(Refusal(node_label(node), node.op_type, node.domain, opset, reason))

    def raise_if_any(self, supported_summary: str) -> None:
        """Raise one `UserError` listing every refusal and the supported ops, if any."""
        if not self.refusals:
            return
        count = len(self.refusals)
        lines = [f"{self.source}: cannot import {count} node{'s' if count > 1 else ''}:"]
        lines += [r.line() for r in self.refusals]
        lines.append(supported_summary)
        raise UserError("\n".join(lines))


def node_label(node: onnx.NodeProto) -> str:
    """The node's name, or a stand-in built from its op type and first output."""
    if node.name:
        return node.name
    first = node.output[0] if node.output else "?"
    return f"<unnamed {node.op_type} -> {first}>"
