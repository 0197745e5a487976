"""Network throughput of an early-exit design from its stages and their reach probabilities.

Stage s only sees the fraction ``reach_s`` of samples that did not leave at an earlier exit, so
it sustains ``T_s / reach_s`` input samples per second; the network runs at the slowest of these
(ATHEENA v1.0's ``min(T1, T2 / q)``, for any number of stages).
"""

from __future__ import annotations

from collections.abc import Sequence

from atheena_ir.cost.errors import CostModelError


def network_throughput(stage_throughputs: Sequence[float], reaches: Sequence[float]) -> float:
    """min over stages of T_s / reach_s (samples per second); stages with reach 0 never limit."""
    if len(stage_throughputs) != len(reaches) or not reaches:
        raise CostModelError("give one reach probability per stage")
    limits = []
    for index, (throughput, reach) in enumerate(zip(stage_throughputs, reaches, strict=True)):
        if not 0.0 <= reach <= 1.0:
            raise CostModelError(f"stage {index}: reach probability {reach} is not in [0, 1]")
        if throughput <= 0:
            raise CostModelError(f"stage {index}: throughput must be positive, got {throughput}")
        if reach > 0:
            limits.append(throughput / reach)
    if not limits:
        raise CostModelError("no stage is ever reached")
    return min(limits)
