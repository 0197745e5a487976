"""Design-space exploration: choose every folding factor for a platform and a budget.

- `problem`: the search problem built from the IR (`build_problem`), `configs` every legal
  folding of a layer evaluated at once, `pareto` the pruning of dominated configurations;
- `exact`: the provably optimal search (a MILP, docs/dse.md), `greedy` its first incumbent;
- `anneal`: ATHEENA's simulated annealing, the baseline;
- `search.explore`: one search with clear errors for infeasible requests;
- `budget`, `constraints` (a lark grammar), `design` (a chosen design and its exact cost),
  `apply` (write it into the IR), `front` (Pareto fronts over budgets), `baseline` (the
  network without its exits), `macs`, `plot`.
"""

from atheena_ir.dse.budget import RESOURCES, Budget
from atheena_ir.dse.constraints import Constraints, parse_constraints
from atheena_ir.dse.design import Design, evaluate
from atheena_ir.dse.problem import Problem, build_problem, problem_from_design
from atheena_ir.dse.search import Algorithm, Objective, explore

__all__ = [
    "RESOURCES",
    "Algorithm",
    "Budget",
    "Constraints",
    "Design",
    "Objective",
    "Problem",
    "build_problem",
    "evaluate",
    "explore",
    "parse_constraints",
    "problem_from_design",
]
