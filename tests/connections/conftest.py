"""Fixtures for connection and query tests: a master key and a client that uses it."""

import base64
import secrets
from collections.abc import Iterator
from typing import Any

import keyring
import pytest
from keyring.backends import fail
from mcp import Client

from chartdb_mcp.config import Settings
from chartdb_mcp.server import build_server
from chartdb_mcp.store.master_key import KEY_ENV, KeySourceKind
from support.profiles import MakeClient


@pytest.fixture
def master_key(monkeypatch: pytest.MonkeyPatch) -> str:
    """A fresh master key in $CHARTDB_MCP_MASTER_KEY; its base64 text."""
    key = base64.b64encode(secrets.token_bytes(32)).decode()
    monkeypatch.setenv(KEY_ENV, key)
    return key


@pytest.fixture
def make_client(master_key: str) -> MakeClient:
    """A client on a fresh server whose secrets use the environment's master key."""

    def make(
        db_path: str = ":memory:", elicitation_callback: Any = None, **settings: Any
    ) -> Client:
        chosen = {"key_source": KeySourceKind.ENV, **settings}
        server = build_server(Settings(db_path=db_path, **chosen))
        return Client(server, elicitation_callback=elicitation_callback)

    return make


@pytest.fixture
def no_keyring() -> Iterator[None]:
    """The keyring library as it is on a headless machine: only the fail backend."""
    before = keyring.get_keyring()
    keyring.set_keyring(fail.Keyring())
    try:
        yield
    finally:
        keyring.set_keyring(before)
