"""A store of schema version 2 gains the connection tables and keeps its diagrams."""

import sqlite3
from pathlib import Path

import pytest

from chartdb_mcp.core.model import Diagram
from chartdb_mcp.store import open_store, schema_version
from chartdb_mcp.store import schema as store_schema

pytestmark = pytest.mark.anyio


def tables_of(path: Path) -> set[str]:
    with sqlite3.connect(path) as raw:
        names = {row[0] for row in raw.execute("SELECT name FROM sqlite_master")}
    raw.close()
    return names


async def test_a_version_two_store_is_migrated_in_place(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "store.sqlite"
    with monkeypatch.context() as second_layout:
        second_layout.setattr(store_schema, "MIGRATIONS", store_schema.MIGRATIONS[:2])
        async with await open_store(path) as store:
            kept = await store.create(Diagram(name="kept"), "before migration 3")
    assert "connection_profiles" not in tables_of(path)

    async with await open_store(path) as store:
        assert (await store.get(kept.id)).name == "kept"
    with sqlite3.connect(path) as raw:
        assert raw.execute("PRAGMA user_version").fetchone() == (schema_version(),)
        assert raw.execute("PRAGMA foreign_key_check").fetchall() == []
    raw.close()
    assert {"connection_profiles", "query_history", "saved_queries"} <= tables_of(path)
    assert "one_active_profile_per_diagram" in tables_of(path)
