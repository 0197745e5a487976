"""The timed C simulation's report: what the printed design does, cycle by cycle.

The simulation runtime (`backends/hls/include/sim/atheena_sim_runtime.h`) gives every dataflow
process a clock: a pipelined loop's iteration takes its II, leaving the loop its depth, a stream
read waits for the word's write cycle + 1 and a write into a full FIFO for the cycle after the
reader freed a slot. With `ATHEENA_CSIM_TIMING=<file>` it writes a JSON report, read here:

```python
report = TimingReport.load("timing.json")
report.cycles                    # cycles until the last process finished
report.sustained_interval()      # cycles between results in the steady state
report.throughput(125.0)         # samples/s at 125 MHz
```

The figures are deterministic: the same inputs give the same cycles on every run, whatever order
the processes happen to run in.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from atheena_ir.errors import UserError


@dataclass(frozen=True)
class ProcessTiming:
    """One dataflow process: its busy and stalled cycles (per stream) and samples handled."""

    name: str
    start: int
    end: int
    busy: int
    samples: int
    stalls: dict[str, int] = field(default_factory=dict)

    @property
    def unit(self) -> str:
        """The unit's name without its template arguments (`conv`, `sliding_window`, ...)."""
        head = self.name.split("(", 1)[0].split("<", 1)[0]
        return head.rsplit("::", 1)[-1]

    @property
    def arguments(self) -> str:
        """The streams and arrays the process was called with (its place in the design)."""
        if "(" not in self.name:
            return ""
        return self.name[self.name.rindex("(") + 1 :].split(")", 1)[0]

    def cycles_per_sample(self) -> float:
        """Busy cycles per sample the process handled (its interval when never stalled)."""
        return self.busy / self.samples if self.samples else float("nan")


@dataclass(frozen=True)
class StreamTiming:
    """One stream: its depth, the words it carried and its peak occupancy."""

    name: str
    depth: int
    words: int
    peak: int


@dataclass(frozen=True)
class SampleTiming:
    """One sample: the cycle its first word entered the design and its last result word left."""

    sample_id: int
    entry: int
    exit: int

    @property
    def latency(self) -> int:
        """Cycles from entering to leaving."""
        return self.exit - self.entry


@dataclass(frozen=True)
class TimingReport:
    """The whole timed simulation of a batch."""

    cycles: int
    processes: list[ProcessTiming]
    streams: list[StreamTiming]
    samples: list[SampleTiming]

    @staticmethod
    def from_json(data: dict) -> TimingReport:
        """Read the runtime's JSON (raises UserError when it is not one)."""
        try:
            return TimingReport(
                cycles=int(data["cycles"]),
                processes=[
                    ProcessTiming(
                        str(p["name"]),
                        int(p["start"]),
                        int(p["end"]),
                        int(p["busy"]),
                        int(p["samples"]),
                        {str(k): int(v) for k, v in p["stalls"].items()},
                    )
                    for p in data["processes"]
                ],
                streams=[
                    StreamTiming(str(s["name"]), int(s["depth"]), int(s["words"]), int(s["peak"]))
                    for s in data["streams"]
                ],
                samples=[
                    SampleTiming(int(s["id"]), int(s["entry"]), int(s["exit"]))
                    for s in data["samples"]
                ],
            )
        except (KeyError, TypeError, ValueError) as exc:
            raise UserError(f"malformed timing report: {exc}") from exc

    @staticmethod
    def load(path: str | Path) -> TimingReport:
        """Read a timing report file."""
        try:
            return TimingReport.from_json(json.loads(Path(path).read_text()))
        except (OSError, json.JSONDecodeError) as exc:
            raise UserError(f"cannot read the timing report {path}: {exc}") from exc

    def to_json(self) -> dict:
        """The report as plain JSON data (what `from_json` reads)."""
        return {
            "cycles": self.cycles,
            "processes": [
                {
                    "name": p.name,
                    "start": p.start,
                    "end": p.end,
                    "busy": p.busy,
                    "samples": p.samples,
                    "stalls": dict(p.stalls),
                }
                for p in self.processes
            ],
            "streams": [
                {"name": s.name, "depth": s.depth, "words": s.words, "peak": s.peak}
                for s in self.streams
            ],
            "samples": [
                {"id": s.sample_id, "entry": s.entry, "exit": s.exit} for s in self.samples
            ],
        }

    def exit_cycles(self) -> np.ndarray:
        """Every sample's exit cycle, in the order they left."""
        return np.sort(np.array([s.exit for s in self.samples], dtype=np.int64))

    def sustained_interval(self, skip: float = 0.25) -> float:
        """Cycles between consecutive results in the steady state.

        The first `skip` of the results (the pipeline filling) are left out; the interval is the
        span from there to the last result over the results in that span.
        """
        exits = self.exit_cycles()
        if len(exits) < 2:
            return float(self.cycles)
        first = min(int(len(exits) * skip), len(exits) - 2)
        return float(exits[-1] - exits[first]) / (len(exits) - 1 - first)

    def throughput(self, clock_mhz: float) -> float:
        """Sustained samples per second at `clock_mhz`."""
        return clock_mhz * 1e6 / self.sustained_interval()

    def batch_throughput(self, clock_mhz: float) -> float:
        """Samples per second over the whole batch (fill and drain included)."""
        return len(self.samples) * clock_mhz * 1e6 / max(self.cycles, 1)

    def first_latency(self) -> int:
        """Cycles from the first sample entering to it leaving."""
        first = min(self.samples, key=lambda s: s.entry, default=None)
        return first.latency if first else 0

    def summary(self, clock_mhz: float | None) -> str:
        """A few lines for people: cycles, throughput, latency, the busiest units, full FIFOs."""
        n = len(self.samples)
        lines = [f"timed simulation: {n} samples in {self.cycles:,} cycles"]
        interval = self.sustained_interval()
        if clock_mhz:
            lines.append(
                f"  sustained {self.throughput(clock_mhz):,.0f} samples/s at {clock_mhz:g} MHz "
                f"({interval:,.1f} cycles per sample); whole batch "
                f"{self.batch_throughput(clock_mhz):,.0f} samples/s"
            )
        else:
            lines.append(f"  sustained {interval:,.1f} cycles per sample")
        lines.append(f"  first-sample latency {self.first_latency():,} cycles")
        busiest = sorted(self.processes, key=lambda p: -p.busy)[:3]
        for p in busiest:
            lines.append(
                f"  busiest: {p.unit}({p.arguments}) {p.busy:,} busy cycles, "
                f"{p.cycles_per_sample():,.1f} per sample"
            )
        full = [s for s in self.streams if s.peak >= s.depth and s.words > 0]
        lines.append(f"  {len(full)} of {len(self.streams)} streams were full at some point")
        return "\n".join(lines) + "\n"
