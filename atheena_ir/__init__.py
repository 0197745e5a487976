"""atheena-ir: early-exit CNNs to streaming FPGA accelerators, on xDSL."""
