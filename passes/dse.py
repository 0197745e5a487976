"""
`dse`: the cost-driven pass manager. Choose every folding factor of the network for a
platform and a resource budget, and record the predicted throughput and resources.

The default `algorithm=exact` is provably optimal under the cost model (a multi-choice
knapsack MILP over Pareto-pruned per-layer configurations, docs/dse.md); `algorithm=anneal`
is ATHEENA's simulated annealing, kept as the baseline. Run it after `split-exits` (stages with
reach probabilities) or on a network without exits.

Options: `platform` (built-in name or .toml path), `budget` (0.5, "50%", or per-resource
limits "dsp=400 lut=0.5"), `objective` (`throughput` within the budget, or `resources`: the
smallest design reaching `target` samples/s), `algorithm`, `seed`, `batch`, `constraints`
(the constraint language of docs/dse.md, e.g. "conv2d.coarse_out <= 8; stage(0).DSP <= 400"),
`runs` (annealing runs, best kept) and `fidelity` (`project` or `atheena-v1`).

Before (`-p 'dse{platform=zc706 budget=0.5}'`):
```mlir
func.func @main(%x: tensor<1x1x28x28xf32>) -> tensor<1x5x14x14xf32> {
  %w = ee.constant dense<0.1> : tensor<5x1x5x5xf32>
  %y = ee.conv2d %x, %w strides [1, 1] pads [2, 2, 2, 2] dilations [1, 1] groups 1
      {onnx_name = "Conv_0"}
      : (tensor<1x1x28x28xf32>, tensor<5x1x5x5xf32>) -> tensor<1x5x28x28xf32>
  %p = ee.maxpool2d %y kernel [2, 2] strides [2, 2] pads [0, 0, 0, 0] {onnx_name = "MaxPool_1"}
      : tensor<1x5x28x28xf32> -> tensor<1x5x14x14xf32>
  func.return %p : tensor<1x5x14x14xf32>
}
```
After (the figures, elided here, are the cost model's prediction for the chosen folding):
```mlir
func.func @main(%x: tensor<1x1x28x28xf32>) -> tensor<1x5x14x14xf32> attributes {
    dse.throughput = ... : f64, dse.resources = {lut = ... : i64, ff = ... : i64, dsp = ... : i64,
    bram = ... : i64}, dse.utilisation = ... : f64, dse.stage_throughputs = [... : f64],
    dse.platform = "zc706", dse.budget = "0.5", dse.algorithm = "exact",
    dse.objective = "throughput"} {
  %w = ee.constant dense<1.000000e-01> : tensor<5x1x5x5xf32>
  %y = ee.conv2d %x, %w strides [1, 1] pads [2, 2, 2, 2] dilations [1, 1] groups 1
      {onnx_name = "Conv_0",
      folding = #ee.fold<coarse_in = 1, coarse_out = 5, coarse_group = 1, fine = 25>}
      : (tensor<1x1x28x28xf32>, tensor<5x1x5x5xf32>) -> tensor<1x5x28x28xf32>
  %p = ee.maxpool2d %y kernel [2, 2] strides [2, 2] pads [0, 0, 0, 0] {onnx_name = "MaxPool_1",
      folding = #ee.fold<coarse_in = 5, coarse_out = 5, coarse_group = 1, fine = 1>}
      : tensor<1x5x28x28xf32> -> tensor<1x5x14x14xf32>
  func.return %p : tensor<1x5x14x14xf32>
}
```
"""

from __future__ import annotations

from dataclasses import dataclass

from xdsl.context import Context
from xdsl.dialects import func
from xdsl.dialects.builtin import ModuleOp
from xdsl.passes import ModulePass

from atheena_ir.cost.errors import CostModelError
from atheena_ir.cost.from_ir import design_layers
from atheena_ir.cost.model import CostModel
from atheena_ir.cost.platform import load_platform
from atheena_ir.dse.apply import apply_design
from atheena_ir.dse.budget import Budget
from atheena_ir.dse.constraints import parse_constraints
from atheena_ir.dse.problem import problem_from_design
from atheena_ir.dse.search import explore
from atheena_ir.errors import UserError


@dataclass(frozen=True)
class DsePass(ModulePass):
    """Set every folding factor for the best throughput in a budget (cost-driven DSE)."""

    name = "dse"

    platform: str = "zc706"
    """A built-in platform name or the path of a platform .toml file."""
    budget: float | str = 1.0
    """A fraction of every resource, a percentage, or per-resource limits ("dsp=400 lut=0.5")."""
    objective: str = "throughput"
    """`throughput` (the fastest design in the budget) or `resources` (smallest for `target`)."""
    target: int | float = 0
    """The throughput (samples/s) objective `resources` must reach."""
    algorithm: str = "exact"
    """`exact` (provably optimal) or `anneal` (ATHEENA's simulated annealing)."""
    seed: int = 0
    """Seed of the annealing (the exact search needs none)."""
    batch: int = 1024
    """Samples per batch in the stage throughput B / ((II*B + depth) / f_clk)."""
    constraints: str = ""
    """Constraints on the search, e.g. "conv2d.coarse_out <= 8; @Conv_0.fine = 25"."""
    runs: int = 10
    """Annealing runs (seeds seed, seed+1, ...); the best is kept."""
    fidelity: str = "project"
    """The cost model: `project` or `atheena-v1`."""

    def apply(self, ctx: Context, op: ModuleOp) -> None:
        try:
            board = load_platform(self.platform)
            model = CostModel(self.fidelity)
        except (CostModelError, ValueError) as err:
            raise UserError(f"dse: {err}") from None
        for option, value in (("batch", self.batch), ("runs", self.runs)):
            if value < 1:
                raise UserError(f"dse: {option} must be a positive integer, got {value}")
        budget = Budget.parse(self.budget, board)
        rules = parse_constraints(self.constraints) if self.constraints.strip() else None
        names = [f.sym_name.data for f in op.walk() if isinstance(f, func.FuncOp)
                 and not f.is_declaration]  # fmt: skip
        for name in names:
            layers = design_layers(op, name)
            problem = problem_from_design(
                layers, board, batch=self.batch, model=model, constraints=rules
            )
            design = explore(problem, budget, self.objective, float(self.target) or None,
                             self.algorithm, self.seed, self.runs)  # fmt: skip
            info = {"platform": board.name, "budget": budget.text, "algorithm": self.algorithm,
                    "objective": self.objective}  # fmt: skip
            apply_design(op, layers, problem, design, info)
