"""Platform TOML files: the built-in boards load, user files are validated with clear errors."""

from __future__ import annotations

from pathlib import Path

import pytest

from atheena_ir.cost import CostModel, CostModelError, builtin_platforms, load_platform

GOOD = """
name = "myboard"
clock_mhz = 300.0
[resources]
lut = 1000
ff = 2000
dsp = 10
bram18 = 20
"""


def test_builtin_platforms() -> None:
    assert set(builtin_platforms()) >= {"zc706", "zcu104", "zcu102", "zedboard", "u250"}
    zc706 = load_platform("zc706")
    assert zc706.resources == {"lut": 218600, "ff": 437200, "dsp": 900, "bram": 1090}
    assert zc706.clock_hz == 125e6
    assert load_platform("zcu102").lut == 274080
    assert load_platform("u250").clock_mhz == 250.0
    assert load_platform("zedboard").dsp == 220
    assert load_platform("zcu104").uram == 96


def test_clock_is_honoured_except_in_reference_mode(tmp_path: Path) -> None:
    path = tmp_path / "board.toml"
    path.write_text(GOOD)
    board = load_platform(path)
    assert CostModel().clock_hz(board) == 300e6
    assert CostModel("atheena-v1").clock_hz(board) == 125e6


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (GOOD.replace("clock_mhz = 300.0\n", ""), "missing required key(s) clock_mhz"),
        (GOOD.replace("dsp = 10\n", ""), "missing required key(s) resources.dsp"),
        (GOOD + "colour = 'red'\n", "unknown key(s) resources.colour"),
        ("speed = 1\n" + GOOD, "unknown key(s) speed"),
        (GOOD.replace("dsp = 10", "dsp = 0"), "resources.dsp must be positive"),
        (GOOD.replace("clock_mhz = 300.0", "clock_mhz = -5"), "clock_mhz must be positive"),
        (GOOD.replace("lut = 1000", "lut = 10.5"), "resources.lut must be an integer"),
        (GOOD.replace("lut = 1000", "lut = true"), "resources.lut must be an integer"),
        (GOOD.replace('"myboard"', "3"), "'name' must be a non-empty string"),
        ("name = [", "not valid TOML"),
    ],
)
def test_malformed_platform_files(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "bad.toml"
    path.write_text(text)
    with pytest.raises(CostModelError) as err:
        load_platform(path)
    assert message in str(err.value)
    assert "bad.toml" in str(err.value)


def test_unknown_platform_name_lists_the_builtins() -> None:
    with pytest.raises(CostModelError, match=r"unknown platform 'zc999'.*zc706"):
        load_platform("zc999")


def test_missing_platform_file() -> None:
    with pytest.raises(CostModelError, match="does not exist"):
        load_platform("no/such/board.toml")


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ('name = "zc706\\nexec touch X\\n#"', "'name' may hold only"),  # Tcl command injection
        ('name = "a b"', "'name' may hold only"),
        ('name = "zc706"\npart = "xc7z045}; exec touch X; #"', "'part' may hold only"),
        ('name = "zc706"\npart = "x$y"', "'part' may hold only"),
        ('name = "ok"\ndescription = "two\\nlines"', "'description' must be one line"),
        ('name = "ok"\nclock_mhz = nan', "clock_mhz must be positive and finite"),
        ('name = "ok"\nclock_mhz = inf', "clock_mhz must be positive and finite"),
        ('name = "ok"\nclock_mhz = 1e308', "beyond any FPGA"),
        ('name = "ok"\nclock_mhz = -inf', "clock_mhz must be positive and finite"),
    ],
)
def test_hostile_platform_strings_and_numbers(tmp_path: Path, line: str, message: str) -> None:
    """Platform text reaches run_hls.tcl and every throughput: only safe tokens, finite numbers."""
    body = GOOD.replace('name = "myboard"\n', "")
    if "clock_mhz" in line:
        body = body.replace("clock_mhz = 300.0\n", "")
    path = tmp_path / "board.toml"
    path.write_text(line + "\n" + body)
    with pytest.raises(CostModelError, match=message):
        load_platform(path)


def test_xilinx_part_names_are_accepted(tmp_path: Path) -> None:
    path = tmp_path / "board.toml"
    path.write_text(GOOD.replace('"myboard"', '"my_board-2.v1+x"\npart = "xcu250-figd2104-2L-e"'))
    assert load_platform(path).part == "xcu250-figd2104-2L-e"
