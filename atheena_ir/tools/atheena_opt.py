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
import io
import re
import sys
from collections.abc import Sequence
from typing import IO

from xdsl.passes import PassPipeline
from xdsl.utils.exceptions import ArgSpecParseError, DiagnosticException, ParseError
from xdsl.xdsl_opt_main import xDSLOptMain

from atheena_ir.errors import UserError
from atheena_ir.outputs import refuse_input_as_output, write_atomic
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
        arg_parser.description = _description()
        arg_parser.epilog = "All of xDSL's passes and targets are available too (see -p and -t)."

    def setup_pipeline(self) -> None:
        from atheena_ir.pipeline import check_pipeline

        specs = check_pipeline(self.available_passes, self.args.passes)
        self.args.passes = ",".join(str(spec) for spec in specs)
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

    def parse_chunk(self, chunk: IO[bytes], file_extension: str, start_offset: int = 0):
        """With --split-input-file, a chunk that does not parse is reported and the others
        still run (as with mlir-opt); `run` then fails with every chunk's message."""
        try:
            return super().parse_chunk(chunk, file_extension, start_offset)
        except ParseError as e:
            if not self.args.split_input_file or self.args.parsing_diagnostics:
                raise
            e.span = dataclasses.replace(e.span, line_offset=start_offset)
            self._chunk_errors.append(f"parse error: {e}")
            return None

    def run(self) -> None:
        refuse_input_as_output({"-o": self.args.output_file}, [self.args.input_file])
        self._buffer = _Capture()
        self._chunk_errors: list[str] = []
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
        if self._chunk_errors:
            raise UserError("\n".join(self._chunk_errors))
        if self.args.output_file is not None:
            write_atomic(self.args.output_file, text)


class _Capture(io.StringIO):
    """Collects the output; xDSL closes its output stream, which must not discard it."""

    def close(self) -> None:
        pass


_EXAMPLES = """\
Read IR or an ONNX model, run a pass pipeline, print a target (like mlir-opt).

examples:
  atheena-opt examples/two_exit_net.mlir -p canonicalize,cse
  atheena-opt examples/blenet_mnist.onnx -p 'atheena{platform=zc706 budget=0.5}' -t report
"""


def _description() -> str:
    """The help's head: what the tool does, examples, then the project's passes and targets."""
    from atheena_ir.tools.summaries import project_listing

    return f"{_EXAMPLES}\n{project_listing()}"


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
