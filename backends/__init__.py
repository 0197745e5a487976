"""Printers of atheena-ir."""
