"""Compile C-simulation programs with g++ against the ap_types headers and the project's headers.

The Xilinx arbitrary-precision headers (`ap_fixed.h`, `ap_int.h`; Apache-2.0) come from the
installed `hls4ml` wheel (`hls4ml/templates/vivado/ap_types/`, the `csim` extra); they are
located without importing hls4ml and never downloaded. That folder also holds hls4ml's own
unbounded `hls_stream.h`: the project's `include/sim/` folder is therefore passed first with `-I`
and the ap_types folder last with `-isystem`, so `#include <hls_stream.h>` always finds the
bounded FIFO of the timed simulation.
"""

from __future__ import annotations

import hashlib
import importlib.util
import os
import shutil
import subprocess
import tempfile
from collections.abc import Sequence
from pathlib import Path

from atheena_ir.backends.hls import INCLUDE_DIR, SIM_INCLUDE_DIR
from atheena_ir.errors import UserError

BASE_FLAGS = ("-std=c++17", "-pthread")
"""Flags of every C-simulation build."""
DEFAULT_OPT = "-O1"
WARNING_FLAGS = ("-Wall", "-Wextra", "-Wno-unknown-pragmas")
"""Warnings for checking generated code; the ap_types headers are system headers (`-isystem`)."""
MAX_ERROR_LINES = 25
_HEADER_SUFFIXES = (".h", ".hpp")


def find_compiler(name: str = "g++") -> str:
    """The path of the C++ compiler, or a UserError saying how to get one."""
    path = shutil.which(name)
    if path is None:
        raise UserError(
            f"C simulation needs the C++ compiler '{name}' (C++17, e.g. g++ >= 9), which is not on "
            "PATH: install it (Debian/Ubuntu: apt-get install g++)"
        )
    return path


def find_ap_types() -> Path:
    """The folder of the Xilinx ap_types headers shipped in the installed hls4ml package."""
    spec = importlib.util.find_spec("hls4ml")
    roots = list(spec.submodule_search_locations or []) if spec is not None else []
    for root in roots:
        folder = Path(root) / "templates" / "vivado" / "ap_types"
        if (folder / "ap_fixed.h").is_file() and (folder / "ap_int.h").is_file():
            return folder
    where = "is not installed" if not roots else "does not contain templates/vivado/ap_types"
    raise UserError(
        f"C simulation needs the Xilinx ap_fixed/ap_int headers, but hls4ml {where}: install the "
        "csim extra (pip install 'atheena-ir[csim]'), which brings the hls4ml wheel that ships them"
    )


def include_flags() -> list[str]:
    """`-I`/`-isystem` flags in the order that makes the project's `hls_stream.h` win."""
    return ["-I", str(SIM_INCLUDE_DIR), "-I", str(INCLUDE_DIR), "-isystem", str(find_ap_types())]


def _headers_digest() -> str:
    digest = hashlib.sha256()
    for path in sorted(INCLUDE_DIR.rglob("*")):
        if path.suffix in _HEADER_SUFFIXES:
            digest.update(str(path.relative_to(INCLUDE_DIR)).encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()


def default_cache_dir() -> Path:
    """Where compiled programs are cached by content hash (per user, in the temp folder)."""
    return Path(tempfile.gettempdir()) / f"atheena-csim-{os.getuid()}"


def compile_program(
    source: str | Path,
    *,
    name: str = "csim",
    output: Path | None = None,
    cache_dir: Path | None = None,
    opt: str = DEFAULT_OPT,
    extra_flags: Sequence[str] = (),
    include_dirs: Sequence[Path] = (),
    warnings: bool = False,
    timeout: float = 300.0,
) -> Path:
    """Compile a C++ program (source text, or the path of a .cpp file) and return the executable.

    Without `output` the executable is cached under `cache_dir` (default `default_cache_dir()`) by a
    hash of the source, the flags, the compiler and every project header, so an unchanged program
    is compiled once. Errors (no compiler, no ap_types headers, a failed compilation with its first
    error lines) raise UserError.
    """
    compiler = find_compiler()
    text = Path(source).read_text() if isinstance(source, Path) else source
    extra_includes = [flag for folder in include_dirs for flag in ("-I", str(folder))]
    flags = [*BASE_FLAGS, opt, *(WARNING_FLAGS if warnings else ()), *extra_flags]
    command_tail = [*flags, *extra_includes, *include_flags()]
    if output is None:
        key = hashlib.sha256(
            "\0".join([text, compiler, *command_tail, _headers_digest()]).encode()
        ).hexdigest()[:24]
        folder = cache_dir or default_cache_dir()
        output = folder / f"{name}-{key}"
        if output.is_file():
            return output
    output.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="atheena-csim-") as tmp:
        src = Path(tmp) / f"{name}.cpp"
        src.write_text(text)
        staged = Path(tmp) / name
        command = [compiler, *command_tail, str(src), "-o", str(staged)]
        try:
            done = subprocess.run(command, capture_output=True, text=True, timeout=timeout)
        except subprocess.TimeoutExpired as exc:
            raise UserError(f"g++ took longer than {timeout:.0f} s to compile {name}") from exc
        if done.returncode != 0:
            raise UserError(f"g++ failed to compile {name}:\n{first_errors(done.stderr)}")
        partial = output.with_name(f"{output.name}.part{os.getpid()}")
        shutil.copy2(staged, partial)
        os.replace(partial, output)  # atomic: a concurrent build never sees a partial file
    return output


def first_errors(stderr: str, limit: int = MAX_ERROR_LINES) -> str:
    """The first compiler error lines (with their context lines), at most `limit` lines."""
    lines = stderr.splitlines()
    start = next((i for i, line in enumerate(lines) if "error" in line), 0)
    shown = lines[max(0, start - 2) : max(0, start - 2) + limit]
    more = len(lines) - (max(0, start - 2) + len(shown))
    return "\n".join(shown) + (f"\n... ({more} more lines)" if more > 0 else "")
