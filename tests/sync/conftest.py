"""Fixtures for sync tests: a master key in the environment and clients that use it."""

import base64
import secrets
from typing import Any

import pytest
from mcp import Client

from chartdb_mcp.config import Settings
from chartdb_mcp.server import build_server
from chartdb_mcp.store.master_key import KEY_ENV, KeySourceKind
from support.profiles import MakeClient


@pytest.fixture
def make_client(monkeypatch: pytest.MonkeyPatch) -> MakeClient:
    """A client on a fresh server whose connection secrets use an environment master key."""
    monkeypatch.setenv(KEY_ENV, base64.b64encode(secrets.token_bytes(32)).decode())

    def make(db_path: str = ":memory:", **settings: Any) -> Client:
        chosen = {"key_source": KeySourceKind.ENV, **settings}
        return Client(build_server(Settings(db_path=db_path, **chosen)))

    return make
