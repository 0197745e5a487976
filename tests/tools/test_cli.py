"""Every tool's failure handling (`atheena_ir.tools.cli.user_errors`): one line, an exit code."""

from __future__ import annotations

import pytest
from xdsl.utils.exceptions import VerifyException

from atheena_ir.errors import UserError
from atheena_ir.tools.cli import user_errors


@pytest.mark.parametrize(
    ("error", "code", "line"),
    [
        (UserError("bad budget\n"), 1, "atheena-x: error: bad budget\n"),
        (FileNotFoundError("no such file: m.onnx"), 1, "atheena-x: error: no such file: m.onnx\n"),
        (VerifyException("op is wrong"), 1, "atheena-x: error: op is wrong\n"),
        (KeyboardInterrupt(), 130, "atheena-x: interrupted\n"),
    ],
)
def test_one_line_and_an_exit_code(error: BaseException, code: int, line: str, capsys) -> None:
    with pytest.raises(SystemExit) as info, user_errors("atheena-x"):
        raise error
    assert info.value.code == code
    assert capsys.readouterr().err == line


def test_a_bug_is_not_hidden() -> None:
    with pytest.raises(ZeroDivisionError), user_errors("atheena-x"):
        _ = 1 / 0
