"""Writers racing for one diagram: exactly one wins each race and no update is lost."""

import sqlite3
from collections.abc import Callable
from pathlib import Path

import aiosqlite
import anyio
import pytest

from chartdb_mcp.core.model import Diagram, Table
from chartdb_mcp.errors import StoreError, VersionConflict
from chartdb_mcp.store import DiagramStore, open_store, queries
from chartdb_mcp.store.queries import Head

pytestmark = pytest.mark.anyio

MakeDiagram = Callable[..., Diagram]


def slow_down_reads(monkeypatch: pytest.MonkeyPatch) -> None:
    """Widen the window between reading the current version and writing the next one."""
    read_head = queries.fetch_head

    async def slow_fetch_head(connection: aiosqlite.Connection, diagram_id: str) -> Head | None:
        head = await read_head(connection, diagram_id)
        await anyio.sleep(0.05)
        return head

    monkeypatch.setattr(queries, "fetch_head", slow_fetch_head)


async def race(stores: list[DiagramStore], base: Diagram) -> list[object]:
    """Every store saves its own change on top of `base` at once; returns each outcome."""
    outcomes: list[object] = [None] * len(stores)

    async def attempt(number: int) -> None:
        changed = base.model_copy(update={"name": f"writer {number}"})
        try:
            outcomes[number] = await stores[number].save(changed, base.version, f"by {number}")
        except VersionConflict as conflict:
            outcomes[number] = conflict

    async with anyio.create_task_group() as group:
        for number in range(len(stores)):
            group.start_soon(attempt, number)
    return outcomes


async def test_two_stores_on_one_file_one_save_wins(
    store_path: Path, make_diagram: MakeDiagram, monkeypatch: pytest.MonkeyPatch
) -> None:
    async with await open_store(store_path) as first, await open_store(store_path) as second:
        base = await first.create(make_diagram(), "created")
        slow_down_reads(monkeypatch)

        outcomes = await race([first, second], base)

        winners = [outcome for outcome in outcomes if isinstance(outcome, Diagram)]
        losers = [outcome for outcome in outcomes if isinstance(outcome, VersionConflict)]
        assert len(winners) == 1
        assert len(losers) == 1
        assert (losers[0].expected, losers[0].actual) == (1, 2)
        assert await second.get(base.id) == winners[0]
        assert [info.version for info in await first.history(base.id)] == [2, 1]


async def test_many_writers_on_one_store_object_one_wins(
    store: DiagramStore, make_diagram: MakeDiagram, monkeypatch: pytest.MonkeyPatch
) -> None:
    base = await store.create(make_diagram(), "created")
    slow_down_reads(monkeypatch)

    outcomes = await race([store] * 5, base)

    assert sum(isinstance(outcome, Diagram) for outcome in outcomes) == 1
    assert sum(isinstance(outcome, VersionConflict) for outcome in outcomes) == 4
    assert (await store.get(base.id)).version == 2


async def test_writers_that_retry_on_conflict_lose_no_update(
    store_path: Path, make_diagram: MakeDiagram
) -> None:
    writers = 6
    async with await open_store(store_path) as setup:
        base = await setup.create(make_diagram(tables=0), "created")

    async def add_table(number: int) -> None:
        async with await open_store(store_path) as store:
            while True:
                current = await store.get(base.id)
                tables = [*current.tables, Table(name=f"from_writer_{number}")]
                try:
                    await store.save(
                        current.model_copy(update={"tables": tables}), current.version, f"{number}"
                    )
                    return
                except VersionConflict:
                    await anyio.sleep(0)

    async with anyio.create_task_group() as group:
        for number in range(writers):
            group.start_soon(add_table, number)

    async with await open_store(store_path) as store:
        final = await store.get(base.id)
        history = await store.history(base.id)
    assert final.version == writers + 1
    assert sorted(table.name for table in final.tables) == [
        f"from_writer_{number}" for number in range(writers)
    ]
    assert sorted(info.summary for info in history[:-1]) == [str(n) for n in range(writers)]


async def test_a_writer_waits_for_another_process_lock(
    file_store: DiagramStore, store_path: Path, make_diagram: MakeDiagram
) -> None:
    base = await file_store.create(make_diagram(), "created")
    saved: list[Diagram] = []

    async def save() -> None:
        saved.append(await file_store.save(base, 1, "after the wait"))

    other = sqlite3.connect(store_path, isolation_level=None)
    try:
        other.execute("BEGIN IMMEDIATE")
        async with anyio.create_task_group() as group:
            group.start_soon(save)
            await anyio.sleep(0.3)
            assert saved == []
            other.execute("COMMIT")
    finally:
        other.close()

    assert [diagram.version for diagram in saved] == [2]


async def test_a_lock_held_past_the_busy_timeout_is_reported(
    store_path: Path, make_diagram: MakeDiagram
) -> None:
    async with await open_store(store_path, busy_timeout=0.1) as store:
        base = await store.create(make_diagram(), "created")
        other = sqlite3.connect(store_path, isolation_level=None)
        try:
            other.execute("BEGIN IMMEDIATE")
            with pytest.raises(StoreError, match="locked by another process"):
                await store.save(base, 1, "too late")
        finally:
            other.close()

        assert await store.get(base.id) == base
        assert (await store.save(base, 1, "now")).version == 2
