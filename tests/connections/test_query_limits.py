"""Timeouts and row caps hold against huge queries, and the server answers meanwhile."""

import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import Any

import anyio
import anyio.to_thread
import pytest
from mcp import Client
from sqlalchemy.engine import make_url

from support.databases import (
    mariadb_connect,
    mariadb_database,
    postgres_connect,
    postgres_database,
)
from support.mcp_client import call_ok, text_of
from support.profiles import MakeClient, new_diagram

pytestmark = pytest.mark.anyio

# Rows no test could load in its time: a streaming cursor reads only the cap of them.
MILLIONS = 100_000_000


async def profile_for(client: Client, url: str, dialect: str) -> str:
    diagram_id = await new_diagram(client, dialect)
    await call_ok(client, "chartdb_add_connection", diagram_id=diagram_id, name="db", url=url)
    return diagram_id


async def query(client: Client, diagram_id: str, sql: str, **arguments: Any) -> Any:
    return await client.call_tool(
        "chartdb_query_database", {"diagram_id": diagram_id, "sql": sql, **arguments}
    )


async def wait_until(seen: Callable[[], bool], unless: Callable[[], bool] = lambda: False) -> None:
    """Poll (in a thread) until `seen()` is true, or `unless()` is."""
    while not unless() and not await anyio.to_thread.run_sync(seen):
        await anyio.sleep(0.05)


async def answers_while_running(
    client: Client, diagram_id: str, sql: str, running: Callable[[], bool]
) -> Any:
    """Start `sql`, wait until the database runs it, then make a second call; that call
    must answer while the first is still running. Returns the first call's result."""
    outcome: dict[str, Any] = {}

    async def long_call() -> None:
        outcome["result"] = await query(client, diagram_id, sql, timeout_seconds=8)

    async with anyio.create_task_group() as group:
        group.start_soon(long_call)
        await wait_until(running, unless=lambda: "result" in outcome)
        assert "result" not in outcome, f"the query ended early: {text_of(outcome['result'])}"
        listing = await call_ok(client, "chartdb_list_connections", diagram_id=diagram_id)
        assert listing["connections"][0]["name"] == "db"
        assert "result" not in outcome, "the second call waited for the long query"
    return outcome["result"]


async def test_postgres_timeout_row_cap_and_responsiveness(make_client: MakeClient) -> None:
    with postgres_database("limits") as url:

        def running() -> bool:
            with postgres_connect(make_url(url)) as connection:
                # A streamed query shows as the FETCH of its cursor, not as its own text;
                # the database is this test's alone, so any other active backend in it
                # is the query.
                rows = connection.execute(
                    "SELECT count(*) FROM pg_stat_activity WHERE state = 'active' "
                    "AND datname = current_database() AND pid <> pg_backend_pid()"
                ).fetchone()
            return bool(rows and rows[0])

        async with make_client() as client:
            diagram_id = await profile_for(client, url, "postgresql")
            slow = "SELECT count(*) AS chartdb_slow FROM generate_series(1, 100000000000) AS g"
            result = await answers_while_running(client, diagram_id, slow, running)
            assert result.is_error
            assert "longer than its 8s timeout" in text_of(result)

            capped = await query(
                client,
                diagram_id,
                # A set-returning function in the select list streams its rows (one in
                # FROM would be materialized by the server first).
                "SELECT g, md5(g::text) AS h "
                f"FROM (SELECT generate_series(1, {MILLIONS}) AS g) AS s",
                row_cap=100,
                timeout_seconds=10,
            )
            report = capped.structured_content
            assert not capped.is_error, text_of(capped)
            assert (report["truncated"], report["row_count"]) == (True, 100)
            assert report["rows"][-1][0] == 100
            assert not await anyio.to_thread.run_sync(running)


async def test_mariadb_timeout_row_cap_and_responsiveness(make_client: MakeClient) -> None:
    with mariadb_database("limits") as url:

        def running() -> bool:
            connection = mariadb_connect(make_url(url))
            try:
                with connection.cursor() as cursor:
                    cursor.execute(
                        "SELECT count(*) FROM information_schema.processlist "
                        "WHERE info LIKE '%chartdb_slow%' AND id <> connection_id()"
                    )
                    return bool(cursor.fetchone()[0])
            finally:
                connection.close()

        async with make_client() as client:
            diagram_id = await profile_for(client, url, "mariadb")
            slow = "SELECT count(*) AS chartdb_slow FROM seq_1_to_100000000000 WHERE seq % 7 = 3"
            result = await answers_while_running(client, diagram_id, slow, running)
            assert result.is_error
            assert "longer than its 8s timeout" in text_of(result)

            capped = await query(
                client,
                diagram_id,
                f"SELECT seq, md5(seq) AS h FROM seq_1_to_{MILLIONS}",
                row_cap=100,
                timeout_seconds=10,
            )
            report = capped.structured_content
            assert not capped.is_error, text_of(capped)
            assert (report["truncated"], report["row_count"]) == (True, 100)
            await wait_until(lambda: not running())


async def test_sqlite_timeout_and_row_cap_on_endless_recursion(
    make_client: MakeClient, tmp_path: Path
) -> None:
    path = tmp_path / "empty.db"
    sqlite3.connect(path).close()
    endless = "WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM r) "
    async with make_client() as client:
        diagram_id = await profile_for(client, str(path), "sqlite")
        stopped = await query(
            client, diagram_id, endless + "SELECT count(*) FROM r", timeout_seconds=1
        )
        assert stopped.is_error and "longer than its 1s timeout" in text_of(stopped)
        capped = await query(client, diagram_id, endless + "SELECT n FROM r", row_cap=1000)
        report = capped.structured_content
        assert not capped.is_error, text_of(capped)
        assert (report["truncated"], report["row_count"], report["rows"][-1]) == (
            True,
            1000,
            [1000],
        )
        listing = await call_ok(client, "chartdb_list_connections", diagram_id=diagram_id)
        assert listing["active"] == "db"
