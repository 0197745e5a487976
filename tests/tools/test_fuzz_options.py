"""
A hypothesis fuzz over the tools' option values: whatever a user types, an option is either
refused with a message (argparse's exit 2 or a UserError) or accepted with a value that is safe
to use: a budget within the device, positive counts, finite positive seconds, fixed-point types
whose integer bits fit their width. Nothing else may escape (no traceback).
"""

from __future__ import annotations

import math
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from xdsl.utils.exceptions import PassFailedException

from atheena_ir.cost.platform import load_platform
from atheena_ir.dse.budget import Budget
from atheena_ir.errors import UserError
from atheena_ir.passes import get_all_passes
from atheena_ir.passes.lower_to_hws import LowerToHwsPass
from atheena_ir.pipeline import check_pipeline
from atheena_ir.tools import atheena_compile, atheena_csim
from tests.tools.bad_inputs import BLENET

ZC706 = load_platform("zc706")

numbers = st.one_of(
    st.integers(-(10**12), 10**12).map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(repr),
    st.sampled_from(["0", "-0", "1", "1.0", "1e308", "nan", "inf", "-inf", "0x10", "1_000", ""]),
)
percent = numbers.map(lambda n: n + "%")
resource = st.sampled_from(["lut", "ff", "dsp", "bram", "bram18", "LUT", "uram", "x"])
entry = st.builds(lambda r, sep, v: f"{r}{sep}{v}", resource, st.sampled_from(["=", ":", ""]),
                  st.one_of(numbers, percent))  # fmt: skip
budget_texts = st.one_of(
    numbers,
    percent,
    st.lists(entry, min_size=1, max_size=4).map(" ".join),
    st.text(max_size=12),
)


def _accepted_budget(budget: Budget) -> None:
    assert all(math.isfinite(f) and 0 < f <= 1 for f in budget.fractions), budget
    assert (budget.caps(ZC706) <= [ZC706.lut, ZC706.ff, ZC706.dsp, ZC706.bram18]).all()


@given(budget_texts)
def test_a_budget_is_never_larger_than_the_device(text: str) -> None:
    try:
        budget = Budget.parse(text, ZC706)
    except UserError:
        return
    _accepted_budget(budget)


@given(budget=budget_texts, points=numbers, limit=numbers, batch=numbers)
def test_compile_options_are_refused_or_safe(
    budget: str, points: str, limit: str, batch: str, tmp_path_factory: pytest.TempPathFactory
) -> None:
    out = tmp_path_factory.mktemp("fuzz") / "build"
    argv = [str(BLENET), "--budget", budget, "--points", points, "--limit", limit,
            "--batch", batch, "-o", str(out)]  # fmt: skip
    try:
        args = atheena_compile.parser().parse_args(argv)
    except SystemExit as stop:
        assert stop.code == 2  # noqa: PT017 (argparse's refusal, not an error under test)
        return
    try:
        parsed = atheena_compile.check_args(args)
    except UserError:
        assert not out.exists()
        return
    _accepted_budget(parsed)
    assert min(args.points, args.limit, args.batch) >= 1
    assert not out.exists()  # checking writes nothing


@given(limit=numbers, timeout=numbers, watchdog=numbers)
def test_csim_numbers_are_refused_or_finite_and_positive(
    limit: str, timeout: str, watchdog: str
) -> None:
    argv = ["prj", "--inputs", "x.npz", "--limit", limit, "--timeout", timeout,
            "--watchdog", watchdog]  # fmt: skip
    try:
        args = atheena_csim.build_parser().parse_args(argv)
    except SystemExit as stop:
        assert stop.code == 2  # noqa: PT017 (argparse's refusal, not an error under test)
        return
    assert isinstance(args.limit, int)
    assert args.limit >= 1
    for seconds in (args.timeout, args.watchdog):
        assert math.isfinite(seconds)
        assert seconds > 0


@given(
    width=st.integers(-4, 80),
    integer=st.integers(-80, 80),
    which=st.sampled_from(["data", "weight", "acc"]),
)
def test_lower_to_hws_types_are_refused_or_well_formed(
    width: int, integer: int, which: str
) -> None:
    spec = f"lower-to-hws{{{which}-width={width} {which}-int={integer}}}"
    available = {name: factory for name, factory in get_all_passes().items()}
    try:
        (parsed,) = check_pipeline(available, spec)
        types = LowerToHwsPass.from_pass_spec(parsed).types()
    except (UserError, PassFailedException):
        return
    for t in types:
        assert 2 <= t.width.data <= 62
        assert 0 <= t.int_bits.data <= t.width.data


decimal = st.one_of(
    st.integers(-3, 3).map(str),
    st.decimals(-2, 2, places=4, allow_nan=False, allow_infinity=False).map(str),
)


@given(st.lists(decimal, min_size=1, max_size=3))
def test_integer_and_float_spellings_of_exit_probs_agree(values: list[str]) -> None:
    available = dict(get_all_passes())
    spec = f"split-exits{{exit-probs={','.join(values)}}}"
    (parsed,) = check_pipeline(available, spec)  # a UserError fails the test
    probs = available["split-exits"]().from_pass_spec(parsed).exit_probs
    assert probs == tuple(float(v) for v in values)
    assert all(isinstance(p, float) for p in probs)


def test_the_fuzz_reaches_both_outcomes(tmp_path: Path) -> None:
    """The strategies above produce accepted and refused values (the fuzz is not vacuous)."""
    assert Budget.parse("dsp=900 lut=0.5", ZC706).fractions[2] == 1.0
    with pytest.raises(UserError):
        Budget.parse("dsp=901", ZC706)
    args = atheena_compile.parser().parse_args([str(BLENET), "-o", str(tmp_path / "b")])
    assert atheena_compile.check_args(args).fractions == (0.5,) * 4
