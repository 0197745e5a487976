"""Shared test networks with residual connections (model builder specs)."""

from __future__ import annotations

from atheena_ir.models import EarlyExitNetwork, conv, flatten, linear, maxpool, relu, residual


def b_resnet() -> EarlyExitNetwork:
    """An early-exit ResNet: an identity block before the exit, a downsampling block (1x1
    projection shortcut) after it."""
    block = [conv(4, 3, pad=1), relu(), conv(4, 3, pad=1)]
    down = residual(
        [conv(8, 3, stride=2, pad=1), relu(), conv(8, 3, pad=1)], [conv(8, 1, stride=2)]
    )
    return EarlyExitNetwork(
        backbone_segments=(
            (conv(4, 3, pad=1), relu(), residual(block), relu()),
            (down, relu(), maxpool(2)),
        ),
        exit_branches=((maxpool(2), flatten(), linear()), (flatten(), linear())),
        thresholds=(0.6,),
        input_shape=(1, 12, 12),
        num_classes=4,
        name="b_resnet",
    )
