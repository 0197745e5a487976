"""One builder per layer kind: ``build(reference, coef) -> LayerExpressions``."""
