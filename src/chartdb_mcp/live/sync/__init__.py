"""Live side of sync: read the schemas a diagram describes, in one batched pass."""
