"""get_schema's errors name what was wrong and suggest what was meant."""

import pytest

from chartdb_mcp.core.formats.schema_page import SchemaQuery
from chartdb_mcp.core.model import Diagram, Table
from chartdb_mcp.errors import InvalidInput, TableNotFound
from chartdb_mcp.service.diagrams import get_schema
from chartdb_mcp.store import open_store
from support.sample_diagrams import column

pytestmark = pytest.mark.anyio


def twin_tables() -> Diagram:
    return Diagram(
        name="shop",
        tables=[
            Table(schema_name=schema, name="film", columns=[column("id")])
            for schema in ("t1", "t2", "t3")
        ],
    )


async def test_a_shared_bare_name_asks_for_the_schema() -> None:
    async with await open_store(":memory:") as store:
        diagram = await store.create(twin_tables(), "created")
        with pytest.raises(InvalidInput) as error:
            await get_schema(store, diagram.id, SchemaQuery(tables=["film"]))
    assert str(error.value) == (
        "Diagram 'shop' has 3 tables named 'film' (t1.film, t2.film, t3.film); "
        "name one as schema.name."
    )


async def test_a_misspelled_name_gets_suggestions() -> None:
    async with await open_store(":memory:") as store:
        diagram = await store.create(twin_tables(), "created")
        with pytest.raises(TableNotFound) as error:
            await get_schema(store, diagram.id, SchemaQuery(tables=["t1.flim"]))
    assert str(error.value).startswith(
        "Diagram 'shop' has no single table named 't1.flim'. Did you mean: t1.film,"
    )
