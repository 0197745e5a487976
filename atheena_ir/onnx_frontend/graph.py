"""
The graph walker: imports the nodes of one ONNX graph (the main graph or an `If`
branch) in order into the current block, folding constants, recognising exits and
recording every refusal instead of stopping at the first.

```python
import_graph(ctx, model.graph)   # ops appended to ctx.block; names bound in ctx.scope
```
"""

from __future__ import annotations

import numpy as np
import onnx
from xdsl.ir import SSAValue

from atheena_ir.errors import UserError
from atheena_ir.onnx_frontend.context import ImportContext
from atheena_ir.onnx_frontend.diagnostics import NodeRefusal
from atheena_ir.onnx_frontend.exit_pattern import (
    ExitChain,
    ExitPatternError,
    match_exit_chain,
    partial_chain,
)
from atheena_ir.onnx_frontend.exits import import_exit
from atheena_ir.onnx_frontend.folding import FOLDERS, fold_shape
from atheena_ir.onnx_frontend.registry import CONVERTERS, EXIT_PATTERN_OPS
from atheena_ir.onnx_frontend.scope import POISONED, Value
from atheena_ir.onnx_frontend.tensors import tensor_to_array

DEFAULT_DOMAINS = ("", "ai.onnx")


def import_graph(ctx: ImportContext, graph: onnx.GraphProto) -> None:
    """
    Import `graph`'s initializers and nodes into the current block and scope.

    Example: `import_graph(ctx, model.graph)`.
    """
    for init in graph.initializer:
        try:
            ctx.scope.define(init.name, tensor_to_array(init, f"initializer '{init.name}'"))
        except NodeRefusal as refusal:
            raise UserError(f"{ctx.source}: {refusal}") from None
    for node in graph.node:
        for out in node.output:
            if out:
                ctx.scope.producers[out] = node
    chains, skipped = _plan_exits(ctx, graph)
    for node in graph.node:
        if id(node) in skipped:
            continue
        _import_node(ctx, node, chains.get(id(node)))


def _plan_exits(
    ctx: ImportContext, graph: onnx.GraphProto
) -> tuple[dict[int, ExitChain | ExitPatternError], set[int]]:
    """Match every `If`; the decision-only nodes of each are skipped by the walk."""
    chains: dict[int, ExitChain | ExitPatternError] = {}
    skipped: set[int] = set()
    for node in graph.node:
        if node.op_type != "If" or node.domain not in DEFAULT_DOMAINS:
            continue
        try:
            chain = match_exit_chain(node, ctx.scope)
        except ExitPatternError as err:
            chains[id(node)] = err
            skipped.update(id(n) for n in partial_chain(node, ctx.scope))
            continue
        chains[id(node)] = chain
        for decision_node in chain.decision_nodes:
            if all(ctx.uses.get(out, 0) <= 1 for out in decision_node.output if out):
                skipped.add(id(decision_node))
    return chains, skipped


def _import_node(
    ctx: ImportContext, node: onnx.NodeProto, chain: ExitChain | ExitPatternError | None
) -> None:
    ctx.node = node
    # an exit's condition comes from skipped decision nodes: the If reads only its branches
    names = [] if node.op_type == "If" else node.input
    values = [ctx.scope.lookup(name) if name else None for name in names]
    if any(v is POISONED for v in values):  # only report it if its op type is unknown
        if not _known(node):
            ctx.diagnostics.refuse(node, ctx.opset, _unknown_reason(node))
        _bind(ctx, node, [POISONED] * len(node.output))
        return
    try:
        outputs = _convert(ctx, node, values, chain)
        _bind(ctx, node, outputs)
    except NodeRefusal as refusal:
        ctx.diagnostics.refuse(node, ctx.opset, str(refusal))
        _bind(ctx, node, [POISONED] * len(node.output))
    except Exception as err:  # a bug or a corrupt model the checker let through
        ctx.diagnostics.refuse(
            node, ctx.opset, f"internal error ({type(err).__name__}: {err}); please report it"
        )
        _bind(ctx, node, [POISONED] * len(node.output))


def _convert(
    ctx: ImportContext,
    node: onnx.NodeProto,
    values: list[Value | None],
    chain: ExitChain | ExitPatternError | None,
) -> list[Value]:
    if node.domain not in DEFAULT_DOMAINS:
        raise NodeRefusal(f"custom domain '{node.domain}' is not supported")
    if any(v is None for v, name in zip(values, node.input, strict=False) if name):
        missing = [n for v, n in zip(values, node.input, strict=False) if n and v is None]
        raise NodeRefusal(f"input '{missing[0]}' is not defined before this node")
    if node.op_type == "If":
        if isinstance(chain, ExitPatternError):
            raise chain
        assert chain is not None
        return import_exit(ctx, chain, import_graph)
    if node.op_type == "Shape" and values and values[0] is not None:
        source = values[0]
        assert isinstance(source, SSAValue | np.ndarray)
        return [fold_shape(ctx, node, source)]
    all_constant = all(isinstance(v, np.ndarray) for v in values if v is not None)
    if node.op_type in FOLDERS and all_constant:
        folded = FOLDERS[node.op_type](ctx, node, values)  # type: ignore[arg-type]
        return [np.asarray(array) for array in folded]
    if node.op_type in CONVERTERS:
        return CONVERTERS[node.op_type](ctx, node)
    if node.op_type in FOLDERS:
        raise NodeRefusal("supported only on constants (evaluated at import time)")
    raise NodeRefusal(_unknown_reason(node))


def _known(node: onnx.NodeProto) -> bool:
    """Whether the op type is one the importer takes in some form."""
    return node.domain in DEFAULT_DOMAINS and (
        node.op_type in CONVERTERS
        or node.op_type in FOLDERS
        or node.op_type in EXIT_PATTERN_OPS
        or node.op_type == "Shape"
    )


def _unknown_reason(node: onnx.NodeProto) -> str:
    if node.domain not in DEFAULT_DOMAINS:
        return f"custom domain '{node.domain}' is not supported"
    if node.op_type in EXIT_PATTERN_OPS:
        return (
            "supported only as part of an early exit (Softmax -> ReduceMax -> Greater -> "
            "[Cast] -> If)"
        )
    return "op type not supported"


def _bind(ctx: ImportContext, node: onnx.NodeProto, outputs: list[Value]) -> None:
    for i, name in enumerate(node.output):
        if not name:
            continue
        if i < len(outputs):
            value = outputs[i]
            if isinstance(value, SSAValue):
                ctx.check_shape(name, value)
            ctx.scope.define(name, value)
        elif ctx.uses.get(name, 0):
            raise NodeRefusal(f"output {i} ('{name}') is not supported")
        else:
            ctx.scope.define(name, POISONED)
