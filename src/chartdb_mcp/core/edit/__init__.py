"""Pure transformations of diagrams."""
