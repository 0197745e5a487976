"""
The measured table as text (what `atheena-profile` prints) and as JSON (`--json`).

```
threshold   exit 0 leaves  exit 0 acc   final leaves  final acc   accuracy
0.9                 81.2%       99.0%         18.8%      83.0%      96.0%
```
"""

from __future__ import annotations

import json
from typing import Any

from atheena_ir.profiling.measure import ThresholdResult
from atheena_ir.profiling.profile import Profile


def threshold_label(thresholds: tuple[float, ...]) -> str:
    """`0.9` when every exit has the same threshold, else `0.9:0.8`; `-` without exits."""
    if not thresholds:
        return "-"
    if len(set(thresholds)) == 1:
        return f"{thresholds[0]:g}"
    return ":".join(f"{t:g}" for t in thresholds)


def _percent(value: float | None) -> str:
    return "-" if value is None else f"{100 * value:.1f}%"


def _row(result: ThresholdResult) -> list[str]:
    cells = [threshold_label(result.thresholds)]
    for e in result.exits:
        cells += [_percent(e.fraction), _percent(e.accuracy)]
    return [*cells, _percent(result.accuracy)]


def format_table(profile: Profile) -> str:
    """The readable report: a header, one row per threshold, each exit's accuracy alone."""
    names = profile.exit_names
    early = len(names) - 1
    lines = [
        f"model: {profile.model}",
        f"exits: {early} early + final, {profile.num_classes} classes",
        f"data: {profile.num_samples} samples ({profile.data})",
    ]
    if early == 0:
        lines.append("the model has no early exits (no ee.exit): only its accuracy is reported")
    lines.append("")
    header = ["threshold"]
    for name in names:
        header += [f"{name} leaves", f"{name} acc"]
    header.append("accuracy")
    rows = [header] + [_row(r) for r in profile.results]
    widths = [max(len(r[i]) for r in rows) for i in range(len(header))]
    for r in rows:
        cells = [r[0].ljust(widths[0])] + [
            c.rjust(w) for c, w in zip(r[1:], widths[1:], strict=True)
        ]
        lines.append("  ".join(cells).rstrip())
    lines.append("")
    alone = ", ".join(
        f"{name} {_percent(a)}" for name, a in zip(names, profile.accuracy_alone, strict=True)
    )
    lines.append(f"accuracy if every sample ran to one exit: {alone}")
    lines.append(
        "'leaves' is the fraction of all samples that leave at an exit; 'acc' their accuracy."
    )
    return "\n".join(lines) + "\n"


def to_json(profile: Profile) -> dict[str, Any]:
    """The table as plain data (fractions and accuracies in [0, 1], null for no samples)."""
    return {
        "model": profile.model,
        "data": profile.data,
        "samples": profile.num_samples,
        "classes": profile.num_classes,
        "exits": list(profile.exit_names),
        "accuracy_alone": list(profile.accuracy_alone),
        "results": [
            {
                "thresholds": list(r.thresholds),
                "accuracy": r.accuracy,
                "exits": [
                    {
                        "name": e.name,
                        "samples": e.count,
                        "correct": e.correct,
                        "fraction": e.fraction,
                        "accuracy": e.accuracy,
                    }
                    for e in r.exits
                ],
            }
            for r in profile.results
        ],
    }


def dump_json(profile: Profile) -> str:
    return json.dumps(to_json(profile), indent=2) + "\n"
