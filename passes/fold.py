"""
`fold`: set the folding factors (`#ee.fold<...>`) of every compute op.

Every op that accepts a `folding` property (`ee.conv2d`, `ee.linear`, `ee.maxpool2d`,
`ee.avgpool2d`, `ee.global_avgpool`, `ee.relu`, `ee.batchnorm`, `ee.add`, and the `ee.split`
and `ee.cond_buffer` that `split-exits` inserts, which take one `coarse`) gets one; the exit
decision and the exit merge have no folding in the dialect and are left alone (the cost model
runs them with one lane). The factors come from, in order of precedence:

1. `file=PATH`: a TOML or JSON file of per-layer factors keyed by layer name (the `onnx_name`
   the importer writes, e.g. `Conv_0`, else `<kind><N>` as in the cost report). Values are exact:
   an illegal factor is an error naming the layer, the factor and the legal values; a name that
   is not a foldable layer is an error listing the known ones. Keys per layer: `coarse_in`,
   `coarse_out`, `coarse_group`, `fine`, and `coarse` (sets `coarse_in` and `coarse_out`).
2. The options `coarse`, `coarse-in`, `coarse-out`, `coarse-group`, `fine`: defaults for every
   layer, each an upper bound (an integer) or `max`. A layer gets the largest legal value not
   above the bound, so `coarse=4` gives a 5-channel layer 1 and a 10-channel layer 2.
   `coarse-in`/`coarse-out` override `coarse` for that side; ops with one coarse factor (pools,
   relu, add, batchnorm) take the smaller of the two bounds.
3. Nothing given: the minimal folding, every factor 1.

```toml
# factors.toml
[Conv_0]
coarse_out = 5
fine = 25

[MaxPool_1]
coarse = 5
```

The `factors.toml` above (`fold{file="factors.toml"}`) sets by layer name the factors that
`fold{coarse=5 fine=max}` gives this network:

Before (`-p 'fold{coarse=5 fine=max}'`):
```mlir
func.func @main(%x: tensor<1x1x28x28xf32>) -> tensor<1x5x14x14xf32> {
  %w = ee.constant dense<0.1> : tensor<5x1x5x5xf32>
  %y = ee.conv2d %x, %w strides [1, 1] pads [2, 2, 2, 2] dilations [1, 1] groups 1
      {onnx_name = "Conv_0"}
      : (tensor<1x1x28x28xf32>, tensor<5x1x5x5xf32>) -> tensor<1x5x28x28xf32>
  %p = ee.maxpool2d %y kernel [2, 2] strides [2, 2] pads [0, 0, 0, 0] {onnx_name = "MaxPool_1"}
      : tensor<1x5x28x28xf32> -> tensor<1x5x14x14xf32>
  func.return %p : tensor<1x5x14x14xf32>
}
```
After:
```mlir
func.func @main(%x: tensor<1x1x28x28xf32>) -> tensor<1x5x14x14xf32> {
  %w = ee.constant dense<1.000000e-01> : tensor<5x1x5x5xf32>
  %y = ee.conv2d %x, %w strides [1, 1] pads [2, 2, 2, 2] dilations [1, 1] groups 1
      {onnx_name = "Conv_0",
      folding = #ee.fold<coarse_in = 1, coarse_out = 5, coarse_group = 1, fine = 25>}
      : (tensor<1x1x28x28xf32>, tensor<5x1x5x5xf32>) -> tensor<1x5x28x28xf32>
  %p = ee.maxpool2d %y kernel [2, 2] strides [2, 2] pads [0, 0, 0, 0] {onnx_name = "MaxPool_1",
      folding = #ee.fold<coarse_in = 5, coarse_out = 5, coarse_group = 1, fine = 1>}
      : tensor<1x5x28x28xf32> -> tensor<1x5x14x14xf32>
  func.return %p : tensor<1x5x14x14xf32>
}
```
"""

from __future__ import annotations

import json
import tomllib
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from xdsl.context import Context
from xdsl.dialects import func
from xdsl.dialects.builtin import ModuleOp
from xdsl.ir import Operation
from xdsl.passes import ModulePass

from atheena_ir.cost.from_ir import WIRING, _unique_name, layer_spec
from atheena_ir.dialects import ee
from atheena_ir.dialects.ee.base import FoldableOp
from atheena_ir.dialects.ee.folding import FOLD_FIELDS, LegalFolding
from atheena_ir.errors import UserError

FILE_KEYS = (*FOLD_FIELDS, "coarse")
"""Keys a layer's entry in a factors file may hold."""

Bound = int | str
"""An option value: a positive integer upper bound or `"max"`."""


@dataclass(frozen=True)
class FoldPass(ModulePass):
    """Set every compute op's folding from a per-layer file, option bounds, or all 1."""

    name = "fold"

    file: str = ""
    """TOML (.toml) or JSON (.json) file of per-layer factors, keyed by layer name."""

    coarse: int | str = 1
    """Bound for coarse_in and coarse_out of every layer: an integer or `max`."""

    coarse_in: int | str | None = None
    """Bound for coarse_in (overrides `coarse`)."""

    coarse_out: int | str | None = None
    """Bound for coarse_out (overrides `coarse`)."""

    coarse_group: int | str = 1
    """Bound for coarse_group (grouped convolutions)."""

    fine: int | str = 1
    """Bound for fine (1, k or k*k multipliers per dot product): an integer or `max`."""

    def apply(self, ctx: Context, op: ModuleOp) -> None:
        bounds = self.bounds()
        entries = read_factors(Path(self.file)) if self.file else {}
        layers = named_layers(op)
        foldable = {name: o for name, o in layers.items() if isinstance(o, FoldableOp)}
        origin = self.file or "<options>"
        for name in entries:
            if name in foldable:
                continue
            if name in layers:
                raise UserError(
                    f"fold: {origin}: layer '{name}' ({layers[name].name}) has no folding in the "
                    f"ee dialect; foldable layers: {', '.join(foldable) or '(none)'}"
                )
            raise UserError(
                f"fold: {origin}: unknown layer '{name}'; known layers: "
                f"{', '.join(foldable) or '(none)'}"
            )
        for name, target in foldable.items():
            assert isinstance(target, FoldableOp)
            factors = folding_for(name, target, bounds, entries.get(name, {}), origin)
            target.properties["folding"] = ee.FoldAttr.get(**factors)

    def bounds(self) -> dict[str, Bound]:
        """The option bounds per factor, validated."""
        raw: dict[str, Any] = {
            "coarse_in": self.coarse if self.coarse_in is None else self.coarse_in,
            "coarse_out": self.coarse if self.coarse_out is None else self.coarse_out,
            "coarse_group": self.coarse_group,
            "fine": self.fine,
        }
        for key, value in raw.items():
            ok = value == "max" or (
                isinstance(value, int) and not isinstance(value, bool) and value >= 1
            )
            if not ok:
                option = key.replace("_", "-")
                raise UserError(
                    f"fold: option {option}={value!r} must be a positive integer or 'max'"
                )
        return raw


def named_layers(module: ModuleOp) -> dict[str, Operation]:
    """Every hardware op by its layer name, named exactly as the cost report names them.

    Names come from the `onnx_name` attribute, else `<kind><N>` (`relu0`, `split1`, ...), in
    the walk order of each function (see `atheena_ir.cost.from_ir.design_layers`).
    """
    layers: dict[str, Operation] = {}
    for f in module.walk():
        if not isinstance(f, func.FuncOp) or f.is_declaration:
            continue
        taken: set[str] = set()
        for op in f.walk():
            if op is f or isinstance(op, WIRING) or (spec := layer_spec(op)) is None:
                continue
            layers.setdefault(_unique_name(op, spec, taken), op)
    return layers


def read_factors(path: Path) -> dict[str, dict[str, int]]:
    """Read a per-layer factors file (TOML, or JSON when the name ends in .json).

    >>> import tempfile, os
    >>> with tempfile.NamedTemporaryFile("w", suffix=".toml", delete=False) as f:
    ...     _ = f.write('[Conv_0]\\nfine = 25\\ncoarse_out = 5\\n')
    >>> read_factors(Path(f.name))
    {'Conv_0': {'fine': 25, 'coarse_out': 5}}
    >>> os.unlink(f.name)
    """
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as err:
        raise UserError(f"fold: cannot read factors file '{path}': {err.strerror}") from None
    try:
        raw = json.loads(text) if path.suffix == ".json" else tomllib.loads(text)
    except (json.JSONDecodeError, tomllib.TOMLDecodeError) as err:
        kind = "JSON" if path.suffix == ".json" else "TOML"
        raise UserError(f"fold: {path}: not valid {kind}: {err}") from None
    if not isinstance(raw, dict):
        raise UserError(f"fold: {path}: expected a table of layers, got {type(raw).__name__}")
    entries: dict[str, dict[str, int]] = {}
    for name, entry in raw.items():
        if not isinstance(entry, dict):
            raise UserError(
                f"fold: {path}: layer '{name}' must map to a table of factors "
                f"({', '.join(FILE_KEYS)}), got {entry!r}"
            )
        for key, value in entry.items():
            if key not in FILE_KEYS:
                raise UserError(
                    f"fold: {path}: layer '{name}': unknown factor '{key}'; "
                    f"allowed: {', '.join(FILE_KEYS)}"
                )
            if isinstance(value, bool) or not isinstance(value, int) or value < 1:
                raise UserError(
                    f"fold: {path}: layer '{name}': {key} must be a positive integer, got {value!r}"
                )
        if "coarse" in entry and ("coarse_in" in entry or "coarse_out" in entry):
            raise UserError(
                f"fold: {path}: layer '{name}': give either coarse or coarse_in/coarse_out"
            )
        entries[name] = dict(entry)
    return entries


@dataclass(frozen=True)
class Legal:
    """The values each factor may take on one op: what both the ee verifier and the cost
    model accept (the cost model is stricter for `ee.linear`, whose coarse_in splits the
    channels of the map before flattening, and for `fine` of non-square kernels)."""

    coarse_in: tuple[int, ...]
    coarse_out: tuple[int, ...]
    coarse_group: tuple[int, ...]
    fine: tuple[int, ...]
    tied: bool


def legal_factors(op: FoldableOp) -> Legal:
    """The legal folding factors of `op`."""
    dialect: LegalFolding = op.legal_folding()
    spec = layer_spec(op)
    model: dict[str, Collection[int]] = {}
    if spec is not None:
        model = {
            "coarse_in": spec.coarse_in_options(),
            "coarse_out": spec.coarse_out_options(),
            "fine": spec.fine_options(),
        }

    def both(key: str) -> tuple[int, ...]:
        values: tuple[int, ...] = getattr(dialect, key)
        if key in model:
            values = tuple(v for v in values if v in model[key])
        return values or (1,)

    return Legal(*(both(key) for key in FOLD_FIELDS), tied=dialect.tied)


def _largest(legal: tuple[int, ...], bound: Bound) -> int:
    """The largest legal value not above `bound` (`max`: the largest of all)."""
    if bound == "max":
        return max(legal)
    assert isinstance(bound, int)
    return max((v for v in legal if v <= bound), default=min(legal))


def folding_for(
    name: str,
    op: FoldableOp,
    bounds: Mapping[str, Bound],
    entry: Mapping[str, int],
    origin: str,
) -> dict[str, int]:
    """The factors of one layer: `entry` values exactly (checked), the rest from `bounds`."""
    legal = legal_factors(op)
    given = dict(entry)
    if "coarse" in given:
        given["coarse_in"] = given["coarse_out"] = given.pop("coarse")
    if legal.tied and len({given.get("coarse_in"), given.get("coarse_out")} - {None}) == 1:
        value = given.get("coarse_in", given.get("coarse_out"))
        assert value is not None
        given["coarse_in"] = given["coarse_out"] = value  # one coarse factor: set both
    for key, value in given.items():
        allowed: tuple[int, ...] = getattr(legal, key)
        if value not in allowed:
            raise UserError(
                f"fold: {origin}: layer '{name}' ({op.name}): {key} = {value} is not legal; "
                f"legal values: {', '.join(map(str, allowed))}"
            )
    if legal.tied and given.get("coarse_in", 0) != given.get("coarse_out", 0):
        raise UserError(
            f"fold: {origin}: layer '{name}' ({op.name}) has one coarse factor: coarse_in "
            f"({given['coarse_in']}) and coarse_out ({given['coarse_out']}) must be equal"
        )
    factors = {key: given.get(key) for key in FOLD_FIELDS}
    for key in FOLD_FIELDS:
        if factors[key] is None:
            factors[key] = _default(legal, key, bounds)
    return {k: int(v) for k, v in factors.items() if v is not None}


def _default(legal: Legal, key: str, bounds: Mapping[str, Bound]) -> int:
    if legal.tied and key in ("coarse_in", "coarse_out"):
        lo, hi = bounds["coarse_in"], bounds["coarse_out"]
        bound: Bound = hi if lo == "max" else lo if hi == "max" else min(int(lo), int(hi))
        return _largest(legal.coarse_in, bound)
    return _largest(getattr(legal, key), bounds[key])
