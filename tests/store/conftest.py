"""Fixtures for the store tests: stores in memory and on disk, and diagrams to put in them."""

import itertools
from collections.abc import AsyncIterator, Callable
from pathlib import Path

import pytest

from chartdb_mcp.core.model import (
    Column,
    DatabaseType,
    Diagram,
    Index,
    IndexPart,
    PrimaryKey,
    Relationship,
    Table,
    View,
)
from chartdb_mcp.store import DiagramStore, open_store

MakeDiagram = Callable[..., Diagram]


def build_diagram(
    name: str = "shop", tables: int = 3, database_type: DatabaseType = DatabaseType.POSTGRESQL
) -> Diagram:
    """A diagram of `tables` tables, each with a key, a few columns, an index, and a
    foreign key to the table before it; plus one view."""
    built = [
        Table(
            schema_name="public",
            name=f"table_{number}",
            columns=[
                Column(name="id", type="bigint", nullable=False),
                Column(name="parent_id", type="bigint"),
                Column(name="label", type="varchar(200)", comment="shown to “users” ✓"),
                Column(name="created_at", type="timestamptz", default="now()"),
            ],
            primary_key=PrimaryKey(columns=["id"]),
            indexes=[
                Index(name=f"table_{number}_label", parts=[IndexPart(column="label")]),
            ],
        )
        for number in range(tables)
    ]
    relationships = [
        Relationship(
            source_table_id=child.id,
            source_columns=["parent_id"],
            target_table_id=parent.id,
            target_columns=["id"],
        )
        for parent, child in itertools.pairwise(built)
    ]
    views = [View(name="recent", definition="SELECT 1")]
    return Diagram(
        name=name,
        database_type=database_type,
        tables=built,
        relationships=relationships,
        views=views,
    )


@pytest.fixture
def make_diagram() -> MakeDiagram:
    return build_diagram


@pytest.fixture
def store_path(tmp_path: Path) -> Path:
    return tmp_path / "data" / "chartdb.sqlite"


@pytest.fixture
async def store() -> AsyncIterator[DiagramStore]:
    async with await open_store(":memory:") as opened:
        yield opened


@pytest.fixture
async def file_store(store_path: Path) -> AsyncIterator[DiagramStore]:
    async with await open_store(store_path) as opened:
        yield opened
