"""
Reading an ONNX model and making sure it is one the importer can work on: it parses,
passes onnx's checker, has a supported opset, static float inputs of batch 1, and shape
inference succeeds. Every failure is a `UserError` that says what to do.

```python
model = load_model_bytes(open("m.onnx", "rb").read(), "m.onnx")
model = prepare_model(model, "m.onnx")   # checked and shape-inferred
```
"""

from __future__ import annotations

import os
from pathlib import Path

import onnx
from onnx import external_data_helper

from atheena_ir.errors import UserError
from atheena_ir.onnx_frontend.registry import MAX_OPSET, MIN_OPSET
from atheena_ir.onnx_frontend.tensors import dim_values

_MAX_MESSAGE_LINES = 12


def _short(text: str) -> str:
    lines = [line for line in str(text).strip().splitlines() if line.strip()]
    if len(lines) > _MAX_MESSAGE_LINES:
        lines = [*lines[:_MAX_MESSAGE_LINES], "..."]
    return "\n  ".join(lines)


def load_model_bytes(data: bytes, source: str, base_dir: str | None = None) -> onnx.ModelProto:
    """
    Parse serialized ONNX; `base_dir` is where external tensor data lives.

    Example: `load_model_bytes(path.read_bytes(), str(path), str(path.parent))`.
    """
    if not data:
        raise UserError(f"{source}: the file is empty; expected an ONNX model (.onnx)")
    try:
        model = onnx.load_model_from_string(data)
    except Exception as err:
        raise UserError(
            f"{source}: not a readable ONNX model (the file is truncated, corrupt or not "
            f"ONNX): {_short(str(err)) or type(err).__name__}"
        ) from None
    if not model.HasField("graph"):
        raise UserError(
            f"{source}: not an ONNX model (no graph); the file is truncated or not ONNX"
        )
    if base_dir is not None and _uses_external_data(model):
        try:
            external_data_helper.load_external_data_for_model(model, base_dir)
        except Exception as err:
            raise UserError(f"{source}: cannot load the external tensor data: {err}") from None
    return model


def _uses_external_data(model: onnx.ModelProto) -> bool:
    return any(
        external_data_helper.uses_external_data(t)
        for t in external_data_helper._get_all_tensors(model)
    )


def load_model_file(path: str | os.PathLike[str]) -> onnx.ModelProto:
    """
    Read and parse an ONNX file (external data next to it is loaded too).

    Example: `load_model_file("examples/blenet_mnist.onnx")`.
    """
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as err:
        raise UserError(f"{path}: cannot read the file: {err.strerror or err}") from None
    return load_model_bytes(data, str(path), str(path.parent))


def model_opset(model: onnx.ModelProto, source: str) -> int:
    """
    The default-domain opset of `model`, refused outside the supported range.

    Example: `model_opset(model, "m.onnx") == 12`.
    """
    versions = [o.version for o in model.opset_import if o.domain in ("", "ai.onnx")]
    if not versions:
        raise UserError(f"{source}: the model imports no default-domain ONNX opset")
    opset = int(versions[0])
    if not MIN_OPSET <= opset <= MAX_OPSET:
        target = min(max(opset, MIN_OPSET), MAX_OPSET)
        raise UserError(
            f"{source}: opset {opset} is not supported (opsets {MIN_OPSET} to {MAX_OPSET} are); "
            f"convert it with onnx.version_converter.convert_version(model, {target})"
        )
    return opset


def prepare_model(model: onnx.ModelProto, source: str) -> onnx.ModelProto:
    """
    Run onnx's checker, check the opset and the inputs, and infer shapes.

    Example: `inferred = prepare_model(model, "m.onnx")`.
    """
    try:
        onnx.checker.check_model(model)
    except Exception as err:
        raise UserError(
            f"{source}: the ONNX checker rejected the model:\n  {_short(str(err))}"
        ) from None
    model_opset(model, source)
    check_inputs(model, source)
    try:
        return onnx.shape_inference.infer_shapes(
            model, check_type=True, strict_mode=True, data_prop=True
        )
    except Exception as err:
        raise UserError(f"{source}: ONNX shape inference failed:\n  {_short(str(err))}") from None


def check_inputs(model: onnx.ModelProto, source: str) -> None:
    """
    Refuse graph inputs that are not float32 with a static shape of batch size 1.

    Example: an input `[batch, 1, 28, 28]` is refused with a hint to fix dim 0 to 1.
    """
    initializers = {t.name for t in model.graph.initializer}
    weights = _weight_uses(model)
    for vi in model.graph.input:
        if vi.name in initializers:
            continue
        if vi.name in weights:
            node, role = weights[vi.name]
            raise UserError(
                f"{source}: input '{vi.name}' is the {role} of node '{node}': weights must be "
                "initializers (constants stored in the model), not graph inputs. Export with the "
                "parameters stored (torch.onnx.export(..., export_params=True)) or move it into "
                "graph.initializer"
            )
        if not vi.type.HasField("tensor_type"):
            raise UserError(
                f"{source}: input '{vi.name}' is not a tensor; only tensors are supported"
            )
        if vi.type.tensor_type.elem_type != onnx.TensorProto.FLOAT:
            code = vi.type.tensor_type.elem_type
            elem = (
                onnx.TensorProto.DataType.Name(code)
                if code in onnx.TensorProto.DataType.values()
                else f"code {code}"
            )
            raise UserError(
                f"{source}: input '{vi.name}' has element type {elem}; "
                "only FLOAT (float32) inputs are supported"
            )
        dims = dim_values(vi)
        if dims is None:
            raise UserError(
                f"{source}: input '{vi.name}' has no shape; the importer needs a static shape "
                "(e.g. [1, C, H, W]): export with a fixed input shape"
            )
        if not dims:
            raise UserError(
                f"{source}: input '{vi.name}' is a scalar (rank 0); the importer needs one "
                "sample as a tensor with a batch dim of 1, e.g. [1, C, H, W] or [1, N]"
            )
        fixed = [1 if i == 0 else d for i, d in enumerate(dims)]
        suggestion = ", ".join(str(d) if isinstance(d, int) and d > 0 else "?" for d in fixed)
        fix = (
            "Export with a fixed batch size of 1 (torch.onnx.export without dynamic_axes), or "
            "fix the dims with onnx.tools.update_model_dims.update_inputs_outputs_dims(model, "
            f"{{'{vi.name}': [{suggestion}]}}, {{...}})"
        )
        bad = [i for i, d in enumerate(dims) if not isinstance(d, int) or d <= 0]
        if bad:
            i = bad[0]
            what = (
                "symbolic"
                if isinstance(dims[i], str)
                else "0 (a zero-size dim)"
                if dims[i] == 0
                else "unknown"
            )
            shown = ", ".join(
                "?" if d is None else repr(d) if isinstance(d, str) else str(d) for d in dims
            )
            raise UserError(
                f"{source}: input '{vi.name}' has the non-static shape [{shown}] (dim {i} is "
                f"{what}); the importer needs a static shape with batch size 1, e.g. "
                f"[{suggestion}]. {fix}"
            )
        if dims and dims[0] != 1:
            raise UserError(
                f"{source}: input '{vi.name}' has batch size {dims[0]} (shape {dims}); the "
                f"accelerator takes one sample at a time, so the importer needs batch size 1, "
                f"e.g. [{suggestion}]. {fix}"
            )


_WEIGHT_OPERANDS = {
    "Conv": {1: "weight", 2: "bias"},
    "Gemm": {1: "weight", 2: "bias"},
    "BatchNormalization": {1: "scale", 2: "bias", 3: "mean", 4: "variance"},
}


def _weight_uses(model: onnx.ModelProto) -> dict[str, tuple[str, str]]:
    """Value name -> (node name, role) for every value a node reads as a weight operand."""
    uses: dict[str, tuple[str, str]] = {}
    for index, node in enumerate(model.graph.node):
        for position, role in _WEIGHT_OPERANDS.get(node.op_type, {}).items():
            if position < len(node.input) and node.input[position]:
                uses.setdefault(node.input[position], (node.name or f"#{index}", role))
    return uses
