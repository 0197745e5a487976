"""
Progress on stderr: a bar redrawn in place on a terminal; in a log or a pipe, one plain line per
chunk of samples (no carriage returns), so a long run shows it is alive there too.

    >>> with Progress(total=5000, label="profiling") as bar:
    ...     bar.update(256)
"""

from __future__ import annotations

import sys
import time
from types import TracebackType
from typing import IO


class Progress:
    """`label [#####.....] done/total samples  12.3 s`, redrawn in place with `\\r`."""

    WIDTH = 30

    def __init__(self, total: int, label: str, stream: IO[str] | None = None) -> None:
        self.total, self.label, self.done = total, label, 0
        self.stream = sys.stderr if stream is None else stream
        isatty = getattr(self.stream, "isatty", None)
        self.enabled = bool(isatty and isatty()) and total > 0
        self.lines = not self.enabled and total > 0
        self.start = time.perf_counter()

    def update(self, n: int) -> None:
        """`n` more samples done."""
        self.done = min(self.total, self.done + n)
        if self.enabled:
            filled = self.WIDTH * self.done // self.total
            bar = "#" * filled + "." * (self.WIDTH - filled)
            elapsed = time.perf_counter() - self.start
            self.stream.write(
                f"\r{self.label} [{bar}] {self.done}/{self.total} samples  {elapsed:.1f} s"
            )
            self.stream.flush()
        elif self.lines:
            elapsed = time.perf_counter() - self.start
            self.stream.write(f"{self.label}: {self.done}/{self.total} samples, {elapsed:.1f} s\n")
            self.stream.flush()

    def __enter__(self) -> Progress:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if self.enabled:
            self.stream.write("\r" + " " * (len(self.label) + self.WIDTH + 40) + "\r")
            self.stream.flush()
