"""Start-up of `atheena-opt` and the time of the lit suite, as the test command pays them.

    .venv/bin/python benchmarks/startup.py [--runs 5] [--lit]

Each command runs `--runs` times; the table gives the median wall time and the smallest CPU time
(user + system of the process: a loaded machine inflates it less than the wall time, and its
minimum over the runs least of all). `--lit`
also runs `lit -s tests/filecheck` once and reports its wall and CPU time (every RUN line).
Results go in docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
SMALL = ROOT / "examples" / "two_exit_net.mlir"
FOLD = ROOT / "tests" / "filecheck" / "passes" / "fold.mlir"

COMMANDS: list[tuple[str, list[str]]] = [
    ("atheena-opt --help", ["--help"]),
    ("atheena-opt two_exit_net.mlir (parse, verify, print)", [str(SMALL)]),
    ("atheena-opt two_exit_net.mlir -p canonicalize,cse", [str(SMALL), "-p", "canonicalize,cse"]),
    ("atheena-opt fold.mlir -p fold (cost model: sympy)", [str(FOLD), "-p", "fold"]),
    (
        "atheena-opt two_exit_net.mlir -p split-exits,dse (search: scipy)",
        [str(SMALL), "-p", "split-exits{exit-probs=0.5,0.2},dse"],
    ),
]


def timed(command: list[str]) -> tuple[float, float]:
    """Wall and CPU seconds (user + system of the child) of one run."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run(command, check=True, capture_output=True, cwd=ROOT)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=5, help="runs per command")
    ap.add_argument("--lit", action="store_true", help="also time lit -s tests/filecheck")
    args = ap.parse_args()
    print(f"{os.cpu_count()} cores, load average {os.getloadavg()[0]:.2f}\n")
    print("| command | median wall (s) | least CPU (s) |")
    print("|---|---|---|")
    for label, rest in COMMANDS:
        runs = [timed([str(BIN / "atheena-opt"), *rest]) for _ in range(args.runs)]
        wall = statistics.median(w for w, _ in runs)
        cpu = min(c for _, c in runs)
        print(f"| `{label}` | {wall:.2f} | {cpu:.2f} |")
    if args.lit:
        wall, cpu = timed([str(BIN / "lit"), "-s", str(ROOT / "tests" / "filecheck")])
        print(f"| `lit -s tests/filecheck` (every RUN line) | {wall:.1f} | {cpu:.1f} |")


if __name__ == "__main__":
    main()
