"""
The project from Python (scripts, notebooks, tests): a context that knows every dialect, IR
parsing, and pass pipelines run with the same checks and messages as `atheena-opt`.

```python
import atheena_ir

module = atheena_ir.parse('''
func.func @main(%x: tensor<1x4xf32>) -> tensor<1x4xf32> {
  %y = ee.relu %x : tensor<1x4xf32>
  func.return %y : tensor<1x4xf32>
}
''')
atheena_ir.run_passes(module, "fold{coarse=2}")
print(module)
SomePass().apply(atheena_ir.context(), module)    # a pass object directly
```

`atheena_ir.context()` knows `builtin`, `func`, every other xDSL dialect (loaded when the IR
first names it) and the project's `ee` and `hws`. `atheena_ir.available_passes()` is what
`-p` accepts: xDSL's passes and the project's (`atheena_ir.passes.PASSES`).
"""

from __future__ import annotations

import dataclasses
import difflib
import types
import typing
from collections.abc import Callable

from xdsl.context import Context
from xdsl.dialects.builtin import ModuleOp
from xdsl.passes import ModulePass, PassPipeline
from xdsl.utils.arg_spec import (
    ArgSpec,
    ArgSpecParseError,
    PipelineLexer,
    SpecTokenKind,
    parse_pipeline,
)

from atheena_ir.dialects import get_all_dialects
from atheena_ir.errors import UserError
from atheena_ir.passes import get_all_passes


def context() -> Context:
    """A new context with every xDSL dialect and the project's (`ee`, `hws`), loaded lazily."""
    from xdsl.dialects import get_all_dialects as xdsl_dialects

    ctx = Context()
    for name, factory in {**xdsl_dialects(), **get_all_dialects()}.items():
        ctx.register_dialect(name, factory)
    for name in ("builtin", "func", "ee"):
        ctx.load_registered_dialect(name)
    return ctx


def available_passes() -> dict[str, Callable[[], type[ModulePass]]]:
    """Every pass `-p` accepts, by name: xDSL's and the project's (the project's win a clash)."""
    from xdsl.transforms import get_all_passes as xdsl_passes

    return {**xdsl_passes(), **get_all_passes()}


def parse(text: str, ctx: Context | None = None) -> ModuleOp:
    """Parse (and verify) IR text; top-level ops without a `builtin.module` get one."""
    from xdsl.parser import Parser

    module = Parser(ctx or context(), text).parse_module()
    module.verify()
    return module


def run_passes(module: ModuleOp, pipeline: str, ctx: Context | None = None) -> ModuleOp:
    """
    Run a pass pipeline (`"canonicalize,split-exits{exit-probs=0.75}"`, the syntax of `-p`) on
    `module` in place and return it. A bad pipeline raises `UserError` with the message
    `atheena-opt` prints; a pass's own refusal raises xDSL's `PassFailedException`.
    """
    passes = available_passes()
    specs = check_pipeline(passes, pipeline)
    pipeline = ",".join(str(spec) for spec in specs)
    PassPipeline.parse_spec(passes, pipeline).apply(ctx or context(), module)
    return module


def option_types(cls: type[ModulePass]) -> dict[str, str]:
    """
    Each option of a pass with its type as written (`tuple[float, ...]`, `int | None`), the same
    whether or not the pass's file uses `from __future__ import annotations`.
    """
    hints = typing.get_type_hints(cls)
    return {f.name: type_name(hints.get(f.name, f.type)) for f in dataclasses.fields(cls)}


def type_name(t: object) -> str:
    """A type annotation as it is written in Python source."""
    if isinstance(t, str):
        return t
    if t is type(None):
        return "None"
    if t is Ellipsis:
        return "..."
    args = typing.get_args(t)
    if isinstance(t, types.UnionType) or typing.get_origin(t) is typing.Union:
        return " | ".join(type_name(a) for a in args)
    if args:
        origin = typing.get_origin(t)
        if origin is typing.Literal:
            return f"Literal[{', '.join(repr(a) for a in args)}]"
        return f"{type_name(origin)}[{', '.join(type_name(a) for a in args)}]"
    return getattr(t, "__name__", str(t).removeprefix("typing."))


def option_keys(spec: str) -> list[tuple[str, list[str]]]:
    """Each pass of a pipeline with its option keys as written, repeats included."""
    lexer = PipelineLexer(spec)
    result: list[tuple[str, list[str]]] = []
    depth, expect_key, previous = 0, False, None
    while (token := lexer.lex()).kind is not SpecTokenKind.EOF:
        kind = token.kind
        if kind is SpecTokenKind.L_BRACE:
            depth += 1
            expect_key = depth == 1
        elif kind is SpecTokenKind.R_BRACE:
            depth -= 1
        elif depth == 0 and kind is SpecTokenKind.IDENT and previous is not SpecTokenKind.IDENT:
            result.append((token.span.text, []))
        elif depth == 1 and kind is SpecTokenKind.SPACE:
            expect_key = True
        elif depth == 1 and expect_key and kind is SpecTokenKind.IDENT and result:
            result[-1][1].append(token.span.text)
            expect_key = False
        previous = kind
    return result


def check_pipeline(
    available: dict[str, Callable[[], type[ModulePass]]], spec: str
) -> list[ArgSpec]:
    """
    Refuse, with one `UserError` naming the valid choices, a pipeline that names an unknown pass,
    an unknown option (`exit_probs` for `exit-probs`), an option twice or a bad value. Returns
    the passes with integer spellings of float options (`budget=1`, `exit-probs=0`) as floats.
    """
    try:
        specs = list(parse_pipeline(spec))
        keys = option_keys(spec)
    except ArgSpecParseError as e:
        raise UserError(f"bad pass pipeline '{spec}': {e}") from None
    for index, (pass_spec, (_, written)) in enumerate(zip(specs, keys, strict=False)):
        if pass_spec.name not in available:
            close = difflib.get_close_matches(pass_spec.name, list(available), n=3)
            hint = f" Did you mean: {', '.join(close)}?" if close else ""
            project = ", ".join(get_all_passes()) or "(none yet)"
            raise UserError(
                f"unknown pass '{pass_spec.name}'.{hint} Project passes: {project}. "
                "Run 'atheena-opt --help' for the list."
            )
        cls: type[ModulePass] = available[pass_spec.name]()
        typed = option_types(cls)
        options = ", ".join(f"{n.replace('_', '-')}: {t}" for n, t in typed.items()) or "(none)"
        names = [n.replace("_", "-") for n in typed]
        for i, key in enumerate(written):
            if key in written[:i]:
                raise UserError(
                    f"option '{key}' given twice for pass '{pass_spec.name}'; give it once "
                    "(list values are comma-separated: exit-probs=0.6,0.2)"
                )
            if key not in names:
                close = difflib.get_close_matches(key.replace("_", "-"), names, n=1)
                hint = f" Did you mean '{close[0]}'?" if close else ""
                raise UserError(
                    f"unknown option '{key}' for pass '{pass_spec.name}'.{hint} "
                    f"Valid options: {options}"
                )
        pass_spec = specs[index] = _floats_as_floats(cls, pass_spec)
        try:
            cls.from_pass_spec(pass_spec)
        except (ValueError, TypeError) as e:
            raise UserError(
                f"bad option for pass '{pass_spec.name}': {e}. Valid options: {options}"
            ) from None
    return specs


def _floats_as_floats(cls: type[ModulePass], spec: ArgSpec) -> ArgSpec:
    """`spec` with the integers given to float-typed options (`exit-probs=0`) as floats."""
    hints = typing.get_type_hints(cls)
    params = {}
    for key, values in spec.parameters.items():
        hint = hints.get(key.replace("-", "_"))
        if hint is not None and _takes_float(hint):
            values = tuple(
                float(v) if isinstance(v, int) and not isinstance(v, bool) else v for v in values
            )
        params[key] = values
    return dataclasses.replace(spec, parameters=params)


def _takes_float(hint: object) -> bool:
    return hint is float or any(_takes_float(arg) for arg in typing.get_args(hint))
