"""The constraint language: parsing, error positions, and designs that honour every rule."""

from __future__ import annotations

import pytest

from atheena_ir.dse import Budget, explore, parse_constraints
from atheena_ir.errors import UserError
from tests.dse.helpers import blenet_problem

RULES = (
    "conv2d.coarse_out <= 2; linear.coarse_in == 1\n"
    "@Conv_3.coarse_in = 5  # pinned\n"
    "maxpool2d.coarse != 2; *.fine >= 1\n"
    "stage(0).DSP <= 60; stage(1).bram <= 20%"
)


def test_parse_every_form():
    rules = parse_constraints(RULES).rules
    assert [r.text for r in rules] == [
        "conv2d.coarse_out <= 2", "linear.coarse_in == 1", "@Conv_3.coarse_in = 5",
        "maxpool2d.coarse != 2", "*.fine >= 1", "stage(0).DSP <= 60", "stage(1).bram <= 20%",
    ]  # fmt: skip
    assert (rules[2].where.line, rules[2].where.column) == (2, 1)
    assert parse_constraints("").rules == []
    assert parse_constraints(';\n@"odd/name".fine = 1;').rules[0].selector == ("layer", "odd/name")


@pytest.mark.parametrize(
    ("text", "line", "column", "words"),
    [
        ("conv2d.coarse_out <== 8", 1, 21, "expected an integer"),
        ("conv2d.coarse <= 8;\nlinear.fast = 1", 2, 8, "folding factor"),
        ("stage(0).DSP >= 3", 1, 14, "takes '<=' or '<'"),
        ("conv2d.fine <=", 1, 15, "expected an integer"),
        ("stage(x).DSP <= 3", 1, 7, "unexpected"),
        ("conv2d coarse_in = 1", 1, 8, "unexpected"),
    ],
)
def test_syntax_errors_point_at_line_and_column(text, line, column, words):
    with pytest.raises(UserError) as info:
        parse_constraints(text)
    message = str(info.value)
    assert message.startswith(f"constraints:{line}:{column}: ")
    assert words in message
    caret = message.splitlines()[-1]
    assert caret.index("^") - 2 == column - 1


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("@Conv_9.fine = 1", "no layer named 'Conv_9'"),
        ("conv3d.fine = 1", "no layer of kind 'conv3d'"),
        ("conv2d.fine = 7", "leaves layer Conv_0 no folding (fine can be 1, 5, 25 there)"),
        ("stage(4).DSP <= 3", "there is no stage 4"),
    ],
)
def test_semantic_errors_name_the_rule(text, words):
    with pytest.raises(UserError, match="constraints:1:1: ") as info:
        blenet_problem(text)
    assert words in str(info.value)


@pytest.mark.parametrize("algorithm", ["exact", "anneal"])
def test_chosen_design_honours_every_constraint(algorithm):
    # annealing starts at fine = K*K (as ATHEENA), which a 60-DSP stage 0 cannot hold
    dsp = 60 if algorithm == "exact" else 200
    problem = blenet_problem(RULES.replace("DSP <= 60", f"DSP <= {dsp}"))
    design = explore(problem, Budget.fraction(0.6), algorithm=algorithm, runs=2)
    folds = design.foldings(problem)
    for layer in problem.layers:
        f = folds[layer.name]
        if layer.kind == "conv2d":
            assert f.coarse_out <= 2
        if layer.kind == "linear":
            assert f.coarse_in == 1
        if layer.kind == "maxpool2d":
            assert f.coarse_in != 2
    assert folds["Conv_3"].coarse_in == 5
    assert design.stage_resources[0][2] <= dsp
    assert design.stage_resources[1][3] <= 0.2 * problem.platform.bram18


def test_constraints_lower_throughput_but_never_raise_it():
    free = explore(blenet_problem(), Budget.fraction(0.6))
    bound = explore(blenet_problem(RULES), Budget.fraction(0.6))
    assert bound.throughput <= free.throughput


def test_unsatisfiable_stage_caps():
    with pytest.raises(UserError, match="per-stage resource caps"):
        explore(blenet_problem("stage(0).DSP <= 3"), Budget.fraction(1.0))
