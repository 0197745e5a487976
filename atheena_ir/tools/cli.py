"""
What every command-line tool does with a failure: a user error (`UserError`, an OS error,
an xDSL diagnostic) prints one `<tool>: error: ...` line on stderr and exits 1; Ctrl-C prints
`<tool>: interrupted` and exits 130, SIGTERM `<tool>: terminated` and 143. No traceback.

```python
def main(argv=None) -> None:
    with user_errors("atheena-dse"):
        run(parser().parse_args(argv))
```
"""

from __future__ import annotations

import signal
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager

from xdsl.utils.exceptions import DiagnosticException

from atheena_ir.errors import UserError

MAX_NESTING = 1000
"""The ee.exit nesting the tools are tested with; deeper IR may exhaust Python's stack."""
RECURSION_LIMIT = 20_000
"""Python's recursion limit in the tools: xDSL parses, walks and prints nested regions
recursively (the default 1000 allows only about 100 nested exits)."""


@contextmanager
def user_errors(tool: str) -> Iterator[None]:
    """Turn user errors, Ctrl-C and SIGTERM inside the block into one line and an exit code."""
    allow_deep_ir()
    main = threading.current_thread() is threading.main_thread()
    previous = signal.signal(signal.SIGTERM, _terminate) if main else None
    try:
        yield
    except (UserError, OSError, DiagnosticException) as err:
        print(f"{tool}: error: {str(err).rstrip()}", file=sys.stderr)
        raise SystemExit(1) from None
    except (RecursionError, MemoryError) as err:
        print(f"{tool}: error: {resource_message(err)}", file=sys.stderr)
        raise SystemExit(1) from None
    except KeyboardInterrupt:
        print(f"{tool}: interrupted", file=sys.stderr)
        raise SystemExit(130) from None
    except Terminated:
        print(f"{tool}: terminated", file=sys.stderr)
        raise SystemExit(128 + signal.SIGTERM) from None
    finally:
        if main:
            signal.signal(signal.SIGTERM, previous)


class Terminated(BaseException):
    """SIGTERM, raised in the main thread so that `finally` blocks stop workers and remove
    staging folders before the tool exits."""


def _terminate(signum: int, frame: object) -> None:
    raise Terminated


def allow_deep_ir() -> None:
    """Raise Python's recursion limit to `RECURSION_LIMIT` (never lower it)."""
    sys.setrecursionlimit(max(sys.getrecursionlimit(), RECURSION_LIMIT))


def resource_message(err: BaseException) -> str:
    """The message for running out of stack (IR nested too deeply) or of memory."""
    if isinstance(err, RecursionError):
        return (
            "the IR nests regions too deeply for this tool (Python's recursion limit); "
            f"at most {MAX_NESTING} nested ee.exit regions are supported"
        )
    return "out of memory (is the model or one of its tensors unusually large?)"
