"""Stable identifiers for diagram elements."""

import secrets


def new_id() -> str:
    """Return a fresh identifier: 12 random hex digits (48 bits), unique within a store.

    Drawn straight from the OS's random source: an import creates one per column, and
    this is several times cheaper than formatting a UUID.
    """
    return secrets.token_hex(6)
