"""The pure core: domain model and transformations, with no I/O."""
