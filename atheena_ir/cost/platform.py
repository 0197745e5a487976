"""FPGA platforms: TOML data files (built-in ones in ``atheena_ir/platforms``) and their loader.

A platform file looks like::

    name = "zc706"
    part = "xc7z045ffg900-2"        # optional
    description = "..."             # optional
    clock_mhz = 125.0

    [resources]
    lut = 218600
    ff = 437200
    dsp = 900
    bram18 = 1090
    uram = 0                        # optional

    [memory]                        # optional, every key optional
    bandwidth_gbps = 102.4
    ports = 2
    port_width = 128
    reconf_time_s = 0.08255
"""

from __future__ import annotations

import math
import re
import tomllib
from dataclasses import dataclass, field
from importlib import resources as pkg_resources
from pathlib import Path
from typing import Any

from atheena_ir.cost.errors import CostModelError

_TOP = {"name": True, "part": False, "description": False, "clock_mhz": True,
        "resources": True, "memory": False}  # fmt: skip
_RESOURCES = {"lut": True, "ff": True, "dsp": True, "bram18": True, "uram": False}
_MEMORY = {"bandwidth_gbps": False, "ports": False, "port_width": False, "reconf_time_s": False}
_INTEGER = {"lut", "ff", "dsp", "bram18", "uram", "ports", "port_width"}
_TOKEN = re.compile(r"[A-Za-z0-9_.+-]{1,64}")
"""Names and Xilinx part names: they reach run_hls.tcl and file names."""
_LIMITS = {"clock_mhz": 10_000.0, "count": 1e10, "bandwidth_gbps": 1e6, "reconf_time_s": 1e6}
"""Upper bounds far beyond any device, so the cost model's arithmetic stays finite."""


@dataclass(frozen=True)
class Platform:
    """An FPGA board: its resource budget and the clock the design runs at."""

    name: str
    clock_mhz: float
    lut: int
    ff: int
    dsp: int
    bram18: int
    uram: int = 0
    part: str = ""
    description: str = ""
    memory: dict[str, float] = field(default_factory=dict)

    @property
    def clock_hz(self) -> float:
        """The clock frequency in Hz."""
        return self.clock_mhz * 1e6

    @property
    def resources(self) -> dict[str, int]:
        """The budget keyed like ``Resources.as_dict()`` (bram = BRAM18 blocks)."""
        return {"lut": self.lut, "ff": self.ff, "dsp": self.dsp, "bram": self.bram18}


def builtin_platforms() -> list[str]:
    """Names of the platforms shipped with atheena-ir."""
    folder = pkg_resources.files("atheena_ir.platforms")
    return sorted(p.name[: -len(".toml")] for p in folder.iterdir() if p.name.endswith(".toml"))


def load_platform(source: str | Path) -> Platform:
    """Load a built-in platform by name (``"zc706"``) or a user's TOML file by path.

    Raises ``CostModelError`` naming the file and the offending key for unreadable files, missing
    or unknown keys, wrong types and non-positive numbers.
    """
    path = Path(source)
    if isinstance(source, Path) or path.suffix == ".toml" or len(path.parts) > 1:
        if not path.is_file():
            raise CostModelError(f"platform file {str(path)!r} does not exist")
        text, origin = path.read_text(encoding="utf-8"), str(path)
    else:
        name = str(source)
        if name not in builtin_platforms():
            known = ", ".join(builtin_platforms())
            raise CostModelError(
                f"unknown platform {name!r}; built-in platforms are {known}, "
                f"or give the path of a .toml platform file"
            )
        text = pkg_resources.files("atheena_ir.platforms").joinpath(f"{name}.toml").read_text()
        origin = f"built-in platform {name!r}"
    return parse_platform(text, origin)


def parse_platform(text: str, origin: str = "<string>") -> Platform:
    """Parse and validate platform TOML ``text``; ``origin`` names it in error messages."""
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as err:
        raise CostModelError(f"{origin}: not valid TOML: {err}") from None
    _keys(raw, _TOP, origin, "")
    if not isinstance(raw["name"], str) or not raw["name"]:
        raise CostModelError(f"{origin}: 'name' must be a non-empty string")
    for key in ("part", "description"):
        if key in raw and not isinstance(raw[key], str):
            raise CostModelError(f"{origin}: {key!r} must be a string")
    for key in ("name", "part"):
        if key in raw and raw[key] and not _TOKEN.fullmatch(raw[key]):
            raise CostModelError(
                f"{origin}: {key!r} may hold only letters, digits and _ . + - (at most 64), "
                f"got {raw[key]!r}"
            )
    if "\n" in raw.get("description", "") or len(raw.get("description", "")) > 500:
        raise CostModelError(f"{origin}: 'description' must be one line (at most 500 characters)")
    clock = _number(raw["clock_mhz"], origin, "clock_mhz")
    res = raw["resources"]
    if not isinstance(res, dict):
        raise CostModelError(f"{origin}: 'resources' must be a table ([resources])")
    _keys(res, _RESOURCES, origin, "resources.")
    counts = {k: _number(v, origin, f"resources.{k}", allow_zero=(k == "uram")) for k, v in
              res.items()}  # fmt: skip
    memory = raw.get("memory", {})
    if not isinstance(memory, dict):
        raise CostModelError(f"{origin}: 'memory' must be a table ([memory])")
    _keys(memory, _MEMORY, origin, "memory.")
    mem = {k: _number(v, origin, f"memory.{k}") for k, v in memory.items()}
    return Platform(
        name=raw["name"],
        clock_mhz=float(clock),
        lut=int(counts["lut"]),
        ff=int(counts["ff"]),
        dsp=int(counts["dsp"]),
        bram18=int(counts["bram18"]),
        uram=int(counts.get("uram", 0)),
        part=raw.get("part", ""),
        description=raw.get("description", ""),
        memory=mem,
    )


def _keys(table: dict[str, Any], spec: dict[str, bool], origin: str, prefix: str) -> None:
    missing = [k for k, required in spec.items() if required and k not in table]
    if missing:
        names = ", ".join(prefix + k for k in missing)
        raise CostModelError(f"{origin}: missing required key(s) {names}")
    unknown = [k for k in table if k not in spec]
    if unknown:
        names = ", ".join(prefix + k for k in unknown)
        allowed = ", ".join(prefix + k for k in spec)
        raise CostModelError(f"{origin}: unknown key(s) {names}; allowed keys are {allowed}")


def _number(value: Any, origin: str, key: str, allow_zero: bool = False) -> float:
    integer = key.rsplit(".", 1)[-1] in _INTEGER
    kinds = (int,) if integer else (int, float)
    if isinstance(value, bool) or not isinstance(value, kinds):
        expected = "an integer" if integer else "a number"
        raise CostModelError(f"{origin}: {key} must be {expected}, got {value!r}")
    if not math.isfinite(value) or value < 0 or (value == 0 and not allow_zero):
        bound = "non-negative" if allow_zero else "positive"
        raise CostModelError(f"{origin}: {key} must be {bound} and finite, got {value!r}")
    limit = _LIMITS.get(key.rsplit(".", 1)[-1], _LIMITS["count"] if integer else None)
    if limit is not None and value > limit:
        raise CostModelError(f"{origin}: {key} = {value!r} is beyond any FPGA (at most {limit:g})")
    return value
