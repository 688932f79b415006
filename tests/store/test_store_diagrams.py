"""Create, read, save, list, delete and history of diagrams, on a memory and a file store."""

import logging
import sqlite3
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from chartdb_mcp.core.model import DatabaseType, Diagram, Table
from chartdb_mcp.errors import DiagramNotFound, InvalidInput, StoreError, VersionConflict
from chartdb_mcp.store import DiagramStore, DiagramSummary, VersionInfo

pytestmark = pytest.mark.anyio

MakeDiagram = Callable[..., Diagram]


def same_content(left: Diagram, right: Diagram) -> bool:
    """Equal apart from what the store stamps: version and timestamps."""
    stamped = {"version", "created_at", "updated_at"}
    return left.model_dump(exclude=stamped) == right.model_dump(exclude=stamped)


def with_table(diagram: Diagram, name: str) -> Diagram:
    return diagram.model_copy(update={"tables": [*diagram.tables, Table(name=name)]})


async def test_create_stores_version_one_stamped_now(
    store: DiagramStore, make_diagram: MakeDiagram
) -> None:
    before = datetime.now(UTC)
    diagram = make_diagram().model_copy(update={"version": 7})

    created = await store.create(diagram, "first draft")

    assert created.version == 1
    assert created.created_at == created.updated_at
    assert before <= created.created_at <= datetime.now(UTC)
    assert same_content(created, diagram)
    assert await store.get(diagram.id) == created


async def test_create_refuses_an_id_in_use(store: DiagramStore, make_diagram: MakeDiagram) -> None:
    original = await store.create(make_diagram(name="original"), "created")
    impostor = make_diagram(name="impostor").model_copy(update={"id": original.id})

    with pytest.raises(InvalidInput, match=repr(original.id)):
        await store.create(impostor, "again")

    assert await store.get(original.id) == original
    assert len(await store.history(original.id)) == 1


async def test_save_writes_the_next_version_and_keeps_the_old_one(
    store: DiagramStore, make_diagram: MakeDiagram
) -> None:
    created = await store.create(make_diagram(tables=2), "created")
    changed = with_table(created, "audit_log")

    saved = await store.save(changed, expected_version=1, summary="added audit_log")

    assert saved.version == 2
    assert saved.created_at == created.created_at
    assert saved.updated_at > created.updated_at
    assert same_content(saved, changed)
    assert await store.get(created.id) == saved
    assert await store.get_version(created.id, 1) == created
    assert await store.get_version(created.id, 2) == saved


async def test_save_ignores_the_version_written_in_the_diagram(
    store: DiagramStore, make_diagram: MakeDiagram
) -> None:
    created = await store.create(make_diagram(), "created")
    claims_newer = created.model_copy(update={"version": 40, "name": "renamed"})

    saved = await store.save(claims_newer, expected_version=1, summary="renamed")

    assert saved.version == 2
    with pytest.raises(VersionConflict):
        await store.save(claims_newer, expected_version=40, summary="stale")


async def test_save_on_a_stale_version_conflicts_and_changes_nothing(
    store: DiagramStore, make_diagram: MakeDiagram
) -> None:
    created = await store.create(make_diagram(), "created")
    current = await store.save(with_table(created, "first"), 1, "first change")

    with pytest.raises(VersionConflict) as raised:
        await store.save(with_table(created, "second"), 1, "based on version 1")

    assert (raised.value.expected, raised.value.actual) == (1, 2)
    assert repr(created.id) in str(raised.value)
    assert await store.get(created.id) == current
    assert [info.version for info in await store.history(created.id)] == [2, 1]


async def test_versions_count_up_one_per_save(
    store: DiagramStore, make_diagram: MakeDiagram
) -> None:
    diagram = await store.create(make_diagram(tables=0), "created")
    for number in range(1, 6):
        diagram = await store.save(with_table(diagram, f"t{number}"), diagram.version, f"t{number}")

    assert diagram.version == 6
    for version in range(1, 7):
        old = await store.get_version(diagram.id, version)
        assert old.version == version
        assert [table.name for table in old.tables] == [f"t{n}" for n in range(1, version)]


async def test_changing_the_input_after_a_write_leaves_the_store_as_written(
    store: DiagramStore, make_diagram: MakeDiagram
) -> None:
    diagram = make_diagram()
    created = await store.create(diagram, "created")

    diagram.tables.clear()

    assert created is not diagram and created.version == 1
    assert len((await store.get(diagram.id)).tables) == 3


async def test_history_lists_versions_newest_first(
    store: DiagramStore, make_diagram: MakeDiagram
) -> None:
    created = await store.create(make_diagram(tables=1), "created")
    second = await store.save(with_table(created, "orders"), 1, "added orders")
    third = await store.save(with_table(second, "items"), 2, "added items")

    history = await store.history(created.id)

    assert history == [
        VersionInfo(version=3, summary="added items", created_at=third.updated_at, table_count=3),
        VersionInfo(version=2, summary="added orders", created_at=second.updated_at, table_count=2),
        VersionInfo(version=1, summary="created", created_at=created.updated_at, table_count=1),
    ]
    assert await store.history(created.id, limit=2) == history[:2]


async def test_history_limit_must_be_positive(
    store: DiagramStore, make_diagram: MakeDiagram
) -> None:
    created = await store.create(make_diagram(), "created")
    with pytest.raises(InvalidInput, match="at least 1"):
        await store.history(created.id, limit=0)


async def test_get_version_of_a_version_never_written(
    store: DiagramStore, make_diagram: MakeDiagram
) -> None:
    created = await store.create(make_diagram(), "created")
    for version in (0, 2, -1):
        with pytest.raises(InvalidInput, match=f"no version {version}"):
            await store.get_version(created.id, version)


async def test_unknown_ids_raise_diagram_not_found(
    store: DiagramStore, make_diagram: MakeDiagram
) -> None:
    await store.create(make_diagram(), "created")
    stranger = make_diagram()

    with pytest.raises(DiagramNotFound, match="'nope'"):
        await store.get("nope")
    with pytest.raises(DiagramNotFound):
        await store.get_version("nope", 1)
    with pytest.raises(DiagramNotFound):
        await store.history("nope")
    with pytest.raises(DiagramNotFound):
        await store.delete("nope")
    with pytest.raises(DiagramNotFound) as raised:
        await store.save(stranger, 1, "never created")
    assert raised.value.diagram_id == stranger.id
    assert len(await store.list_diagrams()) == 1


async def test_list_summarizes_each_diagram_newest_change_first(
    store: DiagramStore, make_diagram: MakeDiagram
) -> None:
    assert await store.list_diagrams() == []
    shop = await store.create(make_diagram(name="shop", tables=3), "created")
    blog = await store.create(
        make_diagram(name="blog", tables=1, database_type=DatabaseType.SQLITE), "created"
    )
    shop = await store.save(with_table(shop, "refunds").model_copy(update={"name": "store"}), 1, "")

    assert await store.list_diagrams() == [
        DiagramSummary(
            id=shop.id,
            name="store",
            database_type=DatabaseType.POSTGRESQL,
            version=2,
            table_count=4,
            view_count=1,
            relationship_count=2,
            updated_at=shop.updated_at,
        ),
        DiagramSummary(
            id=blog.id,
            name="blog",
            database_type=DatabaseType.SQLITE,
            version=1,
            table_count=1,
            view_count=1,
            relationship_count=0,
            updated_at=blog.updated_at,
        ),
    ]


async def test_list_reads_no_document(
    file_store: DiagramStore, store_path: Path, make_diagram: MakeDiagram
) -> None:
    created = await file_store.create(make_diagram(), "created")
    with sqlite3.connect(store_path) as raw:
        raw.execute("UPDATE diagram_versions SET document = '{\"broken\": true}'")

    [summary] = await file_store.list_diagrams()

    assert summary.id == created.id
    with pytest.raises(StoreError, match=f"Diagram {created.id!r}.*cannot be read"):
        await file_store.get(created.id)


async def test_delete_removes_the_diagram_and_every_version(
    file_store: DiagramStore, store_path: Path, make_diagram: MakeDiagram
) -> None:
    doomed = await file_store.create(make_diagram(name="doomed"), "created")
    await file_store.save(doomed, 1, "second")
    kept = await file_store.create(make_diagram(name="kept"), "created")

    await file_store.delete(doomed.id)

    with pytest.raises(DiagramNotFound):
        await file_store.get(doomed.id)
    assert [summary.id for summary in await file_store.list_diagrams()] == [kept.id]
    with sqlite3.connect(store_path) as raw:
        rows = raw.execute("SELECT diagram_id, count(*) FROM diagram_versions GROUP BY 1")
        assert rows.fetchall() == [(kept.id, 1)]


async def test_a_deleted_id_can_be_created_again(
    store: DiagramStore, make_diagram: MakeDiagram
) -> None:
    diagram = make_diagram()
    await store.create(diagram, "created")
    await store.save(diagram, 1, "second")
    await store.delete(diagram.id)

    again = await store.create(diagram, "created again")

    assert again.version == 1
    assert [info.summary for info in await store.history(diagram.id)] == ["created again"]


async def test_a_thousand_tables_round_trip_unchanged(
    file_store: DiagramStore, make_diagram: MakeDiagram
) -> None:
    diagram = make_diagram(name="warehouse", tables=1000)

    created = await file_store.create(diagram, "imported")
    loaded = await file_store.get(diagram.id)
    saved = await file_store.save(loaded, 1, "unchanged")

    stamps = {"created_at": created.created_at, "updated_at": created.updated_at}
    assert loaded == diagram.model_copy(update=stamps)
    assert same_content(saved, diagram)
    assert await file_store.get_version(diagram.id, 1) == loaded
    [summary] = await file_store.list_diagrams()
    assert (summary.table_count, summary.relationship_count) == (1000, 999)


async def test_stamps_survive_in_utc(store: DiagramStore, make_diagram: MakeDiagram) -> None:
    created = await store.create(make_diagram(), "created")
    [summary] = await store.list_diagrams()
    assert created.updated_at.utcoffset() == timedelta(0)
    assert summary.updated_at == created.updated_at


async def test_each_write_logs_one_line_without_the_document(
    store: DiagramStore,
    make_diagram: MakeDiagram,
    caplog: pytest.LogCaptureFixture,
    capsys: pytest.CaptureFixture[str],
) -> None:
    diagram = make_diagram(name="secret_project")
    with caplog.at_level(logging.DEBUG, logger="chartdb_mcp.store"):
        await store.create(diagram, "created")
        await store.save(diagram, 1, "saved")
        await store.get(diagram.id)
        await store.delete(diagram.id)

    lines = [(r.levelno, r.getMessage()) for r in caplog.records]
    assert lines == [
        (logging.INFO, f"created diagram {diagram.id} at version 1"),
        (logging.INFO, f"saved diagram {diagram.id} at version 2"),
        (logging.INFO, f"deleted diagram {diagram.id} (was at version 2)"),
    ]
    assert capsys.readouterr().out == ""
