"""
The tutorials run as written (tests/doc_blocks.py has the conventions): their python blocks in
one namespace per page, then every `test_*` function they define; the output they print;
their console commands; their IR; and their excerpts, which must still be in the files named.
"""

from __future__ import annotations

import contextlib
import importlib
import io
import os
import shlex
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
from xdsl.parser import Parser
from xdsl.utils.mlir_lexer import MLIRTokenKind

import atheena_ir
from tests.conftest import REPO
from tests.doc_blocks import FencedBlock, fenced_blocks, is_excerpt, matches

TUTORIALS = sorted((REPO / "docs").glob("tutorial_*.md"))
NOT_RUN = {"sh", "toml", ""}
"""Blocks shown, not run: commands that write the repository or run whole suites, config files."""


def _blocks(page: Path) -> list[FencedBlock]:
    return fenced_blocks(page.read_text())


def _parse_ops(text: str) -> None:
    parser = Parser(atheena_ir.context(), text)
    while parser._current_token.kind is not MLIRTokenKind.EOF:
        parser.parse_op().verify()


@pytest.mark.parametrize("page", TUTORIALS, ids=lambda p: p.name)
def test_every_block_is_run_or_checked(page: Path) -> None:
    for block in _blocks(page):
        where = block.where(page.name)
        assert block.lang in {"python", "mlir", "cpp", "console", "text", *NOT_RUN}, where
        if block.lang in ("cpp", "text"):
            assert "excerpt" in block.options or "output" in block.options, (
                f"{where}: a {block.lang} block is an excerpt=FILE or the output of the one before"
            )


@pytest.mark.parametrize("page", TUTORIALS, ids=lambda p: p.name)
def test_excerpts_are_in_their_files(page: Path) -> None:
    for block in _blocks(page):
        if "excerpt" in block.options:
            path = REPO / block.options["excerpt"]
            assert path.is_file(), f"{block.where(page.name)}: no file {path}"
            assert is_excerpt(block.text, path.read_text()), (
                f"{block.where(page.name)}: the excerpt is no longer in {block.options['excerpt']}"
            )


@pytest.mark.parametrize("page", TUTORIALS, ids=lambda p: p.name)
def test_ir_blocks_parse_and_verify(page: Path) -> None:
    for block in _blocks(page):
        if block.lang == "mlir" and not block.options:
            try:
                _parse_ops(block.text)
            except Exception as e:
                pytest.fail(f"{block.where(page.name)}: {e}")


@pytest.mark.parametrize("page", TUTORIALS, ids=lambda p: p.name)
def test_python_blocks_run_and_print_what_is_shown(
    page: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(REPO)  # the tutorials' paths are relative to the repository
    namespace: dict[str, object] = {"__name__": f"tutorial_{page.stem}"}
    blocks = _blocks(page)
    for i, block in enumerate(blocks):
        if block.lang != "python" or block.options:
            continue
        out = io.StringIO()
        with contextlib.redirect_stdout(out):
            exec(compile(block.text, block.where(page.name), "exec"), namespace)
        shown = blocks[i + 1] if i + 1 < len(blocks) else None
        if shown is not None and "output" in shown.options:
            assert matches(shown.text, out.getvalue()), (
                f"{block.where(page.name)} prints:\n{out.getvalue()}"
            )
    for name, test in list(namespace.items()):
        if name.startswith("test_") and callable(test):
            test()


@pytest.mark.parametrize("page", TUTORIALS, ids=lambda p: p.name)
def test_console_commands_print_what_is_shown(page: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(REPO)
    for block in _blocks(page):
        if block.lang != "console":
            continue
        for command, expected in _commands(block.text):
            printed = _run(command)
            assert "Traceback" not in printed, f"{command}:\n{printed}"
            assert matches(expected, printed), (
                f"{block.where(page.name)}: `{command}` prints:\n{printed}"
            )


def _run(command: str) -> str:
    """What `command` prints (stdout, then stderr). The project's tools run in this process
    (each would take seconds to start); `| grep WORD` filters their lines; anything else runs
    in a shell."""
    tool, _, rest = command.partition(" ")
    scripts = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]["scripts"]
    words = shlex.split(rest)
    grep = words[-2:] if len(words) > 2 and words[-3] == "|" and words[-2] == "grep" else None
    if tool not in scripts or ("|" in words and grep is None):
        env = {
            **os.environ,
            "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}",
        }
        done = subprocess.run(
            command, shell=True, env=env, capture_output=True, text=True, timeout=300
        )
        return done.stdout + done.stderr
    module, _, function = scripts[tool].partition(":")
    main = getattr(importlib.import_module(module), function)
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            main(words[:-3] if grep else words)
        except SystemExit:
            pass
    printed = out.getvalue()
    if grep:
        printed = "".join(line + "\n" for line in printed.splitlines() if grep[1] in line)
    return printed + err.getvalue()


def _commands(text: str) -> list[tuple[str, str]]:
    """`$ command` lines, each with the output lines after it."""
    commands: list[tuple[str, str]] = []
    for line in text.splitlines():
        if line.startswith("$ "):
            shlex.split(line[2:])  # a command a reader can paste
            commands.append((line[2:], ""))
        elif commands:
            command, expected = commands[-1]
            commands[-1] = (command, expected + line + "\n")
    return commands
