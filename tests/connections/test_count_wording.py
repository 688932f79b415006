"""Counts in the query tools' text read as English: one row, one saved query."""

import sqlite3
from pathlib import Path

import pytest

from support.mcp_client import call_ok, text_of
from support.profiles import MakeClient, new_diagram

pytestmark = pytest.mark.anyio


async def test_one_row_and_one_saved_query_are_singular(
    make_client: MakeClient, tmp_path: Path
) -> None:
    path = tmp_path / "one.db"
    with sqlite3.connect(path) as raw:
        raw.execute("CREATE TABLE t (a INT)")
        raw.execute("INSERT INTO t VALUES (1)")
    raw.close()
    async with make_client() as client:
        diagram_id = await new_diagram(client, "sqlite")
        await call_ok(
            client, "chartdb_add_connection", diagram_id=diagram_id, name="db", url=str(path)
        )
        await call_ok(
            client, "chartdb_save_query", diagram_id=diagram_id, name="all", sql="SELECT a FROM t"
        )
        listed = await client.call_tool("chartdb_list_saved_queries", {"diagram_id": diagram_id})
        assert text_of(listed).startswith("1 saved query.\n")
        ran = await client.call_tool(
            "chartdb_query_database", {"diagram_id": diagram_id, "saved_query": "all"}
        )
        assert ": 1 row in " in text_of(ran)
