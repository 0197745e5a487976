"""The transformation passes of atheena-ir, one file per pass."""

from collections.abc import Callable
from importlib import import_module

from xdsl.passes import ModulePass

PASSES: dict[str, str] = {
    "atheena": "atheena_pipeline:AtheenaPipelinePass",
    "check-hws": "hws_legality:CheckHwsPass",
    "dse": "dse:DsePass",
    "fold": "fold:FoldPass",
    "lower-to-hws": "lower_to_hws:LowerToHwsPass",
    "set-exit-thresholds": "set_exit_thresholds:SetExitThresholdsPass",
    "split-exits": "split_exits:SplitExitsPass",
}
"""Each project pass by its command-line name: `module:Class` inside `atheena_ir.passes`."""


def _lazy(location: str) -> Callable[[], type[ModulePass]]:
    module, cls = location.split(":")
    return lambda: getattr(import_module(f"atheena_ir.passes.{module}"), cls)


def get_all_passes() -> dict[str, Callable[[], type[ModulePass]]]:
    """Lazy factories of every project pass, by its command-line name (imported on first use)."""
    return {name: _lazy(location) for name, location in PASSES.items()}
