"""
The ONNX importer's entry points: an `onnx.ModelProto`, a file or a binary stream to a
`builtin.module` holding `func.func @main` in the `ee` dialect.

```python
module = import_onnx_file("branchy_lenet.onnx")
print(module)   # func.func @main(%input: tensor<1x1x28x28xf32>) -> tensor<1x10xf32> { ... }
```
"""

from __future__ import annotations

import os
from typing import IO

import onnx
from xdsl.dialects import func
from xdsl.dialects.builtin import ModuleOp
from xdsl.ir import Block, Region, SSAValue
from xdsl.utils.exceptions import VerifyException

from atheena_ir.errors import UserError
from atheena_ir.onnx_frontend.context import ImportContext
from atheena_ir.onnx_frontend.graph import import_graph
from atheena_ir.onnx_frontend.loading import (
    load_model_bytes,
    load_model_file,
    model_opset,
    prepare_model,
)
from atheena_ir.onnx_frontend.registry import supported_summary
from atheena_ir.onnx_frontend.scope import POISONED
from atheena_ir.onnx_frontend.tensors import dim_values, f32_tensor

FUNCTION_NAME = "main"


def import_onnx(model: onnx.ModelProto, source: str = "<model>") -> ModuleOp:
    """
    Import `model` (checked and shape-inferred first) into the `ee` dialect; `source`
    names the model in error messages. Raises `UserError` on anything unsupported.

    Example: `import_onnx(onnx.load("m.onnx"), "m.onnx")`.
    """
    model = prepare_model(model, source)
    opset = model_opset(model, source)
    graph = model.graph
    initializers = {t.name for t in graph.initializer}
    inputs = [vi for vi in graph.input if vi.name not in initializers]
    arg_types = [f32_tensor([int(d) for d in dim_values(vi) or []]) for vi in inputs]  # type: ignore[misc]
    block = Block(arg_types=arg_types)
    ctx = ImportContext(source, opset, _count_uses(graph), _inferred_shapes(model), block)
    for vi, arg in zip(inputs, block.args, strict=True):
        _set_name(arg, vi.name)
        ctx.scope.define(vi.name, arg)
    import_graph(ctx, graph)
    ctx.diagnostics.raise_if_any(supported_summary())
    results: list[SSAValue] = []
    for out in graph.output:
        value = ctx.scope.lookup(out.name)
        if value is None or value is POISONED:
            raise UserError(f"{source}: graph output '{out.name}' is never computed")
        if not isinstance(value, SSAValue):
            ctx.node = None
            value = ctx.materialise(value, out.name)
        results.append(value)
    block.add_op(func.ReturnOp(*results))
    main = func.FuncOp(FUNCTION_NAME, (arg_types, [v.type for v in results]), Region(block))
    module = ModuleOp([main])
    try:
        module.verify()
    except VerifyException as err:
        raise UserError(
            f"{source}: the imported IR does not verify (please report): {err}"
        ) from None
    return module


def import_onnx_bytes(data: bytes, source: str, base_dir: str | None = None) -> ModuleOp:
    """
    Import serialized ONNX bytes.

    Example: `import_onnx_bytes(model.SerializeToString(), "<memory>")`.
    """
    return import_onnx(load_model_bytes(data, source, base_dir), source)


def import_onnx_file(path: str | os.PathLike[str]) -> ModuleOp:
    """
    Import an ONNX file.

    Example: `import_onnx_file("examples/blenet_mnist.onnx")`.
    """
    return import_onnx(load_model_file(path), os.fspath(path))


def import_onnx_stream(stream: IO[bytes], source: str | None = None) -> ModuleOp:
    """
    Import ONNX from a binary stream (what `atheena-opt` hands its frontends).

    Example: `import_onnx_stream(open("m.onnx", "rb"))`.
    """
    name = source or str(getattr(stream, "name", "<stream>"))
    base_dir = os.path.dirname(name) if os.path.isfile(name) else None
    return import_onnx_bytes(stream.read(), name, base_dir)


def _count_uses(graph: onnx.GraphProto, uses: dict[str, int] | None = None) -> dict[str, int]:
    """How often each name is read, by nodes of any graph (branches too) or as an output."""
    uses = {} if uses is None else uses
    for out in graph.output:
        uses[out.name] = uses.get(out.name, 0) + 1
    for node in graph.node:
        for name in node.input:
            if name:
                uses[name] = uses.get(name, 0) + 1
        for attr in node.attribute:
            for sub in [attr.g] if attr.HasField("g") else list(attr.graphs):
                _count_uses(sub, uses)
    return uses


def _inferred_shapes(model: onnx.ModelProto) -> dict[str, tuple[int, ...]]:
    """The fully static shapes that shape inference found, over every graph."""
    shapes: dict[str, tuple[int, ...]] = {}

    def visit(graph: onnx.GraphProto) -> None:
        for vi in [*graph.value_info, *graph.output]:
            dims = dim_values(vi)
            if dims is not None and all(isinstance(d, int) and d > 0 for d in dims):
                shapes[vi.name] = tuple(dims)  # type: ignore[arg-type]
        for node in graph.node:
            for attr in node.attribute:
                for sub in [attr.g] if attr.HasField("g") else list(attr.graphs):
                    visit(sub)

    visit(model.graph)
    return shapes


def _set_name(value: SSAValue, name: str) -> None:
    """Use the ONNX input name as the SSA name where it is a valid one."""
    try:
        value.name_hint = name
    except ValueError:
        pass
