"""The harness's hands and eyes: one interface per concern, one backend per target."""
