"""Stable identifiers for diagram elements."""

import uuid


def new_id() -> str:
    """Return a fresh identifier: 12 hex digits, unique enough within one store."""
    return uuid.uuid4().hex[:12]
