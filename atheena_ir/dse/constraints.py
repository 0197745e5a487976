"""Search constraints in a small language, parsed with lark (grammar: constraints.lark).

```
conv2d.coarse_out <= 8; linear.fine == 1    # limits per op kind
@Conv_3.coarse_in = 4                       # a pinned factor of one layer (its ONNX name)
*.coarse <= 16                              # every layer, coarse_in and coarse_out
stage(0).DSP <= 400; stage(1).BRAM <= 30%   # per-stage resource caps (count or % of the board)
```

Kinds are op names without `ee.` (`conv2d`, `linear`, `maxpool2d`, `avgpool2d`, `relu`, ...) or
the cost model's kinds (`conv`, `maxpool`, ...). Factor rules remove configurations from each
matching layer's table before the search, so every chosen design honours them; stage caps are
constraints of the search itself. Errors name the line and column with a caret.
"""

from __future__ import annotations

import operator
from collections.abc import Callable
from dataclasses import dataclass, field
from importlib import resources as pkg_resources

import numpy as np
from lark import (
    Lark,
    Token,
    Transformer,
    UnexpectedCharacters,
    UnexpectedEOF,
    UnexpectedInput,
    UnexpectedToken,
)

from atheena_ir.dse.configs import FACTORS
from atheena_ir.dse.problem import Problem, StageCap
from atheena_ir.errors import UserError

_OPS: dict[str, Callable[[object, object], object]] = {
    "<=": operator.le, ">=": operator.ge, "==": operator.eq, "=": operator.eq,
    "!=": operator.ne, "<": operator.lt, ">": operator.gt,
}  # fmt: skip
_RESOURCE = {"lut": 0, "ff": 1, "dsp": 2, "bram": 3, "bram18": 3}


@dataclass(frozen=True)
class Where:
    """A position in the constraint text (1-based)."""

    line: int
    column: int


@dataclass(frozen=True)
class FactorRule:
    """``selector.factor op value``; ``selector`` is ('kind' | 'layer' | 'every', name)."""

    selector: tuple[str, str]
    factor: str
    op: str
    value: int
    where: Where
    text: str


@dataclass(frozen=True)
class StageRule:
    """``stage(index).resource <= amount`` (``percent``: amount is % of the platform)."""

    stage: int
    resource: str
    op: str
    amount: float
    percent: bool
    where: Where
    text: str


@dataclass
class Constraints:
    """Parsed constraints; `apply` restricts a `Problem` to them."""

    source: str
    rules: list[FactorRule | StageRule] = field(default_factory=list)
    strict: bool = True
    """Refuse rules naming layers, kinds or stages the design does not have."""

    def lenient(self) -> Constraints:
        """The same rules, ignoring those that match nothing (for a baseline network)."""
        return Constraints(self.source, self.rules, strict=False)

    def apply(self, problem: Problem) -> None:
        """Drop every configuration a factor rule forbids; add the stage caps."""
        for rule in self.rules:
            if isinstance(rule, StageRule):
                self._stage_cap(problem, rule)
                continue
            matched = [layer for layer in problem.layers if _matches(rule, layer)]
            if not matched:
                if self.strict:
                    self._fail(rule.where, _nothing(rule, problem))
                continue
            for layer in matched:
                cols = [0, 1] if rule.factor == "coarse" else [FACTORS.index(rule.factor)]
                mask = np.ones(len(layer.table), dtype=bool)
                for col in cols:
                    mask &= np.asarray(_OPS[rule.op](layer.table.factors[:, col], rule.value))
                if not mask.any():
                    values = sorted({int(v) for c in cols for v in layer.table.factors[:, c]})
                    self._fail(
                        rule.where,
                        f"'{rule.text}' leaves layer {layer.name} no folding "
                        f"({rule.factor} can be {', '.join(map(str, values))} there)",
                    )
                layer.table = layer.table.take(np.flatnonzero(mask))

    def _stage_cap(self, problem: Problem, rule: StageRule) -> None:
        positions = [i for i, s in enumerate(problem.stages) if s.index == rule.stage]
        if not positions:
            if self.strict:
                have = ", ".join(str(s.index) for s in problem.stages)
                self._fail(rule.where, f"there is no stage {rule.stage} (stages: {have})")
            return
        index = _RESOURCE[rule.resource.lower()]
        limit = rule.amount
        if rule.percent:
            limit = rule.amount / 100.0 * problem.capacity[index]
        if rule.op == "<":
            limit = np.ceil(limit) - 1  # resources are whole numbers
        problem.stage_caps.append(StageCap(positions[0], index, float(limit), rule.text))

    def _fail(self, where: Where, message: str) -> None:
        raise UserError(f"constraints:{where.line}:{where.column}: {message}\n"
                        f"{_caret(self.source, where)}")  # fmt: skip


def _matches(rule: FactorRule, layer: object) -> bool:
    kind, name = rule.selector
    if kind == "every":
        return layer.foldable  # type: ignore[attr-defined]
    if kind == "layer":
        return layer.name == name  # type: ignore[attr-defined]
    return name in (layer.kind, layer.spec.kind.value)  # type: ignore[attr-defined]


def _nothing(rule: FactorRule, problem: Problem) -> str:
    kind, name = rule.selector
    if kind == "layer":
        names = ", ".join(layer.name for layer in problem.layers if layer.foldable)
        return f"no layer named {name!r} (layers: {names})"
    kinds = ", ".join(sorted({layer.kind for layer in problem.layers}))
    return f"no layer of kind {name!r} (kinds here: {kinds})"


def _caret(source: str, where: Where) -> str:
    lines = source.splitlines() or [""]
    text = lines[min(where.line, len(lines)) - 1]
    return f"  {text}\n  {' ' * (where.column - 1)}^"


_PARSER: Lark | None = None


def _parser() -> Lark:
    global _PARSER
    if _PARSER is None:
        grammar = pkg_resources.files("atheena_ir.dse").joinpath("constraints.lark").read_text()
        _PARSER = Lark(grammar, parser="lalr", propagate_positions=True)
    return _PARSER


class _Build(Transformer):
    def __init__(self, source: str) -> None:
        super().__init__()
        self.source = source

    def _text(self, meta_tokens: list[Token]) -> str:
        first, last = meta_tokens[0], meta_tokens[-1]
        return self.source[first.start_pos : last.end_pos]

    def kind(self, items):
        return ("kind", str(items[0]), items[0])

    def layer(self, items):
        name = str(items[0])
        return ("layer", name[1:-1] if name.startswith('"') else name, items[0])

    def every(self, items):
        return ("every", "*", None)

    def amount(self, items):
        return (float(items[0]), len(items) > 1, items[0])

    def factor(self, items):
        selector, factor, op, value = items
        first = selector[2] if selector[2] is not None else factor
        start = first.start_pos - (1 if selector[0] == "layer" else 0)
        if selector[0] == "every":
            start = factor.start_pos - 2
        back = {"layer": 1, "every": 2}.get(selector[0], 0)
        where = Where(first.line, first.column - back)
        text = self.source[start : value.end_pos]
        return FactorRule(selector[:2], str(factor), str(op), int(value), where, text)

    def stage_cap(self, items):
        stage, index, resource, op, amount = items
        where = Where(stage.line, stage.column)
        if str(op) not in ("<=", "<"):
            raise _SemanticError(
                Where(op.line, op.column), f"a resource cap takes '<=' or '<', not '{op}'"
            )
        text = self.source[stage.start_pos : amount[2].end_pos + (1 if amount[1] else 0)]
        return StageRule(int(index), str(resource), str(op), amount[0], amount[1], where, text)

    def start(self, items):
        return list(items)


class _SemanticError(Exception):
    def __init__(self, where: Where, message: str) -> None:
        super().__init__(message)
        self.where = where
        self.message = message


def parse_constraints(source: str) -> Constraints:
    """Parse ``source``; a `UserError` points at the line and column of any mistake."""
    try:
        tree = _parser().parse(source)
    except UnexpectedInput as err:
        where = Where(max(err.line, 1), max(err.column, 1))
        if isinstance(err, UnexpectedEOF) or (
            isinstance(err, UnexpectedToken) and err.token.type == "$END"
        ):
            lines = source.rstrip().splitlines() or [""]
            where = Where(len(lines), len(lines[-1]) + 1)
        raise UserError(f"constraints:{where.line}:{where.column}: {_explain(err, source)}\n"
                        f"{_caret(source, where)}") from None  # fmt: skip
    try:
        rules = _Build(source).transform(tree)
    except Exception as err:  # lark wraps transformer errors in VisitError
        inner = getattr(err, "orig_exc", err)
        if isinstance(inner, _SemanticError):
            raise UserError(
                f"constraints:{inner.where.line}:{inner.where.column}: {inner.message}\n"
                f"{_caret(source, inner.where)}"
            ) from None
        raise
    return Constraints(source, rules)


_NAMES = {
    "CMP": "a comparison (<=, <, ==, =, !=, >=, >)", "FACTOR":
    "a folding factor (coarse_in, coarse_out, coarse_group, fine, coarse)",
    "RESOURCE": "a resource (LUT, FF, DSP, BRAM)", "INT": "an integer", "NUMBER": "a number",
    "IDENT": "an op kind (conv2d, linear, ...)", "LAYER": "a layer name", "STRING": "a layer name",
    "STAGE": "stage(N)", "DOT": "'.'", "AT": "'@'", "STAR": "'*'", "LPAR": "'('", "RPAR": "')'",
    "_SEP": "';' or a new line", "PERCENT": "'%'", "$END": "the end",
}  # fmt: skip


def _explain(err: UnexpectedInput, source: str) -> str:
    if isinstance(err, UnexpectedCharacters):
        char = source[err.pos_in_stream] if err.pos_in_stream < len(source) else ""
        return f"unexpected character {char!r}" + _expected(err.allowed)
    if isinstance(err, UnexpectedEOF):
        return "the constraint ends too early" + _expected(err.expected)
    if isinstance(err, UnexpectedToken):
        got = "the end" if err.token.type == "$END" else repr(str(err.token))
        return f"unexpected {got}" + _expected(err.expected)
    return str(err)


def _expected(names: set[str] | list[str] | None) -> str:
    if not names:
        return ""
    words = sorted({_NAMES.get(n, n) for n in names})
    return "; expected " + " or ".join(words)
