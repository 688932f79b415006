"""Opening store files: migrations, refusals, journal mode, folders and the default path."""

import logging
import sqlite3
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from chartdb_mcp.core.model import Diagram
from chartdb_mcp.errors import StoreError
from chartdb_mcp.store import default_store_path, open_store, schema_version
from chartdb_mcp.store import schema as store_schema

pytestmark = pytest.mark.anyio

MakeDiagram = Callable[..., Diagram]


def pragma(path: Path, name: str) -> object:
    with sqlite3.connect(path) as raw:
        return raw.execute(f"PRAGMA {name}").fetchone()[0]


def table_names(path: Path) -> set[str]:
    with sqlite3.connect(path) as raw:
        rows = raw.execute("SELECT name FROM sqlite_master WHERE type = 'table'").fetchall()
    return {name for (name,) in rows}


def column_names(path: Path, table: str) -> list[str]:
    with sqlite3.connect(path) as raw:
        return [row[1] for row in raw.execute(f"PRAGMA table_info({table})")]


async def test_a_fresh_file_gets_every_migration(store_path: Path) -> None:
    async with await open_store(store_path):
        pass

    assert schema_version() == len(store_schema.MIGRATIONS) >= 1
    assert pragma(store_path, "user_version") == schema_version()
    assert pragma(store_path, "application_id") == store_schema.APPLICATION_ID
    assert {"diagrams", "diagram_versions", "proposals"} <= table_names(store_path)
    assert {"connection_profiles", "query_history", "saved_queries"} <= table_names(store_path)
    assert {"author", "proposal_id", "changes"} <= set(column_names(store_path, "diagram_versions"))
    assert "document" not in column_names(store_path, "diagrams")


async def test_reopening_keeps_the_data_and_migrates_nothing(
    store_path: Path, make_diagram: MakeDiagram, caplog: pytest.LogCaptureFixture
) -> None:
    async with await open_store(store_path) as store:
        created = await store.create(make_diagram(), "created")
    caplog.clear()

    with caplog.at_level(logging.INFO, logger="chartdb_mcp.store"):
        async with await open_store(store_path) as store:
            assert await store.get(created.id) == created

    assert not [r for r in caplog.records if "migrated" in r.getMessage()]
    assert pragma(store_path, "user_version") == schema_version()


async def test_an_empty_file_is_a_fresh_store(store_path: Path) -> None:
    store_path.parent.mkdir(parents=True)
    store_path.touch()

    async with await open_store(store_path) as store:
        assert await store.list_diagrams() == []

    assert pragma(store_path, "user_version") == schema_version()


async def test_a_new_migration_upgrades_an_existing_file(
    store_path: Path, make_diagram: MakeDiagram, monkeypatch: pytest.MonkeyPatch
) -> None:
    async with await open_store(store_path) as store:
        created = await store.create(make_diagram(), "created")
    extra = store_schema.Migration(
        "add an archived flag",
        ("ALTER TABLE diagrams ADD COLUMN archived INTEGER NOT NULL DEFAULT 0",),
    )
    monkeypatch.setattr(store_schema, "MIGRATIONS", (*store_schema.MIGRATIONS, extra))

    async with await open_store(store_path) as store:
        assert await store.get(created.id) == created

    assert pragma(store_path, "user_version") == len(store_schema.MIGRATIONS)
    assert "archived" in column_names(store_path, "diagrams")


async def test_a_failing_migration_leaves_the_file_as_it_was(
    store_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    async with await open_store(store_path):
        pass
    reached = schema_version()
    broken = store_schema.Migration(
        "half a migration",
        ("CREATE TABLE tags (name TEXT)", "ALTER TABLE no_such_table ADD COLUMN x"),
    )
    monkeypatch.setattr(store_schema, "MIGRATIONS", (*store_schema.MIGRATIONS, broken))

    with pytest.raises(StoreError, match="no_such_table"):
        await open_store(store_path)

    assert pragma(store_path, "user_version") == reached
    assert "tags" not in table_names(store_path)


async def test_a_store_of_the_first_layout_gains_the_changelog_and_proposals(
    store_path: Path, make_diagram: MakeDiagram, monkeypatch: pytest.MonkeyPatch
) -> None:
    with monkeypatch.context() as first_layout:
        first_layout.setattr(store_schema, "MIGRATIONS", store_schema.MIGRATIONS[:1])
        async with await open_store(store_path):
            pass
    diagram = make_diagram()
    stamp = "2026-01-01T00:00:00.000000+00:00"
    with sqlite3.connect(store_path) as raw:
        raw.execute(
            "INSERT INTO diagrams VALUES (?, ?, 'postgresql', 1, 0, 0, 0, ?, ?)",
            (diagram.id, diagram.name, stamp, stamp),
        )
        raw.execute(
            "INSERT INTO diagram_versions VALUES (?, 1, 'written by the first layout', 0, ?, ?)",
            (diagram.id, stamp, diagram.model_dump_json()),
        )
    assert pragma(store_path, "user_version") == 1

    async with await open_store(store_path) as store:
        [entry] = await store.history(diagram.id)
        assert await store.list_proposals(diagram.id) == []
        assert (await store.get(diagram.id)).tables == diagram.tables

    assert pragma(store_path, "user_version") == schema_version() == len(store_schema.MIGRATIONS)
    assert (entry.summary, entry.author, entry.proposal_id, entry.changes) == (
        "written by the first layout",
        None,
        None,
        [],
    )


async def test_a_file_from_a_newer_program_is_refused(store_path: Path) -> None:
    async with await open_store(store_path):
        pass
    newer = schema_version() + 1
    with sqlite3.connect(store_path) as raw:
        raw.execute(f"PRAGMA user_version = {newer}")

    with pytest.raises(StoreError, match=rf"schema version {newer}.*newer chartdb-mcp"):
        await open_store(store_path)

    assert pragma(store_path, "user_version") == newer


async def test_a_file_that_is_not_sqlite_is_refused_by_path(store_path: Path) -> None:
    store_path.parent.mkdir(parents=True)
    content = b"name,email\nada,ada@example.com\n" * 200
    store_path.write_bytes(content)

    with pytest.raises(StoreError, match="is not a SQLite database") as raised:
        await open_store(store_path)

    assert repr(str(store_path)) in str(raised.value)
    assert store_path.read_bytes() == content


async def test_another_programs_database_is_left_alone(store_path: Path) -> None:
    store_path.parent.mkdir(parents=True)
    with sqlite3.connect(store_path) as raw:
        raw.execute("CREATE TABLE invoices (id INTEGER PRIMARY KEY)")

    with pytest.raises(StoreError, match="another program") as raised:
        await open_store(store_path)

    assert repr(str(store_path)) in str(raised.value)
    assert table_names(store_path) == {"invoices"}
    assert pragma(store_path, "journal_mode") == "delete"


async def test_a_folder_is_not_a_store_file(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match=repr(str(tmp_path))):
        await open_store(tmp_path)


async def test_a_file_store_uses_wal_and_creates_its_folders(tmp_path: Path) -> None:
    path = tmp_path / "several" / "levels" / "deep.sqlite"

    async with await open_store(str(path)) as store:
        assert store.path == path
        assert pragma(path, "journal_mode") == "wal"


async def test_a_home_relative_path_is_expanded(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.setenv("USERPROFILE", str(tmp_path))

    async with await open_store("~/stores/chartdb.sqlite") as store:
        assert store.path == tmp_path / "stores" / "chartdb.sqlite"

    assert (tmp_path / "stores" / "chartdb.sqlite").is_file()


async def test_memory_stores_are_private_and_leave_no_file(
    tmp_path: Path, make_diagram: MakeDiagram, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    async with await open_store(":memory:") as first, await open_store(":memory:") as second:
        created = await first.create(make_diagram(), "created")
        assert first.path == ":memory:"
        assert [summary.id for summary in await first.list_diagrams()] == [created.id]
        assert await second.list_diagrams() == []

    assert list(tmp_path.iterdir()) == []


async def test_a_closed_store_refuses_work(store_path: Path) -> None:
    store = await open_store(store_path)
    await store.close()
    await store.close()

    with pytest.raises(StoreError, match="is closed"):
        await store.list_diagrams()


async def test_leaving_async_with_closes_the_store(store_path: Path) -> None:
    async with await open_store(store_path) as store:
        pass

    with pytest.raises(StoreError, match="is closed"):
        await store.get("any")


@pytest.mark.skipif(sys.platform != "linux", reason="XDG folders are the Linux convention")
def test_the_default_path_is_in_the_user_data_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path))

    assert default_store_path() == tmp_path / "chartdb-mcp" / "chartdb.sqlite"
    assert not (tmp_path / "chartdb-mcp").exists()
