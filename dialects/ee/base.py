"""Base classes shared by the `ee` ops (undecorated, so subclasses merge their fields)."""

from __future__ import annotations

from abc import ABC, abstractmethod

from xdsl.ir import Operation
from xdsl.irdl import IRDLOperation, ParsePropInAttrDict, opt_prop_def, traits_def
from xdsl.traits import Pure
from xdsl.utils.exceptions import VerifyException

from atheena_ir.dialects.ee.folding import FoldAttr, LegalFolding
from atheena_ir.dialects.ee.syntax import Float, Ident, IntList


class EEOp(IRDLOperation, ABC):
    """An `ee` op: properties not named in the format go in the attribute dictionary."""

    irdl_options = (ParsePropInAttrDict(),)
    custom_directives = (IntList, Ident, Float)

    def verify_(self) -> None:
        self.verify_shapes()

    def verify_shapes(self) -> None:
        """Check operand and result shapes; raise VerifyException on a mismatch."""


class TensorOp(EEOp, ABC):
    """A side-effect-free tensor op."""

    traits = traits_def(Pure())


class FoldableOp(TensorOp, ABC):
    """
    A compute op that may carry a `folding` property (`#ee.fold<...>`). It prints inside the
    `{...}` dictionary with the discardable attributes but lives in `op.properties`, so code that
    copies `op.attributes` drops it: `copy_annotations(old, new)` carries both.
    """

    folding = opt_prop_def(FoldAttr)

    @abstractmethod
    def legal_folding(self) -> LegalFolding:
        """The folding factors this op accepts, derived from its shapes."""

    def verify_(self) -> None:
        self.verify_shapes()
        if self.folding is not None:
            self.legal_folding().check(self.folding, f"'{self.name}'")


def copy_annotations(source: Operation, target: Operation) -> None:
    """
    Give `target` what prints in `source`'s `{...}` dictionary without being its semantics: the
    discardable attributes (`onnx_name`, `exit_fraction`, ...) and the `folding` property, the
    latter only where `target` is a `FoldableOp` that accepts the factors (else it keeps its
    own). The MLIR habit `target.attributes.update(source.attributes)` misses `folding`, which
    is a property (`op.properties["folding"]`).

    ```python
    new = ee.MaxPool2dOp(x, kernel, strides, pads)
    ee.copy_annotations(old_pool, new)      # onnx_name and folding come along
    ```
    """
    target.attributes.update(source.attributes)
    folding = source.properties.get("folding")
    if isinstance(folding, FoldAttr) and isinstance(target, FoldableOp):
        try:
            target.legal_folding().check(folding, f"'{target.name}'")
        except VerifyException:
            return
        target.properties["folding"] = folding
