"""
`-t report`: a readable table of a design's cost on a platform (docs/reports.md).

```
atheena-opt net.onnx -p 'canonicalize,split-exits{exit-probs=0.75},fold{file="f.toml"}' \\
    -t 'report{platform=zc706 batch=1024 fidelity=atheena-v1}'
```

Per stage, one row per hardware layer: folding factors (c_in, c_out, c_grp, fine) as built,
interval (cycles per sample), pipeline depth (cycles), LUT, FF, DSP and BRAM18 with their share
of the platform (in the `project` fidelity a layer's resources are those of its units plus the
squeezes and FIFOs in front of it); then the stage's bottleneck, throughput and latency, and (in
the `project` fidelity) every unit `lower-to-hws` builds in the stage with its lanes, depth (maps
of a conditional buffer, words of a FIFO) and resources. Then the network: each stage's
limit T_s / reach_s, the network throughput (the smallest limit) and latency, and the resource
totals against the board, with `OVER` on any resource above 100 %, and against the budget `dse`
searched within when the function records one (`dse.budget`). The text is deterministic.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import IO

from xdsl.context import Context
from xdsl.dialects import func
from xdsl.dialects.builtin import ModuleOp, StringAttr
from xdsl.utils.target import Target

from atheena_ir.cost.design import (
    RESOURCE_NAMES,
    DesignReport,
    StageReport,
    design_report,
    unit_names,
)
from atheena_ir.cost.platform import Platform

LABELS = {"lut": "LUT", "ff": "FF", "dsp": "DSP", "bram": "BRAM"}


@dataclass(frozen=True)
class ReportTarget(Target):
    """A readable cost report: per layer and stage, network throughput and budget."""

    name = "report"

    platform: str = "zc706"
    """A built-in platform name or the path of a platform TOML file (quote paths)."""

    batch: int = 1024
    """Samples per batch (throughput and latency are for batches of this size)."""

    fidelity: str = "project"
    """`project` (the project's model) or `atheena-v1` (ATHEENA v1.0 exactly)."""

    function: str = "main"
    """The function to report."""

    def emit(self, ctx: Context, module: ModuleOp, output: IO[str]) -> None:
        report = design_report(module, self.platform, self.batch, self.fidelity, self.function)
        output.write(format_report(report, searched_budget(module, self.function)))


def searched_budget(module: ModuleOp, function: str = "main") -> str | None:
    """The budget `dse` searched within, as recorded on the function (`dse.budget`), if any."""
    for op in module.walk():
        if isinstance(op, func.FuncOp) and op.sym_name.data == function:
            attr = op.attributes.get("dse.budget")
            return attr.data if isinstance(attr, StringAttr) else None
    return None


def number(value: float) -> str:
    """An interval or count: integral values without decimals, others with two."""
    return f"{value:.0f}" if float(value).is_integer() else f"{value:.2f}"


def percent(fraction: float) -> str:
    """A utilisation as a percentage with two decimals."""
    return f"{100 * fraction:.2f}%"


def _table(header: list[str], rows: list[list[str]], left: int = 1) -> list[str]:
    """Columns padded to their widest cell; the first `left` columns left-aligned."""
    widths = [max(len(row[i]) for row in [header, *rows]) for i in range(len(header))]
    out = []
    for row in [header, *rows]:
        cells = [
            cell.ljust(w) if i < left else cell.rjust(w)
            for i, (cell, w) in enumerate(zip(row, widths, strict=True))
        ]
        out.append("  ".join(cells).rstrip())
    return out


def _resource_cells(resources: dict[str, int], utilisation: dict[str, float]) -> list[str]:
    cells = []
    for r in RESOURCE_NAMES:
        cells += [str(resources[r]), percent(utilisation[r])]
    return cells


def _unit_lines(stage: StageReport) -> list[str]:
    """The stage's units as built (nothing in the reference fidelity)."""
    if not stage.units:
        return []
    header = ["unit", "kind", "lanes", "depth", *(LABELS[r] for r in RESOURCE_NAMES)]
    rows = []
    for name, unit in unit_names(stage.units):
        res = unit.resources.as_dict()
        lanes = f"{unit.lanes_in}->{unit.lanes_out}" if unit.lanes_out else str(unit.lanes_in)
        depth = str(unit.depth) if unit.depth else ""
        rows.append([name, unit.role, lanes, depth, *(str(res[r]) for r in RESOURCE_NAMES)])
    return [f"  units built by lower-to-hws ({len(rows)})"] + [
        "    " + line for line in _table(header, rows, left=2)
    ]


def format_report(report: DesignReport, budget: str | None = None) -> str:
    """The whole report as text (ends with a newline). `budget` (e.g. "0.5" or "dsp=400"), the
    budget the design was searched within, adds its limits beside the board's resources."""
    p = report.platform
    part = f" ({p.part})" if p.part else ""
    lines = [
        f"atheena-ir cost report: @{report.function} on {p.name}{part}",
        f"clock {report.clock_hz / 1e6:g} MHz, batch {report.batch}, "
        f"fidelity {report.fidelity.value}",
        "",
    ]
    header = ["layer", "kind", "c_in", "c_out", "c_grp", "fine", "interval", "depth"]
    for r in RESOURCE_NAMES:
        header += [LABELS[r], f"{LABELS[r]}%"]
    for stage in report.stages:
        lines.append(f"stage {stage.index} (reach {stage.reach:.4f})")
        rows = []
        for layer in stage.layers:
            f = layer.fold
            rows.append(
                [layer.name, layer.kind, str(f.coarse_in), str(f.coarse_out),
                 str(f.coarse_group), str(f.fine), number(layer.interval), str(layer.depth),
                 *_resource_cells(layer.resources.as_dict(), layer.utilisation)]
            )  # fmt: skip
        rows.append(
            ["stage total", "", "", "", "", "", number(stage.interval), str(stage.depth),
             *_resource_cells(stage.resources.as_dict(), stage.utilisation)]
        )  # fmt: skip
        lines += ["  " + line for line in _table(header, rows, left=2)]
        lines.append(
            f"  bottleneck {stage.bottleneck} ({number(stage.interval)} cycles/sample), "
            f"depth {stage.depth} cycles"
        )
        lines.append(
            f"  throughput {stage.throughput:.2f} samples/s, latency "
            f"{stage.latency_s * 1e3:.3f} ms per batch of {report.batch}"
        )
        lines += _unit_lines(stage)
        lines.append("")
    lines.append("network")
    rows = []
    for stage in report.stages:
        limit = "never reached" if stage.reach == 0 else f"{stage.limit:.2f}"
        mark = "<- limits" if stage.index == report.limiting_stage else ""
        rows.append(
            [str(stage.index), f"{stage.reach:.4f}", f"{stage.throughput:.2f}", limit, mark]
        )
    header = ["stage", "reach", "throughput/s", "limit T/reach (/s)", ""]
    lines += ["  " + line for line in _table(header, rows)]
    lines.append(
        f"  throughput {report.throughput:.2f} samples/s (stage {report.limiting_stage} limits), "
        f"latency {report.latency_s * 1e3:.3f} ms per batch of {report.batch}"
    )
    lines.append("")
    lines.append(f"resources (all stages) on {p.name}")
    rows = []
    used = report.resources.as_dict()
    caps = _budget_caps(budget, p) if budget else None
    for r in RESOURCE_NAMES:
        over = "OVER" if report.utilisation[r] > 1.0 else ""
        row = [LABELS[r], str(used[r]), str(p.resources[r]), percent(report.utilisation[r])]
        if caps is not None:
            row.append(f"{caps[r]:.0f}")
            over = over or ("over budget" if used[r] > caps[r] + 1e-9 else "")
        rows.append([*row, over])
    header = ["resource", "used", "on board", "util", *(["budget"] if caps else []), ""]
    lines += ["  " + line for line in _table(header, rows)]
    over = report.over_budget
    lines.append(
        "  over the board: " + ", ".join(LABELS[r] for r in over) if over else "  fits the board"
    )
    if caps is not None:
        beyond = [LABELS[r] for r in RESOURCE_NAMES if used[r] > caps[r] + 1e-9]
        lines.append(
            f"  over the budget {budget}: " + ", ".join(beyond)
            if beyond
            else f"  within the budget {budget}"
        )
    return "\n".join(lines) + "\n"


def _budget_caps(budget: str, platform: Platform) -> dict[str, float]:
    """Each resource's limit (a count) under `budget` on `platform`."""
    from atheena_ir.dse.budget import RESOURCES, Budget

    caps = Budget.parse(budget, platform).caps(platform)
    return dict(zip(RESOURCES, (float(c) for c in caps), strict=True))
