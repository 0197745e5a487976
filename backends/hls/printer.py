"""
The C++ of one `hws` design: the top function (a dataflow region) and its weight header.

```python
from atheena_ir.backends.hls.printer import print_design
code = print_design(design)          # DesignCode(top_h=..., top_cpp=..., weights_h=..., ...)
```

Every unit op becomes one `ATHEENA_PROCESS(atheena::UNIT<template_args()>(...))`; every stream
between two units one `hls::stream` with `#pragma HLS STREAM depth=` and `ATHEENA_STREAM_DEPTH`
(the depth of its producer). The variadic groups of the library (`fork`/`split`/`exit_decision`
outputs, `glue`/`exit_merge` inputs) are arrays of streams; an array's pragma depth is the largest
depth of its members (Vitis sizes every member of an array alike, and so does the simulation).
Stage results and `hws.yield` operands are the same stream; design block arguments and
`hws.output` operands are word streams inside the region, which `atheena::axis_in` / `axis_out`
(its first and last processes) connect to the top function's AXI-stream ports with TLAST
(`<stream>_axis`: names legal in C++, Verilog and VHDL, `escape.hdl_identifier`). Exit
decisions take their `limit` from an `s_axilite` argument of the top function (`limit_<i>`,
default in `<top>.h`), so a threshold changes without re-synthesis.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
from xdsl.ir import Block, Operation, SSAValue

from atheena_ir.backends.hls.escape import comment_text, cpp_identifier, cpp_string, hdl_identifier
from atheena_ir.dialects import hws
from atheena_ir.dialects.hws.base import TemplateArg, element
from atheena_ir.errors import UserError
from atheena_ir.numerics import fixed_point as fx
from atheena_ir.numerics.exp_table import (
    DEFAULT_IN_FRAC,
    DEFAULT_OUT_FRAC,
    table_header,
    table_name,
)

_VARIADIC_RESULTS = (hws.ForkOp, hws.SplitOp, hws.ExitDecisionOp)
_VARIADIC_OPERANDS = (hws.GlueOp, hws.ExitMergeOp)
PORT_DEPTH = 2
"""Depth of the word stream behind each input port (between `axis_in` and the first unit)."""
MAX_LITERAL_WIDTH = 53
"""Weights are printed as exact double literals, so their types may have at most 53 bits."""


@dataclass
class Port:
    """One port of the top function: the word stream inside the design (`name`, of words
    `word`), the AXI-stream port outside (`axis`, a name legal in C++, Verilog and VHDL), map and
    element type."""

    name: str
    word: str
    map: tuple[int, int, int]
    lanes: int
    element: hws.FixedType
    is_result: bool
    axis: str = ""

    @property
    def words(self) -> int:
        """Words per sample (`rows * cols * channels / lanes`)."""
        rows, cols, ch = self.map
        return rows * cols * ch // self.lanes


@dataclass
class DesignCode:
    """The generated sources of one design (file name -> text) and its port description."""

    name: str
    inputs: list[Port]
    outputs: list[Port]
    limits: list[tuple[str, int, float]]
    files: dict[str, str] = field(default_factory=dict)


def _ident(text: str) -> str:
    """A C++ identifier from a name hint (`escape.cpp_identifier`)."""
    return cpp_identifier(text)


def template_arg(value: TemplateArg) -> str:
    """The C++ spelling of one template argument.

    >>> template_arg(True), template_arg(3), template_arg(hws.FixedType.get(32, 16))
    ('true', '3', 'ap_fixed<32, 16>')
    """
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, hws.FixedType):
        return value.cpp()
    if isinstance(value, hws.StreamTypeBase):
        return f"atheena::{value.cpp()}"
    library = ("POOL_", "word<", "window<", "ctrl_word", "result_word<")
    return f"atheena::{value}" if value.startswith(library) else value


def literal(raw: int, frac: int) -> str:
    """An exact C++ double literal of the raw fixed-point value `raw` (`frac` fractional bits).

    >>> literal(-384, 8), literal(5, 8), literal(0, 8)
    ('-1.5', '0.01953125', '0')
    """
    if raw == 0:
        return "0"
    text = repr(raw / 2.0**frac)
    return text[:-2] if text.endswith(".0") else text


def _nested(values: np.ndarray, item: Callable[[int], str]) -> str:
    """`{{...}, ...}`: a nested C++ initialiser of `values` (rows of 16 items)."""

    def nest(a: np.ndarray, indent: str) -> str:
        if a.ndim == 1:
            items = [item(int(v)) for v in a]
            rows = [", ".join(items[i : i + 16]) for i in range(0, len(items), 16)]
            return "{" + f",\n{indent} ".join(rows) + "}"
        if a.ndim == 2 and a.shape[1] <= 4:  # short rows (lanes): several to a line
            items = [nest(row, "") for row in a]
            rows = [", ".join(items[i : i + 8]) for i in range(0, len(items), 8)]
            return "{" + f",\n{indent} ".join(rows) + "}"
        inner = indent + " "
        return "{" + f",\n{inner}".join(nest(sub, inner) for sub in a) + "}"

    return nest(values, "")


def array_literal(values: np.ndarray, t: hws.FixedType) -> str:
    """The values quantised to `t` as a nested initialiser of exact double literals.

    >>> array_literal(np.array([[0.5, -1.0]]), hws.FixedType.get(16, 8))
    '{{0.5, -1}}'
    """
    if t.width.data > MAX_LITERAL_WIDTH:
        raise UserError(f"weights of {t.cpp()} are wider than {MAX_LITERAL_WIDTH} bits")
    raw = fx.from_float(np.asarray(values, dtype=np.float64), t.to_numpy())
    return _nested(raw, lambda v: literal(v, t.frac))


def weight_definition(name: str, values: np.ndarray, t: hws.FixedType) -> str:
    """A `static const` weight array for synthesis, raw integers loaded once for C simulation.

    Initialising thousands of ap_fixed objects from literals takes g++ minutes, so outside
    `__SYNTHESIS__` the array is filled from its raw integers (the same bits) before `main`;
    `-DATHEENA_LITERAL_WEIGHTS` selects the literals in C simulation too (a test compares them).
    """
    raw = fx.from_float(np.asarray(values, dtype=np.float64), t.to_numpy())
    dims = "".join(f"[{d}]" for d in values.shape)
    return "\n".join(
        [
            "#if defined(__SYNTHESIS__) || defined(ATHEENA_LITERAL_WEIGHTS)",
            f"static const {t.cpp()} {name}{dims} = {array_literal(values, t)};",
            "#else",
            f"static const long long {name}_raw[{raw.size}] = {_nested(raw.ravel(), str)};",
            f"static {t.cpp()} {name}{dims};",
            f"static const bool {name}_loaded = atheena_load_raw("
            f"reinterpret_cast<{t.cpp()}*>({name}), {name}_raw, {raw.size});",
            "#endif",
            "",
        ]
    )


def top_name(design: hws.DesignOp) -> str:
    """The top function's name: `<design>_top` (a design is usually `@main`, C++'s `main`).

    >>> from xdsl.ir import Block
    >>> top_name(hws.DesignOp("b-lenet", Block(), []))
    'b_lenet_top'

    It is also the RTL module's name, so it is legal in Verilog and VHDL too.
    """
    return hdl_identifier(design.sym_name.data, "top")


def _dense(attr: object) -> np.ndarray:
    """A dense property as a float64 array of its shape."""
    values = attr.get_values()  # type: ignore[attr-defined]
    shape = attr.get_shape()  # type: ignore[attr-defined]
    return np.asarray(values, dtype=np.float64).reshape(shape)


class _Printer:
    """Names streams and prints the top function of one design."""

    def __init__(self, design: hws.DesignOp):
        self.design = design
        self.name = top_name(design)
        self.stream_names: dict[SSAValue, str] = {}
        self.used: set[str] = set()
        self.arrays: list[tuple[str, str, list[SSAValue]]] = []  # name, word, members
        self.singles: list[SSAValue] = []
        self.ports: set[SSAValue] = set()
        self.weights: list[str] = []
        self.limits: list[tuple[str, int, float]] = []
        self.tables: set[int] = set()
        decisions = sum(isinstance(op, hws.ExitDecisionOp) for op in design.walk())
        self.reserved = frozenset({self.name, *(f"limit_{i}" for i in range(decisions))})
        self.used.update(self.reserved)

    def fresh(self, hint: str, derived: tuple[str, ...] = ()) -> str:
        """A new C++ name from `hint`, unique (case-insensitively, as VHDL compares) together
        with the names `derived` from it by suffixes."""
        base = cpp_identifier(hint, reserved=self.reserved)
        name, n = base, 1
        taken = {u.lower() for u in self.used}
        while any((name + d).lower() in taken for d in ("", *derived)):
            name, n = f"{base}_{n}", n + 1
        self.used.update(name + d for d in ("", *derived))
        return name

    def source(self, value: SSAValue) -> SSAValue:
        """The stream a value is: a stage result is the stream its `hws.yield` gives."""
        owner = value.owner
        while isinstance(owner, hws.StageOp):
            term = owner.body.block.last_op
            assert term is not None
            value = term.operands[value.index]  # type: ignore[attr-defined]
            owner = value.owner
        return value

    def ref(self, value: SSAValue) -> str:
        return self.stream_names[self.source(value)]

    def units(self, block: Block | None = None) -> list[Operation]:
        ops: list[Operation] = []
        for op in (block or self.design.body.block).ops:
            if isinstance(op, hws.StageOp):
                ops.append(op)
                ops += self.units(op.body.block)
            elif isinstance(op, hws.UnitOp):
                ops.append(op)
        return ops

    def name_streams(self) -> None:
        """Ports first, then arrays (variadic groups), then every other stream."""
        for arg, hint in zip(self.design.inputs, ("input",) * len(self.design.inputs), strict=True):
            self.stream_names[arg] = self.fresh(
                arg.name_hint or f"{hint}_{arg.index}"  # type: ignore[attr-defined]
            )
            self.ports.add(arg)
        outs = [self.source(v) for v in self.design.outputs]
        for i, v in enumerate(outs):
            if v in self.ports or isinstance(v.owner, _VARIADIC_RESULTS):
                raise UserError(
                    f"output port {i} is not written by a single-output unit; the HLS printer "
                    "needs a unit (e.g. hws.exit_merge) in front of every output port"
                )
            self.stream_names[v] = self.fresh(v.name_hint or f"output_{i}")
            self.ports.add(v)
            self.singles.append(v)  # the word stream that `axis_out` turns into the port
        units = [op for op in self.units() if isinstance(op, hws.UnitOp)]
        for op in units:
            if isinstance(op, _VARIADIC_RESULTS):
                self._array(op, list(op.results), op.results[0].name_hint)
        for op in units:
            if isinstance(op, _VARIADIC_OPERANDS):
                members = [self.source(v) for v in op.operands]
                for v in members:
                    if v in self.stream_names:
                        raise UserError(
                            f"'{op.name}' reads a stream that is already a port or part of "
                            "another stream array; the HLS printer cannot pass it as an array "
                            "member"
                        )
                hint = f"{op.results[0].name_hint or op.name.split('.')[-1]}_in"
                self._array(op, members, hint)
        for op in units:
            for r in op.results:
                if r not in self.stream_names:
                    self.stream_names[r] = self.fresh(r.name_hint or f"s{len(self.used)}")
                    self.singles.append(r)

    def _array(self, op: Operation, members: list[SSAValue], hint: str | None) -> None:
        base = re.sub(r"_p0$", "", hint or op.name.split(".")[-1])
        name = self.fresh(base)
        word = members[0].type.cpp()  # type: ignore[attr-defined]
        self.arrays.append((name, word, members))
        for i, v in enumerate(members):
            self.stream_names[v] = f"{name}[{i}]"

    @staticmethod
    def depth(value: SSAValue) -> int:
        owner = value.owner
        assert isinstance(owner, hws.UnitOp)
        return owner.depths()[value.index]  # type: ignore[attr-defined]

    def call(self, op: hws.UnitOp) -> str:
        targs = [template_arg(v) for _, v in op.template_args()]
        args: list[str] = []
        if isinstance(op, _VARIADIC_OPERANDS):
            args.append(self.ref(op.operands[0]).split("[")[0])
        else:
            args += [self.ref(v) for v in op.operands]
        if isinstance(op, hws.ExitDecisionOp):
            frac = element(op.logits).frac
            if frac != DEFAULT_IN_FRAC:
                self.tables.add(frac)
                targs.append(f"atheena::{table_name(frac, DEFAULT_OUT_FRAC)}")
        if isinstance(op, hws.ConvOp | hws.LinearOp | hws.BiasOp):
            args.append(self.weight_array(op))
        if isinstance(op, _VARIADIC_RESULTS):
            args.append(self.ref(op.results[0]).split("[")[0])
        else:
            args += [self.ref(r) for r in op.results]
        if isinstance(op, hws.ExitDecisionOp):
            arg = f"limit_{len(self.limits)}"
            self.limits.append((arg, op.limit.value.data, float(op.threshold.value.data)))
            args.append(arg)
        return f"atheena::{op.UNIT}<{', '.join(targs)}>({', '.join(args)})"

    def weight_array(self, op: hws.UnitOp) -> str:
        if isinstance(op, hws.BiasOp):
            t, values, what = op.bias_type, _dense(op.biases), "b"
        else:
            assert isinstance(op, hws.ConvOp | hws.LinearOp)
            t, values, what = op.weight_type, _dense(op.weights), "w"
        name = self.fresh(f"{op.results[0].name_hint or op.UNIT}_{what}", ("_raw", "_loaded"))
        self.weights.append(
            f"// {op.name} -> {self.ref(op.results[0])}: {t.cpp()}, layout "
            f"{'x'.join(map(str, values.shape))}\n" + weight_definition(name, values, t)
        )
        return name

    def port(self, value: SSAValue, index: int, is_result: bool) -> Port:
        t = value.type
        assert isinstance(t, hws.StreamTypeBase)
        lanes, element = t.lanes_or_none(), t.element_or_none()
        if lanes is None or element is None:
            raise UserError("control streams cannot be ports of the top function")
        rows, cols, ch = self.design.maps()[index]
        name = self.stream_names[self.source(value)]
        axis, n = hdl_identifier(name, "axis"), 1
        while axis.lower() in {u.lower() for u in self.used}:
            axis, n = hdl_identifier(f"{name}_{n}", "axis"), n + 1
        self.used.add(axis)
        return Port(name, f"atheena::{t.cpp()}", (rows, cols, ch), lanes, element, is_result, axis)

    def print(self) -> DesignCode:
        self.name_streams()
        inputs = [self.port(v, i, False) for i, v in enumerate(self.design.inputs)]
        n_in = len(inputs)
        outputs = [
            self.port(v, n_in + i, isinstance(v.type, hws.ResultType))
            for i, v in enumerate(self.design.outputs)
        ]
        body = [f"  ATHEENA_PROCESS(atheena::axis_in({p.axis}, {p.name}))" for p in inputs]
        for op in self.units():
            if isinstance(op, hws.StageOp):
                body.append(f"  // stage {op.index.value.data} (reach {op.reach.value.data:g})")
            else:
                assert isinstance(op, hws.UnitOp)
                body.append(f"  ATHEENA_PROCESS({self.call(op)})")
        body += [f"  ATHEENA_PROCESS(atheena::axis_out({p.name}, {p.axis}))" for p in outputs]
        decls: list[str] = []
        for arg in self.design.inputs:  # the input ports' words (axis_in) at the default depth
            name, word = self.stream_names[arg], arg.type.cpp()  # type: ignore[attr-defined]
            decls += [
                f"  hls::stream<atheena::{word}> {name}({cpp_string(name)});",
                f"#pragma HLS STREAM variable={name} depth={PORT_DEPTH}",
                f"  ATHEENA_STREAM_DEPTH({name}, {PORT_DEPTH});",
            ]
        for name, word, members in self.arrays:
            depth = max(self.depth(v) for v in members)
            decls += [
                f"  hls::stream<atheena::{word}> {name}[{len(members)}];",
                f"#pragma HLS STREAM variable={name} depth={depth}",
                f"  ATHEENA_STREAM_DEPTH({name}, {depth});",
            ]
        for v in self.singles:
            name, depth = self.stream_names[v], self.depth(v)
            decls += [
                f"  hls::stream<atheena::{v.type.cpp()}> {name}({cpp_string(name)});",  # type: ignore[attr-defined]
                f"#pragma HLS STREAM variable={name} depth={depth}",
                f"  ATHEENA_STREAM_DEPTH({name}, {depth});",
            ]
        params = [
            f"hls::stream<{self.name}_{kind}{i}_axis>& {p.axis}"
            for kind, ports in (("in", inputs), ("out", outputs))
            for i, p in enumerate(ports)
        ]
        params += [f"ap_uint<32> {arg}" for arg, _, _ in self.limits]
        pragmas = [f"#pragma HLS INTERFACE axis port={p.axis}" for p in [*inputs, *outputs]]
        pragmas += [f"#pragma HLS INTERFACE s_axilite port={arg}" for arg, _, _ in self.limits]
        pragmas.append(
            "#pragma HLS INTERFACE s_axilite port=return"
            if self.limits
            else "#pragma HLS INTERFACE ap_ctrl_none port=return"
        )
        signature = f"void {self.name}({', '.join(params)})"
        guard = f"ATHEENA_{self.name.upper()}_H"
        header = [
            f"// {self.name}: generated by atheena-ir (-t hls) from "
            f"hws.design @{comment_text(self.design.sym_name.data)}.",
            "// Ports are AXI4-Streams with TLAST, one beat per atheena word (axis/atheena_axis.h,",
            "// docs/hls_backend.md).",
            f"#ifndef {guard}",
            f"#define {guard}",
            "",
            "#include <hls_stream.h>",
            "",
            '#include "atheena/types.h"',
            '#include "axis/atheena_axis.h"',
            "",
        ]
        for i, p in enumerate(inputs):
            header += [
                f"// input {i} '{p.axis}': {p.map[0]}x{p.map[1]}x{p.map[2]} "
                f"(rows x cols x channels), {p.words} words of {p.lanes} lanes per sample",
                f"typedef {p.element.cpp()} {self.name}_in{i}_t;",
                f"typedef {p.word} {self.name}_in{i}_word;",
                f"typedef atheena::axis_traits<{self.name}_in{i}_word>::beat "
                f"{self.name}_in{i}_axis;",
                f"const int {self.name.upper()}_IN{i}_WORDS = {p.words};",
                f"const int {self.name.upper()}_IN{i}_LANES = {p.lanes};",
            ]
        for i, p in enumerate(outputs):
            header += [
                f"// output {i} '{p.axis}': {p.map[0]}x{p.map[1]}x{p.map[2]}, {p.words} words "
                f"of {p.lanes} lanes per sample"
                + (" (result words: sample id, exit index, data)" if p.is_result else ""),
                f"typedef {p.element.cpp()} {self.name}_out{i}_t;",
                f"typedef {p.word} {self.name}_out{i}_word;",
                f"typedef atheena::axis_traits<{self.name}_out{i}_word>::beat "
                f"{self.name}_out{i}_axis;",
                f"const int {self.name.upper()}_OUT{i}_WORDS = {p.words};",
                f"const int {self.name.upper()}_OUT{i}_LANES = {p.lanes};",
            ]
        for arg, limit, thr in self.limits:
            header.append(
                f"const unsigned {self.name.upper()}_{arg.upper()} = {limit}u;  "
                f"// threshold {thr:g}: exit when the exp-table sum is below this"
            )
        header.append("")
        header += [f"{signature};", "", f"#endif  // {guard}", ""]
        includes = ['#include "atheena/units.h"']
        includes += [f'#include "{table_name(f, DEFAULT_OUT_FRAC)}.h"' for f in sorted(self.tables)]
        cpp = [
            f"// {self.name}: generated by atheena-ir (-t hls). One dataflow region: every unit",
            "// is a process, every edge a bounded stream (docs/hls_backend.md).",
            f'#include "{self.name}.h"',
            "",
            *includes,
            "",
            f'#include "{self.name}_weights.h"',
            "",
            f"{signature} {{",
            *pragmas,
            "#pragma HLS DATAFLOW",
            *decls,
            "  ATHEENA_DATAFLOW_BEGIN",
            *body,
            "  ATHEENA_DATAFLOW_END",
            "}",
            "",
        ]
        wguard = f"ATHEENA_{self.name.upper()}_WEIGHTS_H"
        weights = [
            f"// {self.name}: weights and biases, quantised to their fixed-point types, in the",
            "// units' array layouts (atheena_ir.numerics.layout).",
            "// Generated by atheena-ir (-t hls).",
            f"#ifndef {wguard}",
            f"#define {wguard}",
            "",
            '#include "atheena/types.h"',
            "",
            "#ifndef __SYNTHESIS__",
            "// C simulation: sets each element's bits from its raw integer.",
            "template <class T>",
            "bool atheena_load_raw(T* dst, const long long* raw, int n) {",
            "  for (int i = 0; i < n; i++) {",
            "    ap_uint<T::width> bits = (unsigned long long)raw[i];",
            "    dst[i].range(T::width - 1, 0) = bits;",
            "  }",
            "  return true;",
            "}",
            "#endif",
            "",
            *self.weights,
            f"#endif  // {wguard}",
            "",
        ]
        files = {
            f"src/{self.name}.h": "\n".join(header),
            f"src/{self.name}.cpp": "\n".join(cpp),
            f"src/{self.name}_weights.h": "\n".join(weights),
        }
        for f in sorted(self.tables):
            files[f"src/{table_name(f, DEFAULT_OUT_FRAC)}.h"] = table_header(
                f, DEFAULT_OUT_FRAC, default=False
            )
        return DesignCode(self.name, inputs, outputs, self.limits, files)


def print_design(design: hws.DesignOp) -> DesignCode:
    """The C++ sources of `design` (top function, header, weights, any extra exp table)."""
    return _Printer(design).print()
