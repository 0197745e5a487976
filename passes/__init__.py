"""The transformation passes of atheena-ir, one file per pass."""

from collections.abc import Callable

from xdsl.passes import ModulePass


def get_all_passes() -> dict[str, Callable[[], type[ModulePass]]]:
    """Lazy factories of every project pass, by its command-line name."""

    def split_exits() -> type[ModulePass]:
        from atheena_ir.passes.split_exits import SplitExitsPass

        return SplitExitsPass

    def fold() -> type[ModulePass]:
        from atheena_ir.passes.fold import FoldPass

        return FoldPass

    def set_exit_thresholds() -> type[ModulePass]:
        from atheena_ir.passes.set_exit_thresholds import SetExitThresholdsPass

        return SetExitThresholdsPass

    def dse() -> type[ModulePass]:
        from atheena_ir.passes.dse import DsePass

        return DsePass

    def lower_to_hws() -> type[ModulePass]:
        from atheena_ir.passes.lower_to_hws import LowerToHwsPass

        return LowerToHwsPass

    return {
        "dse": dse,
        "split-exits": split_exits,
        "fold": fold,
        "set-exit-thresholds": set_exit_thresholds,
        "lower-to-hws": lower_to_hws,
    }
