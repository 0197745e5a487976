"""
Check the published tables kept in the project against ATHEENA's own design and report files.

Not a test (pytest does not collect it): the tests use the tables transcribed into
`tests/cost/blenet_designs.py`, so a fresh clone runs every calibration test. This script checks
the transcription, for whoever has ATHEENA's files (`reference/atheena_designs/A1..A3`):
every layer's folding, interval and LUT/FF/DSP/BRAM, and every stage's throughput, as ATHEENA's
reports give them, and the committed `examples/blenet_a1_factors.toml` against design A1.

    .venv/bin/python -m tests.cost.check_published_tables [FOLDER]   # default: ../shared
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from atheena_ir.passes.fold import read_factors
from tests.conftest import SHARED
from tests.cost.blenet_designs import DESIGNS
from tests.report.blenet import A1_FACTORS, ATHEENA_TO_IR


def _report_key(name: str) -> str:
    for prefix in ("CONVOLUTION", "POOLING", "RELU", "INNERPRODUCT", "GREATER"):
        if name.startswith(prefix) and name[len(prefix) :].isdigit():
            return name[len(prefix) :]
    return name


def stage_mismatches(design: str, stage: str, path: Path) -> list[str]:
    """Where the transcribed stage differs from ATHEENA's design file and its report."""
    data = DESIGNS[design][stage]
    report = json.loads(path.with_name("report_" + path.name).read_text())["partitions"]["0"]
    layers = json.loads(path.read_text())["partition"][0]["layers"]
    where = f"{design}/{stage}"
    out = []
    if data["source"] != path.name:
        out.append(f"{where}: source {data['source']} != {path.name}")
    if [name for name, *_ in data["layers"]] != [layer["name"] for layer in layers]:
        out.append(f"{where}: the layer list differs")
        return out
    folds = {name: fold for name, _kind, _shape, fold in data["layers"]}
    for layer in layers:
        name = layer["name"]
        pub = report["layers"][_report_key(name)]
        usage = pub["resource_usage"]
        published = (pub["interval"], usage["LUT"], usage["FF"], usage["DSP"], usage["BRAM"])
        if tuple(data["published"][name]) != published:
            out.append(f"{where}/{name}: {data['published'][name]} != report {published}")
        params = layer["parameters"]
        for key in ("coarse_in", "coarse_out", "fine"):
            if folds[name].get(key, 1) != params.get(key, 1):
                out.append(f"{where}/{name}: {key} {folds[name].get(key, 1)} != {params.get(key)}")
    if abs(data["throughput"] - report["throughput"]) > 1e-9 * report["throughput"]:
        out.append(f"{where}: throughput {data['throughput']} != report {report['throughput']}")
    return out


def factors_mismatches(folder: Path) -> list[str]:
    """Where examples/blenet_a1_factors.toml differs from design A1's folding."""
    factors = read_factors(A1_FACTORS)
    out = []
    for stage in ("ee1", "eef"):
        source = folder / "A1" / DESIGNS["A1"][stage]["source"]
        for layer in json.loads(source.read_text())["partition"][0]["layers"]:
            ours = ATHEENA_TO_IR[stage].get(layer["name"])
            if ours is None or ours not in factors:
                continue
            entry = dict(factors[ours])
            if "coarse" in entry:
                entry["coarse_in"] = entry["coarse_out"] = entry.pop("coarse")
            for key in ("coarse_in", "coarse_out", "fine"):
                if entry.get(key, 1) != layer["parameters"].get(key, 1):
                    out.append(f"A1 factors file, {ours}: {key} differs from {source.name}")
    return out


def main(argv: list[str]) -> int:
    folder = Path(argv[0]) if argv else SHARED
    folder = folder / "reference" / "atheena_designs"
    if not folder.is_dir():
        print(f"no ATHEENA design files in {folder}", file=sys.stderr)
        return 2
    problems = factors_mismatches(folder)
    for design, stages in DESIGNS.items():
        for stage, data in stages.items():
            problems += stage_mismatches(design, stage, folder / design / data["source"])
    for line in problems:
        print(line)
    count = sum(len(stages) for stages in DESIGNS.values())
    print(f"{count} stages and the A1 factors file checked: {len(problems)} differences")
    return 1 if problems else 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
