"""The transformation passes of atheena-ir."""
