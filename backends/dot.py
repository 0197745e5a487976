"""
`-t dot`: an `hws` design as a Graphviz graph, so a designer can look at the hardware.

```
atheena-opt model.onnx -p 'canonicalize,split-exits{exit-probs=0.75},lower-to-hws' -t dot -o d.dot
dot -Tsvg d.dot -o d.svg
```

One node per unit (its op, its stream name and its key parameters: lanes, kernel,
filters, the buffers' maps), one cluster per stage (with its reach), ports as
ellipses, and one edge per stream labelled with its lanes and FIFO depth. Node names
follow the IR order, so the same design always prints the same text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import IO

from xdsl.context import Context
from xdsl.dialects.builtin import ModuleOp
from xdsl.ir import Block, Operation, SSAValue
from xdsl.utils.target import Target

from atheena_ir.dialects import hws
from atheena_ir.dialects.ee.syntax import int_list
from atheena_ir.errors import UserError


def _quote(text: str) -> str:
    """A DOT string (a `\\n` in `text` stays a line break)."""
    return '"' + text.replace('"', '\\"') + '"'


def _details(op: Operation) -> list[str]:
    """The parameters worth seeing on a unit's node."""
    match op:
        case hws.SlidingWindowOp():
            kh, kw = op.kernel
            rows, cols, ch = int_list(op.map)
            return [f"{rows}x{cols}x{ch}, {kh}x{kw} / {int_list(op.strides)[0]}"]
        case hws.ConvOp():
            g, filt = op.groups_filters()
            return [f"{filt} filters, {g} groups, fine {op.fine.value.data}"]
        case hws.AccumOp():
            return [f"{op.groups.value.data} groups, {op.filters.value.data} filters"]
        case hws.PoolOp():
            return [op.mode.data]
        case hws.LinearOp():
            n_in, filt, co, ci = (dict(op.template_args())[k] for k in ("N_IN", "FILT", "CO", "CI"))
            return [f"{n_in}x{ci} -> {filt}x{co}"]
        case hws.ExitDecisionOp():
            return [f"{op.classes.value.data} classes, thr {op.threshold.value.data:g}"]
        case hws.CondBufferOp():
            return [
                f"forward {op.mode.data}",
                f"{op.maps.value.data} maps x {op.map_words.value.data} words",
            ]
        case hws.ExitMergeOp():
            return [f"{len(op.inputs)} exits, {op.map_words.value.data} words"]
        case _:
            return []


@dataclass
class _Graph:
    """Node names and the text of one design."""

    design: hws.DesignOp
    names: dict[object, str]
    lines: list[str]

    def node(self, key: object) -> str:
        if key not in self.names:
            self.names[key] = f"n{len(self.names)}"
        return self.names[key]

    def producer(self, value: SSAValue) -> tuple[str, int | None]:
        """The node writing `value` and the FIFO depth of that stream (through stage results)."""
        owner = value.owner
        if isinstance(owner, hws.StageOp):
            term = owner.body.block.last_op
            assert term is not None
            return self.producer(term.operands[value.index])  # type: ignore[attr-defined]
        if isinstance(owner, hws.UnitOp):
            return self.node(owner), owner.depths()[value.index]  # type: ignore[attr-defined]
        return self.node(value), None

    def edge(self, value: SSAValue, target: str) -> None:
        source, depth = self.producer(value)
        lanes = value.type.lanes_or_none() if isinstance(value.type, hws.StreamTypeBase) else None
        parts = ["ctrl" if lanes is None else f"L={lanes}"]
        if depth is not None:
            parts.append(f"d={depth}")
        self.lines.append(f"  {source} -> {target} [label={_quote(', '.join(parts))}];")

    def units(self, block: Block, indent: str) -> None:
        for op in block.ops:
            if isinstance(op, hws.StageOp):
                name = f"cluster_stage{op.index.value.data}"
                self.lines.append(f"{indent}subgraph {name} {{")
                label = f"stage {op.index.value.data} (reach {op.reach.value.data:g})"
                self.lines.append(f"{indent}  label={_quote(label)};")
                self.units(op.body.block, indent + "  ")
                self.lines.append(f"{indent}}}")
            elif isinstance(op, hws.UnitOp):
                hint = op.results[0].name_hint if op.results else None
                title = re.sub(r"_p0$", "", hint or "")
                label = "\\n".join([op.name, *([title] if title else []), *_details(op)])
                shape = "box3d" if isinstance(op, hws.CondBufferOp) else "box"
                self.lines.append(
                    f"{indent}{self.node(op)} [label={_quote(label)}, shape={shape}];"
                )

    def edges(self) -> None:
        for op in self.design.walk():
            if isinstance(op, hws.UnitOp):
                for v in op.operands:
                    self.edge(v, self.node(op))
        term = self.design.body.block.last_op
        if isinstance(term, hws.OutputOp):
            for i, v in enumerate(term.operands):
                self.edge(v, f"out{i}")


def design_dot(design: hws.DesignOp) -> str:
    """The DOT text of one design."""
    g = _Graph(design, {}, [])
    g.lines += [
        f"digraph {_quote(design.sym_name.data)} {{",
        "  rankdir=TB;",
        '  node [fontname="Helvetica", fontsize=10];',
        '  edge [fontname="Helvetica", fontsize=9];',
    ]
    for i, arg in enumerate(design.inputs):
        g.lines.append(
            f"  {g.node(arg)} [label={_quote(f'in{i} ' + (arg.name_hint or ''))}, shape=ellipse];"
        )
    g.units(design.body.block, "  ")
    for i, _ in enumerate(design.outputs):
        g.lines.append(f"  out{i} [label={_quote(f'out{i}')}, shape=ellipse];")
    g.edges()
    g.lines.append("}")
    return "\n".join(g.lines) + "\n"


@dataclass(frozen=True)
class DotTarget(Target):
    """The hws design as a Graphviz DOT graph (units, lanes, FIFO depths, stages)."""

    name = "dot"

    def emit(self, ctx: Context, module: ModuleOp, output: IO[str]) -> None:
        designs = [op for op in module.walk() if isinstance(op, hws.DesignOp)]
        if not designs:
            raise UserError(
                "-t dot draws hws designs; lower the network first (-p '...,lower-to-hws')"
            )
        output.write("".join(design_dot(d) for d in designs))
