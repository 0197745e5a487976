"""
How every tool writes its outputs: whole or not at all, never over an input, and without deleting
anything the tools did not write (docs/outputs.md).

```python
from atheena_ir.outputs import refuse_input_as_output, write_atomic

refuse_input_as_output({"-o": "out.mlir"}, ["model.onnx"])   # UserError when they are one file
write_atomic("out.mlir", text)            # a temporary sibling, flushed, then renamed into place
with atomic_file("front.png", "wb") as f:  # the same for writers that take a file object
    figure.savefig(f, format="png")
install_folder(staged, Path("build/hls"))  # move a staged folder's files into place
```

A file is first written next to its destination (so the final rename stays on one file system),
flushed to the disk and then renamed over the destination: a full disk, a crash or Ctrl-C leaves
either the previous file or the new one, never a truncated one. `install_folder` moves the files
of a staged folder into a destination folder one by one and removes only the files that the
previous install recorded (`.atheena-files`) and the new one no longer has: files a user added to
the folder stay.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any

from atheena_ir.errors import UserError

RECORD = ".atheena-files"
"""The list (JSON) of the files an install wrote into a folder; only those are ever removed."""


def same_file(a: str | Path, b: str | Path) -> bool:
    """True when `a` and `b` name one file (through links, `..` or a second spelling)."""
    a, b = Path(a), Path(b)
    try:
        if a.exists() and b.exists():
            return os.path.samefile(a, b)
    except OSError:
        pass
    return a.resolve() == b.resolve()


def refuse_input_as_output(
    outputs: Mapping[str, str | Path | None], inputs: Iterable[str | Path | None]
) -> None:
    """UserError when an output path (keyed by its option) names one of the input files, or
    when two outputs name one file."""
    named = [(opt, Path(p)) for opt, p in outputs.items() if p not in (None, "")]
    for source in inputs:
        if source in (None, ""):
            continue
        for option, path in named:
            if same_file(path, source):
                raise UserError(
                    f"{option} {path} is the input file {source}; choose another output path "
                    "(inputs are never overwritten)"
                )
    for i, (first, a) in enumerate(named):
        for second, b in named[i + 1 :]:
            if same_file(a, b):
                raise UserError(f"{first} and {second} both name {a}; give two different paths")


def check_writable_folder(path: str | Path, option: str) -> Path:
    """The output folder `path`: refuse it early when it is a file or cannot be created."""
    folder = Path(path)
    if folder.exists() and not folder.is_dir():
        raise UserError(f"{option} {folder} is a file, not a folder")
    parent = next((p for p in [folder, *folder.parents] if p.exists()), Path("."))
    if not os.access(parent, os.W_OK | os.X_OK):
        raise UserError(f"{option} {folder}: cannot write into {parent}")
    return folder


def check_output_file(path: str | Path | None, option: str) -> None:
    """Refuse an output file early (before a long run) when it cannot be written: a folder,
    or a path whose folder does not exist or is not writable."""
    if path in (None, ""):
        return
    target = Path(path)  # type: ignore[arg-type]
    folder = target.parent if str(target.parent) else Path(".")
    if target.is_dir():
        raise UserError(f"{option} {target} is a folder; give a file name")
    if not folder.is_dir():
        raise UserError(f"{option} {target}: the folder {folder} does not exist")
    if not os.access(folder, os.W_OK | os.X_OK):
        raise UserError(f"{option} {target}: cannot write into {folder}")


@contextmanager
def atomic_file(path: str | Path, mode: str = "w") -> Iterator[IO[Any]]:
    """A file object whose content replaces `path` only when the block ends without an error."""
    if mode not in ("w", "wb"):
        raise ValueError("atomic_file writes text ('w') or bytes ('wb')")
    target = Path(path)
    if target.is_dir():
        raise UserError(f"{target} is a folder; give a file name")
    folder = target.parent if str(target.parent) else Path(".")
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=folder)
    try:
        with os.fdopen(fd, mode, **({"encoding": "utf-8"} if mode == "w" else {})) as f:
            yield f
            f.flush()
            os.fsync(f.fileno())
        os.chmod(tmp, _default_mode())
        os.replace(tmp, target)
    except BaseException:
        with _ignore_missing():
            os.unlink(tmp)
        raise


def write_atomic(path: str | Path, content: str | bytes) -> None:
    """Write `content` (text or bytes) to `path` whole or not at all."""
    with atomic_file(path, "wb" if isinstance(content, bytes) else "w") as f:
        f.write(content)


STAGING = ".atheena-staging."
"""The name prefix of staging folders (never taken for a user's file)."""


@contextmanager
def staging_folder(near: str | Path) -> Iterator[Path]:
    """A temporary folder for the outputs bound for folder `near`: inside it when it exists
    (where the tool may write anyway), else beside it; on one file system with it either way,
    and removed at the end whatever happens."""
    target = Path(near).resolve()
    base = target if target.is_dir() else target.parent
    base.mkdir(parents=True, exist_ok=True)
    folder = Path(tempfile.mkdtemp(prefix=STAGING, dir=base))
    try:
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def staged_files(staged: Path) -> list[str]:
    """The files below `staged` as sorted POSIX paths relative to it."""
    found = (p.relative_to(staged).as_posix() for p in staged.rglob("*") if p.is_file())
    return sorted(rel for rel in found if rel != RECORD and STAGING not in rel)


def _holds_files(folder: Path) -> bool:
    """True when `folder` holds anything besides staging folders."""
    return any(not entry.name.startswith(STAGING) for entry in folder.iterdir())


def install_folder(
    staged: Path, destination: Path, *, owner_mark: str | None = None, shared: bool = False
) -> None:
    """Move every file of `staged` into `destination`, creating it if needed.

    Unless `shared`, a destination that exists and holds files must carry `owner_mark` (a file an
    earlier install wrote, e.g. the HLS manifest) or the record of an earlier install; otherwise
    it is the user's folder and is refused. A `shared` folder (an output folder the user names,
    which may hold the input model) keeps every file whose name the install does not use. Files
    the earlier install recorded and the new one lacks are removed; nothing else is. `owner_mark`
    moves last, so a folder with the new mark is complete.
    """
    destination = Path(destination)
    if destination.exists() and not destination.is_dir():
        raise UserError(f"{destination} is a file, not a folder")
    previous = _recorded(destination)
    if destination.is_dir() and previous is None:
        owned = owner_mark is not None and (destination / owner_mark).is_file()
        if not shared and not owned and _holds_files(destination):
            raise UserError(
                f"{destination} exists and was not written by atheena-ir; refusing to write into "
                "it (choose another folder or empty it)"
            )
        previous = []
    files = staged_files(staged)
    order = sorted(files, key=lambda rel: rel == owner_mark)
    for rel in order:  # every clash is found before the first file moves
        target = destination / rel
        if target.is_dir() and not target.is_symlink():
            raise UserError(f"{target} is a folder; cannot replace it with a file")
        for parent in Path(rel).parents:
            if parent != Path(".") and (destination / parent).exists():
                if not (destination / parent).is_dir():
                    raise UserError(f"{destination / parent} is a file; it would need a folder")
    destination.mkdir(parents=True, exist_ok=True)
    for rel in order:
        target = destination / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        os.replace(staged / rel, target)
    for rel in sorted(set(previous or ()) - set(files)):
        with _ignore_missing():
            (destination / rel).unlink()
    write_atomic(destination / RECORD, json.dumps(files, indent=0) + "\n")


def recorded_files(folder: str | Path) -> list[Path]:
    """The files an install wrote into `folder` (none when it has no record)."""
    return [Path(folder) / rel for rel in _recorded(Path(folder)) or ()]


def _recorded(folder: Path) -> list[str] | None:
    """The files an earlier install recorded in `folder` (only plain relative paths in it)."""
    try:
        listed = json.loads((folder / RECORD).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(listed, list):
        return None
    return [rel for rel in listed if isinstance(rel, str) and _inside(rel)]


def _inside(rel: str) -> bool:
    path = Path(rel)
    return bool(rel) and not path.is_absolute() and ".." not in path.parts and rel != RECORD


def _default_mode() -> int:
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask


@contextmanager
def _ignore_missing() -> Iterator[None]:
    try:
        yield
    except FileNotFoundError:
        pass
