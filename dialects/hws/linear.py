"""`hws.linear`: the inner-product (Gemm) unit."""

from __future__ import annotations

from typing import ClassVar

from xdsl.dialects.builtin import DenseIntOrFPElementsAttr
from xdsl.irdl import irdl_op_definition, operand_def, prop_def, result_def

from atheena_ir.dialects.hws.base import TemplateArg, UnitOp, element, lanes
from atheena_ir.dialects.hws.conv import check_array, dense_shape
from atheena_ir.dialects.hws.types import FixedType, StreamType


@irdl_op_definition
class LinearOp(UnitOp):
    """
    Fully connected layer: `N_IN` input words of CI lanes per sample, `FILT` output
    words of CO lanes; output feature `j*CO+o` is `TOUT(sum_{i,l} x[i][l] * w[i][j][o][l])`.
    `weights` has the layout `[N_IN][FILT][CO][CI]` in stream order
    (`layout.linear_unit_weights(layout.gemm_to_stream_order(w, C, H, W), CI, CO)`);
    `acc_type` is the accumulator. Unit: `linear<T, TW, TACC, TOUT, CI, CO, N_IN, FILT>`.

    ```mlir
    %z = hws.linear %x weights(!hws.fixed<16, 8>) dense<0.25> : tensor<4x5x2x1xf32>
        acc(!hws.fixed<32, 16>) depth 2
        : !hws.stream<fixed<16, 8>, 1> -> !hws.stream<fixed<32, 16>, 2>
    ```
    """

    name = "hws.linear"
    UNIT: ClassVar[str] = "linear"

    input = operand_def(StreamType)
    output = result_def(StreamType)

    weight_type = prop_def(FixedType)
    weights = prop_def(DenseIntOrFPElementsAttr)
    acc_type = prop_def(FixedType)

    assembly_format = (
        "$input `weights` `(` qualified($weight_type) `)` $weights "
        "`acc` `(` qualified($acc_type) `)` `depth` custom<Depths>($depth) attr-dict "
        "`:` type($input) `->` type($output)"
    )

    def template_args(self) -> list[tuple[str, TemplateArg]]:
        n_in, filt, co, ci = dense_shape(self.weights)
        return [
            ("T", element(self.input)), ("TW", self.weight_type), ("TACC", self.acc_type),
            ("TOUT", element(self.output)), ("CI", ci), ("CO", co), ("N_IN", n_in), ("FILT", filt),
        ]  # fmt: skip

    def verify_unit(self) -> None:
        check_array(
            self.weights,
            (None, None, lanes(self.output), lanes(self.input)),
            "weights",
            "[N_IN][FILT][CO][CI]",
        )
