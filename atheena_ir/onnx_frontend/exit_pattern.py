"""
Recognising an early exit in the form PyTorch exports it:

```
z = <exit logits>                       # [1, C]
p = Softmax(z)  ->  m = ReduceMax(p)  ->  c = Greater(m, threshold)  ->  [Cast(to=BOOL)]
If(c): then_branch = Identity(z)        # the sample leaves with the exit's logits
       else_branch = <rest of the network, reading outer-scope values>
```

Tolerated variants: no Cast; the threshold from a `Constant` node or an initializer
(either operand side); ReduceMax axes as attribute (opset < 18) or input, keepdims 0/1;
`GreaterOrEqual`, and `Less`/`LessOrEqual` with the logits forwarded by the *else* branch
(`If(max < thr)` computes the rest in `then`). The match is structural; constants and
types are checked when the exit is imported (`exits.py`).
"""

from __future__ import annotations

from dataclasses import dataclass

import onnx
from onnx import helper

from atheena_ir.onnx_frontend.diagnostics import NodeRefusal, node_label
from atheena_ir.onnx_frontend.scope import Scope

EXPECTED = (
    "expected the early-exit pattern Softmax(logits) -> ReduceMax -> Greater(max, threshold "
    "constant) -> [Cast to BOOL] -> If, whose then branch forwards the logits (Identity) and "
    "whose else branch computes the rest of the network"
)

COMPARISONS = {"Greater": ">", "GreaterOrEqual": ">=", "Less": "<", "LessOrEqual": "<="}
_FLIPPED = {">": "<", ">=": "<=", "<": ">", "<=": ">="}


class ExitPatternError(NodeRefusal):
    """An `If` node that is not a recognisable early exit (the message says what differs)."""


@dataclass(frozen=True)
class ExitChain:
    """
    A recognised exit: the decision nodes, the names they read and the two branches.

    `inclusive` means the sample leaves when `max >= threshold` (rather than `>`).
    """

    if_node: onnx.NodeProto
    softmax: onnx.NodeProto
    reduce_max: onnx.NodeProto
    compare: onnx.NodeProto
    cast: onnx.NodeProto | None
    logits: str
    threshold: str
    inclusive: bool
    forwarded: str
    rest: onnx.GraphProto

    @property
    def decision_nodes(self) -> list[onnx.NodeProto]:
        """The nodes whose only job is the exit decision, first to last."""
        nodes = [self.softmax, self.reduce_max, self.compare]
        return [*nodes, self.cast] if self.cast is not None else nodes


def branches(if_node: onnx.NodeProto) -> tuple[onnx.GraphProto, onnx.GraphProto]:
    """The then and else subgraphs of an `If` node."""
    found = {a.name: helper.get_attribute_value(a) for a in if_node.attribute}
    then_g, else_g = found.get("then_branch"), found.get("else_branch")
    if not isinstance(then_g, onnx.GraphProto) or not isinstance(else_g, onnx.GraphProto):
        raise ExitPatternError(f"the If has no then/else branch graphs; {EXPECTED}")
    return then_g, else_g


def forwarded_name(branch: onnx.GraphProto) -> str | None:
    """The outer name a branch forwards unchanged (through Identity nodes), else None."""
    if len(branch.output) != 1 or any(n.op_type != "Identity" for n in branch.node):
        return None
    producers = {out: n for n in branch.node for out in n.output}
    name = branch.output[0].name
    for _ in range(len(branch.node) + 1):
        node = producers.get(name)
        if node is None:
            return name
        if not node.input:
            return None
        name = node.input[0]
    return None


def _describe(node: onnx.NodeProto | None, name: str) -> str:
    if node is None:
        return f"'{name}' is a graph input or initializer"
    return f"'{name}' comes from {node.op_type} node '{node_label(node)}'"


def match_exit_chain(if_node: onnx.NodeProto, scope: Scope) -> ExitChain:
    """
    Match the decision chain and branches of `if_node`, or raise `ExitPatternError`.

    Example: `match_exit_chain(if_13, scope).threshold == "23"` for B-LeNet.
    """
    if len(if_node.input) != 1 or len(if_node.output) != 1:
        raise ExitPatternError(
            f"the If has {len(if_node.output)} outputs; an exit has exactly one; {EXPECTED}"
        )
    cond = if_node.input[0]
    node = scope.producer(cond)
    cast = None
    if node is not None and node.op_type == "Cast":
        cast, cond = node, node.input[0]
        node = scope.producer(cond)
    if node is None or node.op_type not in COMPARISONS or len(node.input) != 2:
        raise ExitPatternError(
            f"the condition {_describe(node, cond)}, but a comparison "
            f"({', '.join(COMPARISONS)}) of the softmax maximum with a threshold was expected; "
            + EXPECTED
        )
    compare = node
    left, right = (scope.producer(name) for name in compare.input)
    if left is not None and left.op_type == "ReduceMax":
        reduce_max, threshold, relation = left, compare.input[1], COMPARISONS[compare.op_type]
    elif right is not None and right.op_type == "ReduceMax":
        reduce_max, threshold = right, compare.input[0]
        relation = _FLIPPED[COMPARISONS[compare.op_type]]
    else:
        raise ExitPatternError(
            f"comparison '{node_label(compare)}' reads neither side from a ReduceMax; {EXPECTED}"
        )
    softmax = scope.producer(reduce_max.input[0]) if reduce_max.input else None
    if softmax is None or softmax.op_type != "Softmax":
        raise ExitPatternError(
            f"ReduceMax '{node_label(reduce_max)}' does not read a Softmax; {EXPECTED}"
        )
    then_g, else_g = branches(if_node)
    if (forwarded := forwarded_name(then_g)) is not None:
        rest, exit_relations = else_g, {">": False, ">=": True}
    elif (forwarded := forwarded_name(else_g)) is not None:
        rest, exit_relations = then_g, {"<=": False, "<": True}  # leave when not(max < thr)
    else:
        raise ExitPatternError(
            "neither branch just forwards the exit logits (a branch of Identity nodes only); "
            + EXPECTED
        )
    if relation not in exit_relations:
        raise ExitPatternError(
            f"the sample would leave when the softmax maximum is small (max {relation} "
            "threshold selects the logits-forwarding branch); an exit leaves when the "
            f"confidence is high; {EXPECTED}"
        )
    if len(rest.output) != 1:
        raise ExitPatternError(f"the rest-of-network branch has {len(rest.output)} outputs")
    return ExitChain(
        if_node,
        softmax,
        reduce_max,
        compare,
        cast,
        softmax.input[0],
        threshold,
        exit_relations[relation],
        forwarded,
        rest,
    )


def partial_chain(if_node: onnx.NodeProto, scope: Scope) -> list[onnx.NodeProto]:
    """
    The Cast/comparison/ReduceMax nodes above an unrecognised `If`, so that they are not
    reported again as unsupported on their own (the If's message covers them).
    """
    found: list[onnx.NodeProto] = []
    node = scope.producer(if_node.input[0]) if if_node.input else None
    if node is not None and node.op_type == "Cast":
        found.append(node)
        node = scope.producer(node.input[0]) if node.input else None
    if node is not None and node.op_type in COMPARISONS:
        found.append(node)
        node = scope.producer(_reduce_side(node, scope))
    if node is not None and node.op_type == "ReduceMax":
        found.append(node)
    return found


def _reduce_side(compare: onnx.NodeProto, scope: Scope) -> str:
    for name in compare.input:
        producer = scope.producer(name)
        if producer is not None and producer.op_type == "ReduceMax":
            return name
    return compare.input[0] if compare.input else ""
