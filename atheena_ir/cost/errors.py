"""The error type of the cost model: bad layer descriptions, illegal folding, bad platform files."""

from __future__ import annotations

from atheena_ir.errors import UserError


class CostModelError(UserError):
    """A user-facing error of the cost model; its message says what is wrong and what to do."""
