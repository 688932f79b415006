"""The master key of connection secrets, as the command line and the server reach it."""

from chartdb_mcp.config import Settings
from chartdb_mcp.errors import MasterKeyUnavailable
from chartdb_mcp.service.connections import rotate_master_key
from chartdb_mcp.store import open_store
from chartdb_mcp.store.master_key import (
    NEW_KEY_ENV,
    KeySource,
    KeySourceKind,
    encode_key,
    generate_key,
    key_source,
)


def source_of(settings: Settings) -> KeySource:
    """The key source the settings choose; raises MasterKeyUnavailable saying how to choose."""
    return key_source(settings.key_source, db_path=settings.db_path, key_file=settings.key_file)


def generate_key_text() -> str:
    """A fresh master key in the base64 form --key-source env expects."""
    return encode_key(generate_key())


async def rotate(settings: Settings) -> int:
    """Re-encrypt every secret in the settings' store under a new key; returns how many."""
    source = source_of(settings)
    if source.kind is KeySourceKind.ENV:
        new_key = source.staged()
        if new_key is None:
            raise MasterKeyUnavailable(
                f"Put the new key in ${NEW_KEY_ENV} (make one with `chartdb-mcp generate-key`)."
            )
    else:
        new_key = generate_key()
    async with await open_store(settings.db_path) as store:
        return await rotate_master_key(store, source, new_key)
