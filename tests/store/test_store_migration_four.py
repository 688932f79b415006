"""A store of schema version 3 gains the automatic sync table and keeps its diagrams."""

import sqlite3
from pathlib import Path

import pytest

from chartdb_mcp.core.model import Diagram, utc_now
from chartdb_mcp.store import open_store, schema_version
from chartdb_mcp.store import schema as store_schema
from chartdb_mcp.store.auto_sync import AutoSyncStore

pytestmark = pytest.mark.anyio


def tables_of(path: Path) -> set[str]:
    with sqlite3.connect(path) as raw:
        names = {row[0] for row in raw.execute("SELECT name FROM sqlite_master")}
    raw.close()
    return names


async def test_a_version_three_store_is_migrated_in_place(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "store.sqlite"
    with monkeypatch.context() as third_layout:
        third_layout.setattr(store_schema, "MIGRATIONS", store_schema.MIGRATIONS[:3])
        async with await open_store(path) as store:
            kept = await store.create(Diagram(name="kept"), "before migration 4")
    with sqlite3.connect(path) as raw:
        assert raw.execute("PRAGMA user_version").fetchone() == (3,)
    raw.close()
    assert "auto_sync" not in tables_of(path)

    async with await open_store(path) as store:
        assert (await store.get(kept.id)).name == "kept"
        setting = await AutoSyncStore(store).set(kept.id, None, 5, utc_now())
        assert setting.interval_minutes == 5
        await store.delete(kept.id)
        assert await AutoSyncStore(store).get(kept.id) is None
    with sqlite3.connect(path) as raw:
        assert raw.execute("PRAGMA user_version").fetchone() == (schema_version(),) == (4,)
        assert raw.execute("PRAGMA foreign_key_check").fetchall() == []
    raw.close()
    assert "auto_sync" in tables_of(path)
