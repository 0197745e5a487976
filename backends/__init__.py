"""The output targets of atheena-ir (`-t NAME`)."""

from collections.abc import Callable
from importlib import import_module

from xdsl.utils.target import Target

TARGETS: dict[str, str] = {
    "report": "report:ReportTarget",
    "report-json": "report_json:ReportJsonTarget",
    "dot": "dot:DotTarget",
    "hls": "hls.target:HlsTarget",
}
"""Each project target by its `-t` name: `module:Class` inside `atheena_ir.backends`."""


def _lazy(location: str) -> Callable[[], type[Target]]:
    module, cls = location.split(":")
    return lambda: getattr(import_module(f"atheena_ir.backends.{module}"), cls)


def get_all_targets() -> dict[str, Callable[[], type[Target]]]:
    """Lazy factories of every project target, by its `-t` name (imported on first use)."""
    return {name: _lazy(location) for name, location in TARGETS.items()}
