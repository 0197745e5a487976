"""atheena-csim says it is compiling before its g++ build, which can take minutes."""

from __future__ import annotations

import numpy as np

from atheena_ir.tools import atheena_csim


def test_says_it_compiles_before_the_build(tmp_path, capsys, monkeypatch) -> None:
    inputs = tmp_path / "x.npz"
    np.savez(inputs, x=np.zeros((3, 1, 4, 4)))
    seen_before_build: list[str] = []

    def fake_simulate(project, x, **_options):
        seen_before_build.append(capsys.readouterr().err)
        raise atheena_csim.UserError("stop here")

    monkeypatch.setattr(atheena_csim, "simulate", fake_simulate)
    try:
        atheena_csim.run([str(tmp_path / "proj"), "--inputs", str(inputs)])
    except atheena_csim.UserError:
        pass
    assert seen_before_build == [
        f"atheena-csim: compiling {tmp_path / 'proj'} with g++ (reused while the project is "
        "unchanged), then simulating 3 samples\n"
    ]
