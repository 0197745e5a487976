"""
`atheena-opt`: the project's `mlir-opt`, built on xDSL's `xDSLOptMain`.

```
atheena-opt model.mlir -p 'canonicalize' -t mlir -o out.mlir
```

It knows every xDSL dialect, pass and target plus the project's own (registered
through the `xdsl.universe` entry point, so plain `xdsl-opt` knows them too). User
errors print one message and exit 1; `-o` is written whole or not at all.
"""

from __future__ import annotations

import argparse
import contextlib
import dataclasses
import difflib
import io
import re
import sys
import typing
from collections.abc import Sequence
from typing import IO

from xdsl.passes import ModulePass, PassPipeline
from xdsl.utils.arg_spec import ArgSpec, PipelineLexer, SpecTokenKind, parse_pipeline
from xdsl.utils.exceptions import ArgSpecParseError, DiagnosticException, ParseError
from xdsl.xdsl_opt_main import xDSLOptMain

from atheena_ir.backends import get_all_targets
from atheena_ir.errors import UserError
from atheena_ir.outputs import refuse_input_as_output, write_atomic
from atheena_ir.passes import get_all_passes
from atheena_ir.tools.cli import allow_deep_ir, resource_message


class AtheenaOptMain(xDSLOptMain):
    """xDSL's driver with the project's help text, pipeline checks and error handling."""

    version_format = "atheena-opt built on xdsl {xdsl_version}"

    def register_all_frontends(self) -> None:
        """xDSL's frontends plus `onnx`: `atheena-opt model.onnx` imports into `ee`."""
        from xdsl.dialects.builtin import ModuleOp

        super().register_all_frontends()

        def import_onnx(stream: IO[bytes]) -> ModuleOp:
            from atheena_ir.onnx_frontend import import_onnx_stream

            return import_onnx_stream(stream, self.get_input_name())

        self.available_frontends["onnx"] = import_onnx

    def register_all_arguments(self, arg_parser: argparse.ArgumentParser) -> None:
        super().register_all_arguments(arg_parser)
        arg_parser.formatter_class = argparse.RawDescriptionHelpFormatter
        arg_parser.epilog = _epilog()

    def setup_pipeline(self) -> None:
        specs = _check_pipeline(self.available_passes, self.args.passes)
        self.args.passes = ",".join(str(spec) for spec in specs)
        super().setup_pipeline()

    def prepare_output(self) -> IO[str]:
        return self._buffer

    def run(self) -> None:
        refuse_input_as_output({"-o": self.args.output_file}, [self.args.input_file])
        self._buffer = _Capture()
        if self.args.output_file is None:
            # xDSL prints --verify-diagnostics/--parsing-diagnostics messages to sys.stdout; into
            # the buffer they keep their place among the chunks' output.
            with contextlib.redirect_stdout(self._buffer):
                super().run()
        else:
            super().run()
        text = self._buffer.getvalue()
        if self.args.output_file is None:
            sys.stdout.write(text)
        else:
            write_atomic(self.args.output_file, text)


class _Capture(io.StringIO):
    """Collects the output; xDSL closes its output stream, which must not discard it."""

    def close(self) -> None:
        pass


def _epilog() -> str:
    lines = ["project passes (-p NAME{opt=value ...}):"]
    for name, factory in get_all_passes().items():
        lines.append(f"  {name:<22} {_summary(factory())}")
    lines.append("project targets (-t NAME):")
    for name, factory in get_all_targets().items():
        lines.append(f"  {name:<22} {_summary(factory())}")
    lines.append("All of xDSL's passes and targets are available too (see -p and -t above).")
    return "\n".join(lines)


def _summary(cls: type) -> str:
    doc = (cls.__doc__ or "").strip()
    return doc.splitlines()[0] if doc else ""


def _check_pipeline(available: dict, spec: str) -> list[ArgSpec]:
    """Name unknown passes and bad options with the valid choices, before xDSL's terse errors;
    returns the passes with integer spellings of float options (`budget=1`) made floats."""
    try:
        specs = list(parse_pipeline(spec))
        _refuse_repeated_options(spec)
    except ArgSpecParseError as e:
        raise UserError(f"bad pass pipeline '{spec}': {e}") from None
    for index, pass_spec in enumerate(specs):
        if pass_spec.name not in available:
            close = difflib.get_close_matches(pass_spec.name, list(available), n=3)
            hint = f" Did you mean: {', '.join(close)}?" if close else ""
            project = ", ".join(get_all_passes()) or "(none yet)"
            raise UserError(
                f"unknown pass '{pass_spec.name}'.{hint} Project passes: {project}. "
                "Run 'atheena-opt --help' for the list."
            )
        cls: type[ModulePass] = available[pass_spec.name]()
        pass_spec = specs[index] = _floats_as_floats(cls, pass_spec)
        try:
            cls.from_pass_spec(pass_spec)
        except (ValueError, TypeError) as e:
            options = ", ".join(
                f"{f.name.replace('_', '-')}: {_type_name(f.type)}" for f in dataclasses.fields(cls)
            )
            raise UserError(
                f"bad option for pass '{pass_spec.name}': {e}. Valid options: {options or '(none)'}"
            ) from None
    return specs


def _refuse_repeated_options(spec: str) -> None:
    """UserError when one pass names an option twice (`fold{coarse=2 coarse=1}`)."""
    lexer, depth, previous = PipelineLexer(spec), 0, None
    seen: set[str] = set()
    while (token := lexer.lex()).kind is not SpecTokenKind.EOF:
        if token.kind is SpecTokenKind.L_BRACE:
            depth, seen = depth + 1, set()
        elif token.kind is SpecTokenKind.R_BRACE:
            depth -= 1
        elif token.kind is SpecTokenKind.IDENT and depth == 1 and previous in _KEY_AFTER:
            key = token.span.text.replace("_", "-")
            if key in seen:
                raise UserError(f"option '{token.span.text}' is given twice in '{spec}'")
            seen.add(key)
        previous = token.kind


_KEY_AFTER = (SpecTokenKind.L_BRACE, SpecTokenKind.SPACE)


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


def _type_name(t: object) -> str:
    return t if isinstance(t, str) else getattr(t, "__name__", str(t))


def main(args: Sequence[str] | None = None) -> None:
    """Run `atheena-opt`; user errors end with one message on stderr and exit code 1."""
    allow_deep_ir()
    try:
        AtheenaOptMain(description=__doc__.strip().splitlines()[0], args=args).run()
    except ParseError as e:
        _fail(f"parse error: {e}")
    except ArgSpecParseError as e:
        _fail(f'bad option syntax: {e} (quote strings with dots or slashes: platform="my.toml")')
    except DiagnosticException as e:
        _fail(f"error: {e}{_where(e)}")
    except (UserError, OSError) as e:
        _fail(f"error: {e}")
    except ValueError as e:  # xDSL reports an unknown input extension this way
        _fail(f"error: {e}")
    except (RecursionError, MemoryError) as e:
        _fail(f"error: {resource_message(e)}")
    except KeyboardInterrupt:
        print("atheena-opt: interrupted", file=sys.stderr)
        raise SystemExit(130) from None


_MARKER = re.compile(r"^\s*\^+-*\s*$")


def _where(e: Exception) -> str:
    """The failing op's line from xDSL's annotated dump (not the whole module)."""
    for note in getattr(e, "__notes__", []):
        lines = note.splitlines()
        for i, line in enumerate(lines):
            if _MARKER.match(line) and i > 0:
                op_line = lines[i - 1].strip()
                if len(op_line) > 160:
                    op_line = op_line[:157] + "..."
                return f"\n  in: {op_line}"
    return ""


def _fail(message: str) -> None:
    print(f"atheena-opt: {message}", file=sys.stderr)
    raise SystemExit(1)


__all__ = ["AtheenaOptMain", "PassPipeline", "main"]
