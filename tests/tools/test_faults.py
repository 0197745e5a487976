"""
Faults the bad-input suite cannot show in-process: a tool killed during its Pareto sweep (its
workers must die with it), `atheena-compile` against the baseline at a per-resource budget and
over an output folder the user has files in, and the C-simulation cache (one small g++ build; the
output path of atheena-csim is checked by tests/hls/test_project_files.py, which simulates anyway).
"""

from __future__ import annotations

import os
import shutil
import signal
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest

from atheena_ir.cost.platform import load_platform
from atheena_ir.csim import compile_program, run_program
from atheena_ir.dse.budget import Budget
from atheena_ir.dse.load import problems
from atheena_ir.dse.search import explore
from atheena_ir.errors import UserError
from atheena_ir.outputs import RECORD
from tests.tools.bad_inputs import BLENET, alive, children, copy_to, snapshot

BIN = Path(sys.executable).parent
HAVE_GXX = shutil.which("g++") is not None


def _wait_for(condition, timeout: float, step: float = 0.1) -> bool:
    """Poll `condition` for about `timeout` seconds (a hang guard; no clock is read)."""
    for _ in range(int(timeout / step)):
        if condition():
            return True
        time.sleep(step)
    return condition()


def test_sweep_workers_die_with_the_tool(tmp_path: Path) -> None:
    """Two sweeps at once: one killed by SIGKILL, one stopped by SIGTERM, both mid-sweep."""
    options = "--exit-probs 0.75 --algorithm anneal --runs 200 --points 8 --jobs 2".split()
    tools = {}
    for sig in (signal.SIGKILL, signal.SIGTERM):
        out = tmp_path / sig.name / "front"
        out.parent.mkdir()
        command = [str(BIN / "atheena-dse"), str(BLENET), *options, "-o", str(out)]
        tools[sig] = subprocess.Popen(
            command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
        )
    try:
        for tool in tools.values():
            assert _wait_for(lambda t=tool: len(children(t.pid)) >= 2, timeout=300), "no workers"
        workers = {sig: children(tool.pid) for sig, tool in tools.items()}
        errors = {}
        for sig, tool in tools.items():
            tool.send_signal(sig)
        for sig, tool in tools.items():
            # a caller reading the output must not hang: no worker holds the pipes any more
            errors[sig] = tool.communicate(timeout=120)[1]
    finally:
        for tool in tools.values():
            if tool.poll() is None:
                tool.kill()
                tool.wait()
    for sig, pids in workers.items():
        assert _wait_for(lambda p=pids: not any(alive(w) for w in p), timeout=60), sig.name
        assert os.listdir(tmp_path / sig.name) == []  # no output, no staging folder
    assert tools[signal.SIGTERM].returncode == 128 + signal.SIGTERM
    assert errors[signal.SIGTERM].endswith("atheena-dse: terminated\n")
    assert "Traceback" not in errors[signal.SIGTERM]


def _compile(*args: object) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(BIN / "atheena-compile"), *map(str, args), "-q"],
        capture_output=True,
        text=True,
        timeout=900,
    )


def test_compile_per_resource_budget_and_a_folder_with_user_files(tmp_path: Path) -> None:
    out = tmp_path / "build"
    model = copy_to(BLENET, out)  # the model sits in the output folder
    (out / "hls").mkdir()
    (out / "hls" / RECORD).write_text("[]\n")  # the record an earlier run leaves
    (out / "hls" / "notes.txt").write_text("mine")
    done = _compile(model, "--exit-probs", "0.75", "--budget", "dsp=200", "--points", "1", "-o",
                    out)  # fmt: skip
    assert done.returncode == 0, done.stderr
    # The baseline at exactly dsp=200 (the whole device otherwise), searched independently.
    zc706 = load_platform("zc706")
    _, base = problems(BLENET, zc706, [0.75])
    at_budget = explore(base, Budget.parse("dsp=200", zc706)).throughput
    whole_device = explore(base, Budget.fraction(1.0)).throughput
    assert at_budget < whole_device / 2  # the old code compared against the whole device
    assert f"no-exit baseline at the same budget {at_budget:,.0f} samples/s" in done.stdout
    files = snapshot(out)
    assert files["hls/notes.txt"] == b"mine"
    assert files[model.name] == BLENET.read_bytes()
    assert "hls/atheena_project.json" in files
    assert "design.ee.mlir" in files

    # A failure after step 1 (the baseline has exits) leaves every output as it was.
    done = _compile(model, "--exit-probs", "0.9", "--baseline", model, "-o", out)
    assert done.returncode == 1
    assert "has exits" in done.stderr
    assert snapshot(out) == files
    assert sorted(p.name for p in tmp_path.iterdir()) == ["build"]


@pytest.mark.skipif(not HAVE_GXX, reason="needs g++")
def test_the_csim_cache_never_runs_a_planted_program(tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    source = '#include <cstdio>\nint main() { std::puts("built"); }\n'
    exe = compile_program(source, name="hello", cache_dir=cache)
    assert stat.S_IMODE(cache.stat().st_mode) == 0o700
    exe.write_text("#!/bin/sh\necho planted\n")  # someone swaps the cached program
    again = compile_program(source, name="hello", cache_dir=cache)
    assert run_program(again).stdout == "built\n"
    os.chmod(cache, 0o777)
    compile_program(source, name="hello", cache_dir=cache)
    assert stat.S_IMODE(cache.stat().st_mode) == 0o700  # tightened again
    with pytest.raises(UserError, match="bad program name"):
        compile_program(source, name="../escape", cache_dir=cache)
    if os.getuid() == 0:  # only root can hand a folder to another user
        foreign = tmp_path / "foreign"
        foreign.mkdir(mode=0o700)
        os.chown(foreign, 4242, 4242)
        with pytest.raises(UserError, match="belongs to user id 4242"):
            compile_program(source, name="hello", cache_dir=foreign)
        with pytest.raises(UserError, match="lies in a folder of user id 4242"):
            compile_program(source, name="hello", cache_dir=foreign / "inside")
