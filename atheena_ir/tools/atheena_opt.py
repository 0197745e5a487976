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
from collections.abc import Sequence
from typing import IO

from xdsl.passes import ModulePass, PassPipeline
from xdsl.utils.arg_spec import parse_pipeline
from xdsl.utils.exceptions import ArgSpecParseError, DiagnosticException, ParseError
from xdsl.xdsl_opt_main import xDSLOptMain

from atheena_ir.backends import get_all_targets
from atheena_ir.errors import UserError
from atheena_ir.passes import get_all_passes


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
        _check_pipeline(self.available_passes, self.args.passes)
        super().setup_pipeline()
        # `-t hls` prints a testbench whose expected results come from the fixed-point
        # interpreter, which runs the `ee` module: keep it as it was before `lower-to-hws`.
        verify = self.pipeline.callback

        def keep_reference(previous: object, module: object, following: object) -> None:
            if verify is not None:
                verify(previous, module, following)  # type: ignore[arg-type]
            if getattr(following, "name", None) == "lower-to-hws":
                from atheena_ir.backends.hls.target import keep_reference_module

                keep_reference_module(module)  # type: ignore[arg-type]

        self.pipeline = dataclasses.replace(self.pipeline, callback=keep_reference)

    def prepare_output(self) -> IO[str]:
        return self._buffer

    def run(self) -> None:
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
            with open(self.args.output_file, "w") as f:
                f.write(text)


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


def _check_pipeline(available: dict, spec: str) -> None:
    """Name unknown passes and bad options with the valid choices, before xDSL's terse errors."""
    try:
        specs = list(parse_pipeline(spec))
    except ArgSpecParseError as e:
        raise UserError(f"bad pass pipeline '{spec}': {e}") from None
    for pass_spec in specs:
        if pass_spec.name not in available:
            close = difflib.get_close_matches(pass_spec.name, list(available), n=3)
            hint = f" Did you mean: {', '.join(close)}?" if close else ""
            project = ", ".join(get_all_passes()) or "(none yet)"
            raise UserError(
                f"unknown pass '{pass_spec.name}'.{hint} Project passes: {project}. "
                "Run 'atheena-opt --help' for the list."
            )
        cls: type[ModulePass] = available[pass_spec.name]()
        try:
            cls.from_pass_spec(pass_spec)
        except (ValueError, TypeError) as e:
            options = ", ".join(
                f"{f.name.replace('_', '-')}: {_type_name(f.type)}" for f in dataclasses.fields(cls)
            )
            raise UserError(
                f"bad option for pass '{pass_spec.name}': {e}. Valid options: {options or '(none)'}"
            ) from None


def _type_name(t: object) -> str:
    return t if isinstance(t, str) else getattr(t, "__name__", str(t))


def main(args: Sequence[str] | None = None) -> None:
    """Run `atheena-opt`; user errors end with one message on stderr and exit code 1."""
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
