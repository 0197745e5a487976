"""Compile C-simulation programs with g++ against the ap_types headers and the project's headers.

The Xilinx arbitrary-precision headers (`ap_fixed.h`, `ap_int.h`; Apache-2.0) come from the
installed `hls4ml` wheel (`hls4ml/templates/vivado/ap_types/`, the `csim` extra); they are
located without importing hls4ml and never downloaded. That folder also holds hls4ml's own
unbounded `hls_stream.h`: the project's `include/sim/` folder is therefore passed first with `-I`
and the ap_types folder last with `-isystem`, so `#include <hls_stream.h>` always finds the
bounded FIFO of the timed simulation.

Compiled programs are cached in a private folder, `<user cache dir>/atheena-ir/csim` (mode 0700,
owned by the user; `$XDG_CACHE_HOME` or `~/.cache`). Before a cached program runs, the folder's
owner and mode, and the program's owner, mode and SHA-256 (recorded when this cache built it), are
checked: a file that someone else planted or changed is rebuilt, never run.
"""

from __future__ import annotations

import hashlib
import importlib.util
import os
import re
import shutil
import stat
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
_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]{0,127}")
"""Program names: they become file names in the cache."""


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
    """Where compiled programs are cached by content hash: private to the user (mode 0700)."""
    root = os.environ.get("XDG_CACHE_HOME") or ""
    base = Path(root) if os.path.isabs(root) else Path.home() / ".cache"
    return base / "atheena-ir" / "csim"


def private_folder(folder: Path) -> Path:
    """`folder`, created with mode 0700 if missing; UserError unless the user owns it and no one
    else can write into it (a symlink is refused too)."""
    folder = Path(folder)
    for level in reversed([folder, *list(folder.parents)[:1]]):
        if not level.exists():
            try:
                level.mkdir(mode=0o700, parents=True, exist_ok=True)
            except OSError as err:
                raise UserError(f"cannot create the C-simulation cache {level}: {err}") from None
    info = folder.lstat()
    if stat.S_ISLNK(info.st_mode) or not stat.S_ISDIR(info.st_mode):
        raise UserError(f"the C-simulation cache {folder} is not a folder (a link?); remove it")
    if info.st_uid != os.getuid():
        raise UserError(
            f"the C-simulation cache {folder} belongs to user id {info.st_uid}, not to you; "
            "remove it or pass another cache folder"
        )
    if info.st_mode & 0o022:
        os.chmod(folder, stat.S_IMODE(info.st_mode) & ~0o077)
    owner = folder.parent.stat().st_uid
    if owner not in (os.getuid(), 0):  # whoever owns the parent could swap the folder
        raise UserError(
            f"the C-simulation cache {folder} lies in a folder of user id {owner}; "
            "use a cache folder inside one of yours"
        )
    return folder


def _digest_file(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _trusted(program: Path) -> bool:
    """True when `program` is a regular file the user owns, only the user can write, and whose
    SHA-256 matches the one this cache recorded when it built it."""
    record = program.with_name(program.name + ".sha256")
    try:
        info, rec = program.lstat(), record.lstat()
    except OSError:
        return False
    for entry in (info, rec):
        if not stat.S_ISREG(entry.st_mode) or entry.st_uid != os.getuid():
            return False
        if entry.st_mode & 0o022:
            return False
    try:
        return record.read_text().strip() == _digest_file(program)
    except OSError:
        return False


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
    if not _NAME.fullmatch(name):
        raise UserError(f"bad program name {name!r}: use letters, digits and '_'")
    compiler = find_compiler()
    text = Path(source).read_text() if isinstance(source, Path) else source
    extra_includes = [flag for folder in include_dirs for flag in ("-I", str(folder))]
    flags = [*BASE_FLAGS, opt, *(WARNING_FLAGS if warnings else ()), *extra_flags]
    command_tail = [*flags, *extra_includes, *include_flags()]
    if output is None:
        key = hashlib.sha256(
            "\0".join([text, compiler, *command_tail, _headers_digest()]).encode()
        ).hexdigest()[:24]
        folder = private_folder(cache_dir or default_cache_dir())
        output = folder / f"{name}-{key}"
        if _trusted(output):
            return output
        cached = True
    else:
        output.parent.mkdir(parents=True, exist_ok=True)
        cached = False
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
        os.chmod(partial, 0o700 if cached else 0o755)
        if cached:
            record = output.with_name(f"{output.name}.sha256.part{os.getpid()}")
            record.write_text(_digest_file(partial) + "\n")
            os.replace(record, output.with_name(output.name + ".sha256"))
        os.replace(partial, output)  # atomic: a concurrent build never sees a partial file
    return output


def first_errors(stderr: str, limit: int = MAX_ERROR_LINES) -> str:
    """The first compiler error lines (with their context lines), at most `limit` lines."""
    lines = stderr.splitlines()
    start = next((i for i, line in enumerate(lines) if "error" in line), 0)
    shown = lines[max(0, start - 2) : max(0, start - 2) + limit]
    more = len(lines) - (max(0, start - 2) + len(shown))
    return "\n".join(shown) + (f"\n... ({more} more lines)" if more > 0 else "")
