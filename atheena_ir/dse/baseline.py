"""The no-exit baseline of an early-exit network: every sample takes the final path.

`strip_exits` replaces each `ee.exit` by the ops of its region (the rest of the network) and
deletes what only fed the exits (exit branches, decisions): the backbone ATHEENA compares with.
"""

from __future__ import annotations

from xdsl.dialects import func
from xdsl.dialects.builtin import ModuleOp
from xdsl.ir import Operation
from xdsl.traits import IsTerminator

from atheena_ir.dialects import ee


def strip_exits(module: ModuleOp) -> ModuleOp:
    """A copy of ``module`` without its exits (the network's final path only)."""
    out = module.clone()
    while True:
        exits = [op for op in out.walk() if isinstance(op, ee.ExitOp)]
        if not exits:
            break
        _inline(exits[0])
    _dead_code(out)
    return out


def _inline(exit_op: ee.ExitOp) -> None:
    result = exit_op.yielded()
    block = exit_op.rest.block
    for op in list(block.ops):
        if isinstance(op, ee.YieldOp):
            continue
        op.detach()
        exit_op.parent_block().insert_op_before(op, exit_op)  # type: ignore[union-attr]
    exit_op.output.replace_all_uses_with(result)
    exit_op.detach()
    exit_op.erase(safe_erase=False)


def _dead_code(module: ModuleOp) -> None:
    changed = True
    while changed:
        changed = False
        for op in reversed(list(module.walk())):
            if _removable(op) and all(not r.uses for r in op.results):
                op.detach()
                op.erase()
                changed = True


def _removable(op: Operation) -> bool:
    if op.has_trait(IsTerminator) or isinstance(op, func.FuncOp | ModuleOp):
        return False
    return op.dialect_name() == "ee" and bool(op.results)
