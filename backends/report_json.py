"""
`-t report-json`: the cost report as JSON, for scripts (schema in docs/reports.md).

```
atheena-opt net.mlir -t 'report-json{platform="my_board.toml" fidelity=atheena-v1}'
```

The same figures as `-t report` (`atheena_ir.cost.design.DesignReport.as_dict`): a top-level
object with `schema` (`"atheena-ir/report/v1"`), `function`, `platform`, `model`, `stages` (each
with its `layers` and `edges`) and `network`. Keys keep a fixed order and floats print in
full, so the same input always gives the same bytes.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import IO

from xdsl.context import Context
from xdsl.dialects.builtin import ModuleOp
from xdsl.utils.target import Target

from atheena_ir.cost.design import design_report


@dataclass(frozen=True)
class ReportJsonTarget(Target):
    """The cost report as JSON: per layer and stage, network throughput and budget."""

    name = "report-json"

    platform: str = "zc706"
    """A built-in platform name or the path of a platform TOML file (quote paths)."""

    batch: int = 1024
    """Samples per batch."""

    fidelity: str = "project"
    """`project` or `atheena-v1`."""

    function: str = "main"
    """The function to report."""

    def emit(self, ctx: Context, module: ModuleOp, output: IO[str]) -> None:
        report = design_report(module, self.platform, self.batch, self.fidelity, self.function)
        output.write(json.dumps(report.as_dict(), indent=2, allow_nan=False) + "\n")
