"""
The README's commands run as written: the set-up is two commands; every shipped file they name
exists; the cheap `atheena-opt` lines run with exit code 0 in the repository's root; every other
tool line parses with that tool's own argument parser (the slow ones, compile, sweep and
C simulation, are run by their own tests).
"""

from __future__ import annotations

import os
import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import REPO

README = (REPO / "README.md").read_text()
BIN = Path(sys.executable).parent
MADE_BY_COMMANDS = {"x.npz", "hls_project", "results.npz", "front/", "out.mlir", "blenet_zc706"}


def blocks(section: str) -> list[str]:
    """The ```sh blocks between heading `section` and the next heading of its level."""
    level = section.split(" ")[0]
    body = README.split(f"\n{section}\n")[1]
    body = re.split(rf"\n{level} ", body)[0]
    return re.findall(r"```sh\n(.*?)```", body, re.S)


def commands(section: str) -> list[list[str]]:
    """Every command of the section's sh blocks (continuations joined, comments dropped)."""
    out = []
    for block in blocks(section):
        for line in block.replace("\\\n", " ").splitlines():
            words = shlex.split(line, comments=True)
            if words:
                out.append(words)
    return out


def test_set_up_is_two_commands() -> None:
    setup = blocks("## Set-up on a fresh machine")
    assert len(setup) == 2
    assert all(block.count("\n") == 1 for block in setup)
    assert "pip install -e ." in setup[0]


def test_every_file_the_commands_name_ships_with_the_project() -> None:
    named = {
        word
        for section in ("## Usage", "### From ONNX to C simulation")
        for cmd in commands(section)
        for word in cmd
        if re.fullmatch(r"[\w./-]+\.(onnx|mlir|npz)|[\w-]+/[\w./-]*", word)
    }
    made = {m.rstrip("/") for m in MADE_BY_COMMANDS}
    missing = [
        w
        for w in sorted(named)
        if not (REPO / w).exists() and w.rstrip("/").split("/")[0] not in made
    ]
    assert missing == []


CHEAP = [c for c in commands("## Usage") if c[0] == "atheena-opt" and "-p" not in c[1:3]]


@pytest.mark.parametrize("cmd", CHEAP, ids=lambda c: " ".join(c[1:3]))
def test_cheap_atheena_opt_lines_run(cmd: list[str], tmp_path: Path) -> None:
    cmd = [c if c != "out.mlir" else str(tmp_path / "out.mlir") for c in cmd]
    env = {**os.environ, "PATH": f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}"}
    done = subprocess.run(cmd, cwd=REPO, capture_output=True, text=True, timeout=600, env=env)
    assert done.returncode == 0, done.stderr


def test_other_tool_lines_parse() -> None:
    from atheena_ir.tools import atheena_compile, atheena_csim, atheena_dse, atheena_profile

    parsers = {
        "atheena-compile": atheena_compile.parser,
        "atheena-dse": atheena_dse.parser,
        "atheena-profile": atheena_profile.build_parser,
        "atheena-csim": atheena_csim.build_parser,
    }
    seen = set()
    for section in ("## Set-up on a fresh machine", "## Usage", "### From ONNX to C simulation"):
        for cmd in commands(section):
            for part in " ".join(cmd).split(" && "):
                words = part.split()
                tool = Path(words[0]).name
                if tool in parsers:
                    parsers[tool]().parse_args(words[1:])
                    seen.add(tool)
    assert seen == set(parsers)
