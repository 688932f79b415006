"""A write interrupted at any point leaves the diagram at its old version, snapshots intact."""

import os
import sys
from collections.abc import Callable
from pathlib import Path

import anyio
import pytest

from chartdb_mcp.core.model import Diagram, Table
from chartdb_mcp.errors import DiagramNotFound
from chartdb_mcp.store import DiagramStore, open_store, queries

pytestmark = pytest.mark.anyio

MakeDiagram = Callable[..., Diagram]


class InjectedFailure(Exception):
    """Stands for anything that can go wrong between two statements of a write."""


async def fail(*args: object) -> None:
    raise InjectedFailure


async def two_versions(store: DiagramStore, make_diagram: MakeDiagram) -> Diagram:
    created = await store.create(make_diagram(), "created")
    tables = [*created.tables, Table(name="second")]
    return await store.save(created.model_copy(update={"tables": tables}), 1, "second")


async def assert_unchanged(store: DiagramStore, current: Diagram) -> None:
    assert await store.get(current.id) == current
    assert [info.version for info in await store.history(current.id)] == [2, 1]
    assert len((await store.get_version(current.id, 1)).tables) == 3
    [summary] = await store.list_diagrams()
    assert (summary.version, summary.table_count) == (2, 4)


async def test_a_save_failing_after_its_snapshot_is_written_changes_nothing(
    file_store: DiagramStore, make_diagram: MakeDiagram, monkeypatch: pytest.MonkeyPatch
) -> None:
    current = await two_versions(file_store, make_diagram)
    monkeypatch.setattr(queries, "update_head", fail)

    with pytest.raises(InjectedFailure):
        await file_store.save(current.model_copy(update={"tables": []}), 2, "lost")

    await assert_unchanged(file_store, current)
    monkeypatch.undo()
    assert (await file_store.save(current, 2, "retried")).version == 3


async def test_a_create_failing_after_its_first_row_leaves_no_diagram(
    store: DiagramStore, make_diagram: MakeDiagram, monkeypatch: pytest.MonkeyPatch
) -> None:
    diagram = make_diagram()
    monkeypatch.setattr(queries, "insert_version", fail)

    with pytest.raises(InjectedFailure):
        await store.create(diagram, "created")

    assert await store.list_diagrams() == []
    with pytest.raises(DiagramNotFound):
        await store.get(diagram.id)


async def test_a_save_cancelled_midway_changes_nothing(
    store: DiagramStore, make_diagram: MakeDiagram, monkeypatch: pytest.MonkeyPatch
) -> None:
    current = await two_versions(store, make_diagram)
    reached = anyio.Event()

    async def hang(*args: object) -> None:
        reached.set()
        await anyio.sleep_forever()

    monkeypatch.setattr(queries, "update_head", hang)
    async with anyio.create_task_group() as group:
        group.start_soon(store.save, current.model_copy(update={"tables": []}), 2, "lost")
        await reached.wait()
        group.cancel_scope.cancel()

    monkeypatch.undo()
    await assert_unchanged(store, current)
    assert (await store.save(current, 2, "after the cancel")).version == 3


CRASHING_SAVE = """
import os, sys
import anyio
from chartdb_mcp.store import open_store, queries

async def crash(*args):
    os._exit(17)

async def main(path, diagram_id):
    store = await open_store(path)
    diagram = await store.get(diagram_id)
    queries.update_head = crash
    await store.save(diagram.model_copy(update={"tables": []}), diagram.version, "lost")

anyio.run(main, *sys.argv[1:])
"""


async def test_a_process_dying_midway_through_a_save_changes_nothing(
    store_path: Path, make_diagram: MakeDiagram
) -> None:
    async with await open_store(store_path) as store:
        current = await two_versions(store, make_diagram)

    process = await anyio.run_process(
        [sys.executable, "-c", CRASHING_SAVE, str(store_path), current.id],
        check=False,
        env={**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)},
    )

    assert process.returncode == 17, process.stderr.decode()
    async with await open_store(store_path) as store:
        await assert_unchanged(store, current)
