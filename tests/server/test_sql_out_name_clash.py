"""Two schemas with a table of the same name, written for a database without schemas:
export-sql and generate-migration refuse with both names instead of failing inside."""

import pytest

from support.mcp_client import call_error, call_ok, in_memory_client

pytestmark = pytest.mark.anyio

SCRIPT = """
CREATE SCHEMA sales;
CREATE TABLE public.orders (id integer PRIMARY KEY);
CREATE TABLE sales.orders (id integer PRIMARY KEY);
"""


@pytest.mark.parametrize("dialect", ["sqlite", "mariadb"])
async def test_tables_that_would_share_a_name_are_refused(dialect: str) -> None:
    async with in_memory_client() as client:
        imported = await call_ok(client, "chartdb_import_sql", sql=SCRIPT, dialect="postgresql")
        diagram_id = imported["diagram_id"]
        export = await call_error(
            client, "chartdb_export_sql", diagram_id=diagram_id, dialect=dialect
        )
        migration = await call_error(
            client, "chartdb_generate_migration", diagram_id=diagram_id, dialect=dialect
        )
        postgres = await call_ok(client, "chartdb_export_sql", diagram_id=diagram_id)
    for text in (export, migration):
        assert "'public.orders' and 'sales.orders' would both be 'orders'" in text, text
    assert "CREATE TABLE sales.orders" in postgres["script"]
