"""
The bad-input suite: hostile and careless input to the five tools, through their command lines
(in-process `main()`; tests/tools/test_faults.py has the ones needing real processes). Every
case ends in one message and a non-zero exit (or a correct result), never a traceback, never a
wrong result with exit 0, and never a changed input or a partial output (docs/outputs.md).
"""

from __future__ import annotations

import json
import os
import pickle
import sys
from pathlib import Path

import numpy as np
import pytest

from atheena_ir.errors import UserError
from atheena_ir.tools import (
    atheena_compile,
    atheena_csim,
    atheena_dse,
    atheena_opt,
    atheena_profile,
    cli,
)
from tests.tools.bad_inputs import (
    BLENET,
    TWO_EXIT_NET,
    copy_to,
    nested_exits,
    run_main,
    snapshot,
)

# ---------------------------------------------------------------- atheena-opt


@pytest.mark.parametrize("spelling", ["same", "dot", "link"])
def test_opt_refuses_to_write_over_its_input(tmp_path: Path, spelling: str, capsys) -> None:
    model = copy_to(TWO_EXIT_NET, tmp_path, "m.mlir")
    before = model.read_bytes()
    output = {"same": model, "dot": tmp_path / "." / "m.mlir", "link": tmp_path / "l.mlir"}
    if spelling == "link":
        os.symlink(model, output["link"])
    code, _, err = run_main(
        atheena_opt.main, [model, "-p", "canonicalize", "-o", output[spelling]], capsys
    )
    assert code == 1
    assert "is the input file" in err
    assert model.read_bytes() == before


def test_opt_ctrl_c_exits_130(monkeypatch, capsys) -> None:
    def interrupted(self: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(atheena_opt.AtheenaOptMain, "run", interrupted)
    code, _, err = run_main(atheena_opt.main, [TWO_EXIT_NET], capsys)
    assert (code, err) == (130, "atheena-opt: interrupted\n")


def test_running_out_of_memory_is_a_message(monkeypatch, capsys) -> None:
    def huge(self: object) -> None:
        raise MemoryError

    monkeypatch.setattr(atheena_opt.AtheenaOptMain, "run", huge)
    code, _, err = run_main(atheena_opt.main, [TWO_EXIT_NET], capsys)
    assert code == 1
    assert "out of memory" in err


def test_150_nested_exits_parse_and_print(tmp_path: Path, capsys) -> None:
    model = tmp_path / "deep.mlir"
    model.write_text(nested_exits(150))
    code, out, _ = run_main(atheena_opt.main, [model, "-p", "canonicalize"], capsys)
    assert code == 0
    assert out.count("ee.exit ") == 150


def test_nesting_beyond_the_stack_is_a_message(tmp_path: Path, monkeypatch, capsys) -> None:
    model = tmp_path / "deep.mlir"
    model.write_text(nested_exits(150))
    monkeypatch.setattr(cli, "RECURSION_LIMIT", 0)  # keep Python's default limit
    limit = sys.getrecursionlimit()
    sys.setrecursionlimit(1000)
    try:
        code, _, err = run_main(atheena_opt.main, [model], capsys)
    finally:
        sys.setrecursionlimit(limit)
    assert code == 1
    assert "nests regions too deeply" in err


@pytest.mark.parametrize(
    ("pipeline", "message"),
    [
        ("fold{coarse=2 coarse=1}", "option 'coarse' given twice"),
        ("split-exits{exit-probs=0.5 exit_probs=0.2}", "Did you mean 'exit-probs'"),
        ("lower-to-hws{data-width=8 data-int=12}", "data-int = 12 must be between 0 and"),
        ("lower-to-hws{weight-int=-1}", "weight-int = -1 must be between 0 and"),
        ("dse{runs=0 algorithm=anneal}", "runs must be a positive integer"),
    ],
)
def test_opt_refuses_wrong_pass_options(pipeline: str, message: str, capsys) -> None:
    code, _, err = run_main(atheena_opt.main, [TWO_EXIT_NET, "-p", pipeline], capsys)
    assert code == 1
    assert message in err


def test_exit_probs_on_a_network_without_exits_is_refused(tmp_path: Path, capsys) -> None:
    model = tmp_path / "plain.mlir"
    model.write_text(nested_exits(0))
    code, _, err = run_main(atheena_opt.main, [model, "-p", "split-exits{exit-probs=0.75}"], capsys)
    assert code == 1
    assert "the network has no ee.exit" in err


def test_integer_spellings_of_float_options_are_accepted(capsys) -> None:
    code, out, err = run_main(
        atheena_opt.main, [TWO_EXIT_NET, "-p", "split-exits{exit-probs=0,0.5}"], capsys
    )
    assert code == 0, err
    assert "ee.exit_merge" in out or "ee.split" in out


def test_hls_into_a_users_folder_leaves_nothing_behind(tmp_path: Path, monkeypatch, capsys) -> None:
    work = tmp_path / "work"
    work.mkdir()
    (work / "notes.txt").write_text("mine")
    monkeypatch.chdir(work)
    around = sorted(os.listdir(tmp_path))
    pipeline = "split-exits{exit-probs=0.5,0.25},fold,lower-to-hws"
    code, _, err = run_main(
        atheena_opt.main, [TWO_EXIT_NET, "-p", pipeline, "-t", 'hls{dir="."}'], capsys
    )
    assert code == 1
    assert "not written by atheena-ir" in err
    assert sorted(os.listdir(tmp_path)) == around  # no staging or `..old.*` folder
    assert snapshot(work) == {"notes.txt": b"mine"}


def test_rewriting_a_project_keeps_the_users_files(tmp_path: Path) -> None:
    from atheena_ir.backends.hls.project import MANIFEST, write_project

    prj = tmp_path / "prj"
    write_project({MANIFEST: "{}", "src/a.cpp": "a", "tb/old.cpp": "old"}, prj)
    (prj / "src" / "mine.cpp").write_text("mine")
    (prj / "model.onnx").write_text("the user's model")
    write_project({MANIFEST: "{}", "src/a.cpp": "a2", "tb/new.cpp": "new"}, prj)
    files = snapshot(prj)
    assert files["src/mine.cpp"] == b"mine"
    assert files["model.onnx"] == b"the user's model"
    assert files["src/a.cpp"] == b"a2"
    assert "tb/old.cpp" not in files  # written by the previous project, no longer produced
    assert files["tb/new.cpp"] == b"new"


# ---------------------------------------------------------------- atheena-profile


def test_profile_refuses_outputs_over_its_inputs(tmp_path: Path, capsys) -> None:
    model = copy_to(TWO_EXIT_NET, tmp_path, "m.mlir")
    data = tmp_path / "d.npz"
    np.savez(data, x=np.zeros((2, 1, 8, 8), np.float32), y=np.zeros(2, np.int64))
    before = (model.read_bytes(), data.read_bytes())
    for extra in (["-o", model, "--threshold", "0.9:0.8"], ["--json", data]):
        code, _, err = run_main(atheena_profile.main, [model, "--data", data, *extra], capsys)
        assert code == 1
        assert "is the input file" in err
    assert (model.read_bytes(), data.read_bytes()) == before


@pytest.mark.parametrize("where", ["missing/out.mlir", "."])
def test_profile_checks_its_outputs_before_the_run(tmp_path: Path, where: str, capsys) -> None:
    model = copy_to(TWO_EXIT_NET, tmp_path, "m.mlir")
    code, out, err = run_main(
        atheena_profile.main,
        [model, "--threshold", "0.9:0.8", "--limit", "1", "-o", tmp_path / where],
        capsys,
    )
    assert code == 1
    assert "does not exist" in err or "is a folder" in err
    assert out == ""  # refused before profiling anything


def test_profile_non_utf8_mlir(tmp_path: Path, capsys) -> None:
    model = tmp_path / "m.mlir"
    model.write_bytes(b"builtin.module {\xff\xfe}\n")
    code, _, err = run_main(atheena_profile.main, [model], capsys)
    assert code == 1
    assert "is not UTF-8 text" in err


def test_profile_npy_data(tmp_path: Path, capsys) -> None:
    np.save(tmp_path / "x.npy", np.zeros((2, 1, 8, 8)))
    code, _, err = run_main(
        atheena_profile.main, [TWO_EXIT_NET, "--data", tmp_path / "x.npy"], capsys
    )
    assert code == 1
    assert "single array (.npy)" in err


# ---------------------------------------------------------------- atheena-csim


GOOD_PORT = {"map": [8, 8, 1], "type": {"width": 16, "int_bits": 8, "rounding": "RND_CONV",
                                        "overflow": "SAT"}}  # fmt: skip
GOOD_MANIFEST = {"top": "main_top", "testbench": "tb/main_top_tb.cpp",
                 "sources": ["src/main_top.cpp"], "inputs": [GOOD_PORT],
                 "outputs": [GOOD_PORT]}  # fmt: skip


def _write_bad_inputs(path: Path, kind: str) -> None:
    arrays = {
        "strings": np.array([["a", "b"]]),
        "empty": np.zeros((0, 1, 8, 8)),
        "scalar": np.array(3.0),
        "nan": np.full((1, 1, 8, 8), np.nan),
        "inf": np.full((1, 1, 8, 8), np.inf),
        "complex": np.ones((1, 1, 8, 8)) * 1j,
        "bool": np.ones((1, 1, 8, 8), bool),
    }
    if kind in arrays:
        np.savez(path, x=arrays[kind])
    elif kind == "objects":
        np.savez(path, x=np.array([object(), 1], dtype=object))
    elif kind == "two-arrays":
        np.savez(path, a=np.zeros((1, 2)), b=np.zeros((1, 2)))
    elif kind == "pickle":
        path.write_bytes(pickle.dumps({"x": np.zeros((1, 1, 8, 8))}))
    elif kind == "not-zip":
        path.write_bytes(b"PK\x03\x04 but not a zip archive")
    elif kind == "random":
        path.write_bytes(np.random.default_rng(0).bytes(300))
    elif kind == "empty-file":
        path.write_bytes(b"")
    elif kind == "npy":
        with open(path, "wb") as f:
            np.save(f, np.zeros((1, 1, 8, 8)))
    else:
        raise AssertionError(kind)


CSIM_INPUTS = {
    "strings": "dtype <U1",
    "empty": "shape [0, 1, 8, 8]",
    "scalar": "shape []",
    "nan": "NaN or infinite",
    "inf": "NaN or infinite",
    "complex": "dtype complex128",
    "bool": "dtype bool",
    "objects": "allow_pickle=False",
    "two-arrays": "name the inputs 'x'",
    "pickle": "pickled (object) data",
    "not-zip": "cannot read",
    "random": "cannot read",
    "empty-file": "cannot read",
    "npy": "single array (.npy)",
}


@pytest.mark.parametrize(("kind", "message"), CSIM_INPUTS.items())
def test_csim_refuses_bad_input_files(tmp_path: Path, kind: str, message: str, capsys) -> None:
    prj = tmp_path / "prj"  # a project the inputs would reach: only the inputs are wrong
    prj.mkdir()
    (prj / "atheena_project.json").write_text(json.dumps(GOOD_MANIFEST))
    inputs = tmp_path / "x.npz"
    _write_bad_inputs(inputs, kind)
    code, _, err = run_main(atheena_csim.main, [prj, "--inputs", inputs], capsys)
    assert code == 1
    assert err.startswith("atheena-csim: error: ")
    assert message in err


@pytest.mark.parametrize(
    "option",
    [["--limit", "0"], ["--limit", "-1"], ["--limit", "x"], ["--timeout", "nan"],
     ["--timeout", "0"], ["--timeout", "inf"], ["--stall-cycles", "0"], ["--cycle-limit", "-1"],
     ["--min-fifo-depth", "x"], ["--clock-mhz", "nan"]],
)  # fmt: skip
def test_csim_refuses_bad_numbers(tmp_path: Path, option: list[str], capsys) -> None:
    np.savez(tmp_path / "x.npz", x=np.zeros((2, 1, 8, 8)))
    code, _, err = run_main(
        atheena_csim.main, [tmp_path, "--inputs", tmp_path / "x.npz", *option], capsys
    )
    assert code == 2
    assert "expected a positive" in err


@pytest.mark.parametrize(
    ("manifest", "message"),
    [
        ("{not json", "not a readable project manifest"),
        ("[]", "expected a JSON object"),
        ({**GOOD_MANIFEST, "top": "../../x"}, "'top' must be a C identifier"),
        ({**GOOD_MANIFEST, "top": 'a"; system("x'}, "'top' must be a C identifier"),
        ({**GOOD_MANIFEST, "testbench": "../../etc/passwd"}, "not a file path inside"),
        ({**GOOD_MANIFEST, "sources": ['x.cpp"\n#include "/etc/passwd']}, "not a file path"),
        ({**GOOD_MANIFEST, "sources": ["/etc/passwd"]}, "not a file path inside"),
        ({k: v for k, v in GOOD_MANIFEST.items() if k != "outputs"}, "missing field 'outputs'"),
        ({**GOOD_MANIFEST, "inputs": [{**GOOD_PORT, "map": [8, 0, 1]}]}, "'map' must be"),
        ({**GOOD_MANIFEST, "inputs": [{**GOOD_PORT, "type": {"width": 99}}]}, "'type' must"),
        ({**GOOD_MANIFEST, "inputs": []}, "must list one port"),
    ],
)
def test_csim_refuses_bad_manifests(tmp_path: Path, manifest: object, message: str, capsys) -> None:
    from atheena_ir.csim.simulate import MANIFEST

    prj = tmp_path / "prj"
    prj.mkdir()
    text = manifest if isinstance(manifest, str) else json.dumps(manifest)
    (prj / MANIFEST).write_text(text)
    np.savez(tmp_path / "x.npz", x=np.zeros((2, 1, 8, 8)))
    code, _, err = run_main(atheena_csim.main, [prj, "--inputs", tmp_path / "x.npz"], capsys)
    assert code == 1
    assert message in err
    assert sorted(snapshot(tmp_path)) == [f"prj/{MANIFEST}", "x.npz"]  # nothing built anywhere


def test_csim_refuses_to_write_over_its_inputs(tmp_path: Path, capsys) -> None:
    inputs = tmp_path / "x.npz"
    np.savez(inputs, x=np.zeros((2, 1, 8, 8)))
    before = inputs.read_bytes()
    code, _, err = run_main(atheena_csim.main, [tmp_path, "--inputs", inputs, "-o", inputs], capsys)
    assert code == 1
    assert "is the input file" in err
    assert inputs.read_bytes() == before


def test_csim_refuses_to_write_over_the_projects_files(tmp_path: Path, capsys) -> None:
    from atheena_ir.backends.hls.project import MANIFEST, write_project

    prj = tmp_path / "prj"
    write_project({MANIFEST: json.dumps(GOOD_MANIFEST), "src/main_top.cpp": "code"}, prj)
    np.savez(tmp_path / "x.npz", x=np.zeros((2, 1, 8, 8)))
    before = snapshot(prj)
    for target in (prj / MANIFEST, prj / "src" / "main_top.cpp"):
        code, _, err = run_main(
            atheena_csim.main, [prj, "--inputs", tmp_path / "x.npz", "-o", target], capsys
        )
        assert code == 1
        assert "is the input file" in err
    assert snapshot(prj) == before


def test_an_nhwc_batch_is_not_read_as_nchw() -> None:
    from atheena_ir.csim.simulate import format_inputs

    manifest = {**GOOD_MANIFEST, "inputs": [{**GOOD_PORT, "map": [4, 4, 3]}]}
    assert format_inputs(manifest, np.zeros((2, 3, 4, 4))).startswith("2\n")
    with pytest.raises(UserError, match=r"not \[N, C, H, W\]"):
        format_inputs(manifest, np.zeros((2, 4, 4, 3)))
    with pytest.raises(UserError, match="real numbers"):
        format_inputs(manifest, np.zeros((2, 3, 4, 4), complex))


# ---------------------------------------------------------------- atheena-dse


@pytest.mark.parametrize(
    ("options", "message"),
    [
        (["--algorithm", "anneal", "--runs", "0"], "--runs must be a positive integer"),
        (["--points", "0"], "--points must be at least 1"),
        (["--points", "-3"], "--points must be at least 1"),
        (["--batch", "0"], "--batch must be a positive integer"),
        (["--jobs", "0"], "--jobs must be a positive integer"),
        (["--budgets", "nan"], "--budgets: give fractions"),
        (["--exit-probs", "x"], "--exit-probs: give one fraction"),
    ],
)
def test_dse_refuses_bad_options(tmp_path: Path, options: list[str], message: str, capsys) -> None:
    out = tmp_path / "front"
    code, _, err = run_main(atheena_dse.main, [BLENET, *options, "-o", out], capsys)
    assert code == 1
    assert message in err
    assert not out.exists()


@pytest.mark.parametrize(
    ("clock", "message"),
    [("nan", "clock_mhz must be positive and finite"), ("inf", "must be positive and finite"),
     ("1e308", "beyond any FPGA")],
)  # fmt: skip
def test_dse_refuses_non_finite_platforms(tmp_path: Path, clock: str, message: str, capsys) -> None:
    board = tmp_path / "board.toml"
    board.write_text(
        f'name = "b"\nclock_mhz = {clock}\n[resources]\nlut = 1000\nff = 2000\ndsp = 10\n'
        "bram18 = 20\n"
    )
    code, _, err = run_main(
        atheena_dse.main, [BLENET, "--platform", board, "-o", tmp_path / "f"], capsys
    )
    assert code == 1
    assert message in err


def test_dse_output_that_is_a_file(tmp_path: Path, capsys) -> None:
    (tmp_path / "front").write_text("mine")
    code, _, err = run_main(atheena_dse.main, [BLENET, "-o", tmp_path / "front"], capsys)
    assert code == 1
    assert "is a file, not a folder" in err
    assert (tmp_path / "front").read_text() == "mine"


def test_a_network_without_macs(tmp_path: Path, capsys) -> None:
    import onnx
    from onnx import TensorProto, helper

    x = helper.make_tensor_value_info("input", TensorProto.FLOAT, [1, 2, 4, 4])
    y = helper.make_tensor_value_info("out", TensorProto.FLOAT, [1, 2, 2, 2])
    nodes = [
        helper.make_node("Relu", ["input"], ["r"]),
        helper.make_node("MaxPool", ["r"], ["out"], kernel_shape=[2, 2], strides=[2, 2]),
    ]
    graph = helper.make_graph(nodes, "no_macs", [x], [y])
    onnx.save(helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)]),
              tmp_path / "m.onnx")  # fmt: skip
    code, _, err = run_main(
        atheena_dse.main,
        [tmp_path / "m.onnx", "--budgets", "1", "--jobs", "1", "-q", "-o", tmp_path / "f"],
        capsys,
    )
    assert code == 0, err

    def no_nan(token: str) -> float:
        raise AssertionError(f"{token} in front.json")

    front = json.loads((tmp_path / "f" / "front.json").read_text(), parse_constant=no_nan)
    assert front["ideal_ratio"] is None  # no MACs: the ratio is undefined, not a crash


# ---------------------------------------------------------------- atheena-compile


@pytest.mark.parametrize(
    ("options", "message"),
    [
        (["--points", "-3"], "--points must be a positive integer"),
        (["--limit", "-5"], "--limit must be a positive integer"),
        (["--limit", "0"], "--limit must be a positive integer"),
        (["--batch", "0"], "--batch must be a positive integer"),
        (["--baseline", "missing.onnx"], "--baseline missing.onnx: no such file"),
        (["--data", "missing.npz"], "--data missing.npz: no such file"),
        (["--budget", "lut=10000000 ff=10000000 dsp=100000 bram=100000"], "has only 218600 LUT"),
        (["--budget", "dsp=901"], "zc706 has only 900 DSP"),
        (["--budget", "1.5"], "is not a fraction"),
        (["--budget", "nan"], "budget"),
    ],
)
def test_compile_checks_everything_before_step_1(
    tmp_path: Path, options: list[str], message: str, capsys
) -> None:
    out = tmp_path / "build"
    code, _, err = run_main(atheena_compile.main, [BLENET, *options, "-o", out], capsys)
    assert code == 1
    assert message in err
    assert "[1/6]" not in err
    assert not out.exists()


def test_compile_refuses_an_output_file_and_a_foreign_hls_folder(tmp_path: Path, capsys) -> None:
    (tmp_path / "file").write_text("mine")
    code, _, err = run_main(atheena_compile.main, [BLENET, "-o", tmp_path / "file"], capsys)
    assert (code, "is a file, not a folder" in err) == (1, True)
    (tmp_path / "build" / "hls").mkdir(parents=True)
    (tmp_path / "build" / "hls" / "Makefile").write_text("mine")
    code, _, err = run_main(atheena_compile.main, [BLENET, "-o", tmp_path / "build"], capsys)
    assert (code, "is not an HLS project written by atheena-ir" in err) == (1, True)
    assert snapshot(tmp_path) == {"file": b"mine", "build/hls/Makefile": b"mine"}


def test_a_design_over_the_device_is_never_a_result() -> None:
    from atheena_ir.cost.platform import parse_platform
    from atheena_ir.dse.design import evaluate
    from atheena_ir.dse.load import problems
    from atheena_ir.dse.search import check_fits_device

    tiny = parse_platform(
        'name = "tiny"\nclock_mhz = 100\n[resources]\nlut = 1000\nff = 1000\ndsp = 1\nbram18 = 1\n'
    )
    problem, _ = problems(BLENET, tiny, [0.5])
    design = evaluate(problem, [0] * len(problem.layers))  # the smallest folding of every layer
    with pytest.raises(UserError, match="does not fit tiny: it needs"):
        check_fits_device(problem, design)


def test_a_clash_in_a_project_folder_moves_no_file(tmp_path: Path) -> None:
    from atheena_ir.backends.hls.project import MANIFEST, write_project

    prj = tmp_path / "prj"
    write_project({MANIFEST: "{}", "a.cpp": "a", "src/b.cpp": "b"}, prj)
    (prj / "src" / "b.cpp").unlink()
    (prj / "src").rmdir()
    (prj / "src").write_text("a user's file where the project needs a folder")
    before = snapshot(prj)
    with pytest.raises(UserError, match="is a file; it would need a folder"):
        write_project({MANIFEST: "{}", "a.cpp": "a2", "src/b.cpp": "b2"}, prj)
    assert snapshot(prj) == before
