"""
The checks on an HLS project's `atheena_project.json` before `atheena-csim` trusts it.

Its fields become file names in the build cache (`top`), `#include` lines (`testbench`,
`sources`) and array shapes (`inputs`, `outputs`), so a corrupt, incomplete or hostile manifest
is refused with one message instead of a traceback or a build outside the project:

```python
check_manifest({"top": "../x", ...}, "prj/atheena_project.json")
# UserError: prj/atheena_project.json: 'top' must be a C identifier, got '../x'
```
"""

from __future__ import annotations

import json
import re
from pathlib import Path, PurePosixPath
from typing import Any

from atheena_ir.errors import UserError
from atheena_ir.numerics import fixed_point as fx

_IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z0-9_]{0,100}")
_RELATIVE = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_./-]{0,250}")


def read_manifest(path: Path) -> dict[str, Any]:
    """The manifest at `path`, parsed and checked (UserError naming the file and the field)."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError) as err:
        raise UserError(f"{path} is not a readable project manifest: {err}") from None
    return check_manifest(data, str(path))


def check_manifest(data: Any, origin: str) -> dict[str, Any]:
    """`data` if it has every field `simulate` reads, each of the right type and safe."""
    if not isinstance(data, dict):
        raise UserError(f"{origin}: expected a JSON object, got {type(data).__name__}")
    _field(data, "top", str, origin)
    if not _IDENTIFIER.fullmatch(data["top"]):
        raise UserError(f"{origin}: 'top' must be a C identifier, got {data['top']!r}")
    _field(data, "testbench", str, origin)
    _field(data, "sources", list, origin)
    for rel in [data["testbench"], *data["sources"]]:
        _relative(rel, origin)
    for key in ("inputs", "outputs"):
        ports = _field(data, key, list, origin)
        if len(ports) != 1:
            raise UserError(f"{origin}: {key!r} must list one port, got {len(ports)}")
        _port(ports[0], f"{origin}: {key}[0]")
    return data


def _field(data: dict[str, Any], key: str, kind: type, origin: str) -> Any:
    if key not in data:
        raise UserError(f"{origin}: missing field {key!r}; rewrite the project with -t hls")
    if not isinstance(data[key], kind):
        raise UserError(f"{origin}: {key!r} must be a {kind.__name__}, got {data[key]!r}")
    return data[key]


def _relative(rel: Any, origin: str) -> None:
    ok = isinstance(rel, str) and _RELATIVE.fullmatch(rel)
    if not ok or ".." in PurePosixPath(rel).parts:
        raise UserError(f"{origin}: {rel!r} is not a file path inside the project")


def _port(port: Any, where: str) -> None:
    if not isinstance(port, dict):
        raise UserError(f"{where} must be an object")
    shape = port.get("map")
    if (
        not isinstance(shape, list)
        or len(shape) != 3
        or not all(isinstance(v, int) and not isinstance(v, bool) and v > 0 for v in shape)
    ):
        raise UserError(f"{where}: 'map' must be [rows, cols, channels] > 0, got {shape!r}")
    spec = port.get("type")
    message = (
        f"{where}: 'type' must give width, int_bits, rounding and overflow of a fixed-point "
        f"type, got {spec!r}"
    )
    if not isinstance(spec, dict) or not all(
        isinstance(spec.get(k), int) and not isinstance(spec.get(k), bool)
        for k in ("width", "int_bits")
    ):
        raise UserError(message)
    try:
        fx.FixedType(
            spec["width"],
            spec["int_bits"],
            rounding=spec.get("rounding"),
            overflow=spec.get("overflow"),
        )
    except (TypeError, ValueError):
        raise UserError(message) from None
