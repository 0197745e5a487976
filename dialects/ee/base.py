"""Base classes shared by the `ee` ops (undecorated, so subclasses merge their fields)."""

from __future__ import annotations

from abc import ABC, abstractmethod

from xdsl.irdl import IRDLOperation, ParsePropInAttrDict, opt_prop_def, traits_def
from xdsl.traits import Pure

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
    """A compute op that may carry a `folding` property (`#ee.fold<...>`)."""

    folding = opt_prop_def(FoldAttr)

    @abstractmethod
    def legal_folding(self) -> LegalFolding:
        """The folding factors this op accepts, derived from its shapes."""

    def verify_(self) -> None:
        self.verify_shapes()
        if self.folding is not None:
            self.legal_folding().check(self.folding, f"'{self.name}'")
