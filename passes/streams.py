"""
Helpers that make the streaming structure explicit, shared by the passes that cut or
lower the graph: constants local to their users, and an `ee.split` for every fan-out.

```mlir
%f = ee.relu %x : tensor<1x8xf32>
%a = ee.relu %f : tensor<1x8xf32>
%b = ee.relu %f : tensor<1x8xf32>
```
becomes, after `insert_splits`:
```mlir
%f = ee.relu %x : tensor<1x8xf32>
%f0, %f1 = ee.split %f into 2 : tensor<1x8xf32>
%a = ee.relu %f0 : tensor<1x8xf32>
%b = ee.relu %f1 : tensor<1x8xf32>
```
"""

from __future__ import annotations

from xdsl.ir import Block, Operation, SSAValue

from atheena_ir.dialects import ee


def localise_constants(root: Operation) -> None:
    """Give every use of an `ee.constant` from another block its own copy in that block."""
    for op in list(root.walk()):
        if not isinstance(op, ee.ConstantOp):
            continue
        for use in list(op.output.uses):
            user = use.operation
            if user.parent_block() is op.parent_block():
                continue
            block = user.parent_block()
            assert block is not None
            copy = op.clone()
            block.insert_op_before(copy, user)
            user.operands[use.index] = copy.output
        if not op.output.uses:
            op.detach()
            op.erase()


def is_stream(value: SSAValue) -> bool:
    """Whether `value` travels as a stream in hardware (everything but weights)."""
    return not isinstance(value.owner, ee.ConstantOp)


def insert_splits(block: Block) -> None:
    """Give every stream with several consumers in `block` an `ee.split`, one result per use."""
    values: list[SSAValue] = []
    for op in block.ops:
        for v in op.operands:
            if v not in values and v.owner is not op:
                values.append(v)
    for v in values:
        if not is_stream(v) or isinstance(v.owner, ee.SplitOp):
            continue
        uses = [u for u in v.uses if u.operation.parent_block() is block]
        if len(uses) < 2:
            continue
        split = ee.SplitOp(v, len(uses))
        owner = v.owner
        if isinstance(owner, Operation) and owner.parent_block() is block:
            block.insert_op_after(split, owner)
        else:
            first = block.first_op
            assert first is not None
            block.insert_op_before(split, first)
        for use, out in zip(uses, split.outputs, strict=True):
            use.operation.operands[use.index] = out
