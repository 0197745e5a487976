"""Built-in FPGA platform files (TOML), loaded with ``atheena_ir.cost.load_platform(name)``."""
