"""
What every command-line tool does with a failure: a user error (`UserError`, an OS error,
an xDSL diagnostic) prints one `<tool>: error: ...` line on stderr and exits 1; Ctrl-C prints
`<tool>: interrupted` and exits 130. No traceback either way.

```python
def main(argv=None) -> None:
    with user_errors("atheena-dse"):
        run(parser().parse_args(argv))
```
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager

from xdsl.utils.exceptions import DiagnosticException

from atheena_ir.errors import UserError


@contextmanager
def user_errors(tool: str) -> Iterator[None]:
    """Turn user errors and Ctrl-C inside the block into one line and an exit code."""
    try:
        yield
    except (UserError, OSError, DiagnosticException) as err:
        print(f"{tool}: error: {str(err).rstrip()}", file=sys.stderr)
        raise SystemExit(1) from None
    except KeyboardInterrupt:
        print(f"{tool}: interrupted", file=sys.stderr)
        raise SystemExit(130) from None
