"""The HLS C++ backend: the templated unit library and the C-simulation headers under `include/`.

`include/atheena/*.h` are the synthesizable units (one per header); `include/sim/` holds the
project's own timed simulation `hls_stream.h` (bounded FIFOs in simulated time, deadlock report).
The layout, the word format and the exact fixed-point arithmetic are in `docs/hls_units.md`.
"""

from pathlib import Path

INCLUDE_DIR = Path(__file__).resolve().parent / "include"
"""The folder to pass with `-I` (units are included as `atheena/<unit>.h`)."""

SIM_INCLUDE_DIR = INCLUDE_DIR / "sim"
"""The folder holding the simulation `hls_stream.h`; it must precede the ap_types folder."""
