"""Tests of the example early-exit models (atheena_ir.models)."""
