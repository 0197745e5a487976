"""Helpers of the bad-input suite: run a tool's main() in-process and hostile IR and files."""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable, Sequence
from pathlib import Path

import pytest

from tests.conftest import REPO

TWO_EXIT_NET = REPO / "examples" / "two_exit_net.mlir"
BLENET = REPO / "examples" / "blenet_mnist.onnx"
_LINEAR = "(tensor<1x4xf32>, tensor<4x4xf32>, tensor<4xf32>) -> tensor<1x4xf32>"


def run_main(
    main: Callable[[Sequence[str]], None], args: Sequence[str], capsys: pytest.CaptureFixture[str]
) -> tuple[int, str, str]:
    """(exit code, stdout, stderr) of `main(args)`; an escaping exception fails the test."""
    capsys.readouterr()
    try:
        main([str(a) for a in args])
        code = 0
    except SystemExit as stop:
        code = stop.code if isinstance(stop.code, int) else (0 if stop.code is None else 1)
    out, err = capsys.readouterr()
    assert "Traceback" not in err
    return code, out, err


def nested_exits(depth: int) -> str:
    """A network of `depth` ee.exit regions, each nested in the previous one's region."""
    lines = [
        "builtin.module {",
        "  func.func @main(%x: tensor<1x4xf32>) -> tensor<1x4xf32> {",
        "    %w = ee.constant dense<0.5> : tensor<4x4xf32>",
        "    %b = ee.constant dense<0.1> : tensor<4xf32>",
    ]
    prev = "%x"
    for i in range(depth):
        pad = "    " + "  " * i
        lines += [
            f"{pad}%l{i} = ee.linear {prev}, %w bias %b : {_LINEAR}",
            f"{pad}%d{i} = ee.exit_decision top1(%l{i}) > 0.9 : tensor<1x4xf32>",
            f"{pad}%e{i} = ee.exit %l{i} if %d{i} : tensor<1x4xf32> else {{",
        ]
        prev = f"%l{i}"
    pad = "    " + "  " * depth
    lines += [f"{pad}%f = ee.linear {prev}, %w bias %b : {_LINEAR}"]
    lines += [f"{pad}ee.yield %f : tensor<1x4xf32>" if depth else ""]
    for i in reversed(range(depth)):
        pad = "    " + "  " * i
        lines.append(f"{pad}}}")
        if i > 0:
            lines.append(f"{pad[:-2]}ee.yield %e{i} : tensor<1x4xf32>")
    result = "%e0" if depth else "%f"
    lines += [f"    func.return {result} : tensor<1x4xf32>", "  }", "}"]
    return "\n".join(line for line in lines if line) + "\n"


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file below `folder` with its bytes (relative POSIX paths)."""
    return {
        p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()
    }


def copy_to(src: Path, folder: Path, name: str | None = None) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    return Path(shutil.copy(src, folder / (name or src.name)))


def children(pid: int) -> list[int]:
    """The ids of the processes whose parent is `pid` (Linux /proc)."""
    found = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            stat = Path(f"/proc/{entry}/stat").read_text()
        except OSError:
            continue
        fields = stat.rsplit(")", 1)[-1].split()
        if int(fields[1]) == pid:
            found.append(int(entry))
    return found


def alive(pid: int) -> bool:
    """True while process `pid` exists and is not a zombie."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[-1].split()[0]
    except OSError:
        return False
    return state != "Z"
