"""sync-export on real databases: preview, consent, execution, and a failure half-way."""

import sqlite3
from pathlib import Path
from typing import Any

import psycopg
import pytest
from mcp import Client
from sqlalchemy.engine import make_url

from support.databases import mariadb_connect
from support.mcp_client import call_error, call_ok
from support.profiles import MakeClient
from sync.live_schemas import loaded, run

pytestmark = pytest.mark.anyio

DIALECTS = ["postgresql", "mariadb", "sqlite"]


def live_tables(dialect: str, url: str) -> set[str]:
    """The table names the database has now."""
    if dialect == "postgresql":
        with psycopg.connect(url) as connection:
            rows = connection.execute(
                b"SELECT tablename FROM pg_tables WHERE schemaname = 'public'"
            ).fetchall()
        return {row[0] for row in rows}
    if dialect == "mariadb":
        parsed = make_url(url)
        raw = mariadb_connect(parsed, parsed.database)
        try:
            with raw.cursor() as cursor:
                cursor.execute("SHOW TABLES")
                return {row[0] for row in cursor.fetchall()}
        finally:
            raw.close()
    with sqlite3.connect(url) as connection:
        names = {
            row[0]
            for row in connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
        }
    connection.close()
    return names


async def writable_import(client: Client, url: str) -> str:
    report = await call_ok(client, "chartdb_import_database", url=url)
    diagram_id = str(report["diagram_id"])
    await call_ok(
        client,
        "chartdb_add_connection",
        diagram_id=diagram_id,
        name="live",
        url=url,
        allow_writes=True,
    )
    return diagram_id


async def propose_and_apply(client: Client, diagram_id: str, ops: list[dict[str, Any]]) -> None:
    review = await call_ok(client, "chartdb_propose_changes", diagram_id=diagram_id, ops=ops)
    await call_ok(client, "chartdb_apply_changes", proposal_id=review["id"])


def new_table(name: str) -> dict[str, Any]:
    return {
        "kind": "create_table",
        "table": {
            "name": name,
            "columns": [
                {"name": "id", "type": "integer", "nullable": False},
                {"name": "note", "type": "varchar(50)"},
            ],
            "primary_key": {"columns": ["id"]},
        },
    }


@pytest.mark.parametrize("dialect", DIALECTS)
async def test_a_designed_table_is_previewed_then_created_and_synced(
    make_client: MakeClient, tmp_path: Path, dialect: str
) -> None:
    with loaded(dialect, tmp_path) as url:
        async with make_client() as client:
            diagram_id = await writable_import(client, url)
            await propose_and_apply(client, diagram_id, [new_table("loan")])

            preview = await call_ok(client, "chartdb_sync_export", diagram_id=diagram_id)
            assert preview["step_count"] == 1 and not preview["executed"]
            [step] = preview["steps"]
            assert step["sql"].upper().startswith("CREATE TABLE") and "loan" in step["sql"]
            assert step["risk"] == "safe" and preview["drops"] == []
            assert "loan" not in live_tables(dialect, url)

            refused = await call_error(
                client, "chartdb_sync_export", diagram_id=diagram_id, execute=True
            )
            assert "plan_hash" in refused and "loan" not in live_tables(dialect, url)

            done = await call_ok(
                client,
                "chartdb_sync_export",
                diagram_id=diagram_id,
                execute=True,
                confirm=preview["plan_hash"],
            )
            assert done["execution"]["committed"] and done["execution"]["applied"] == [1]
            assert "loan" in live_tables(dialect, url)
            assert done["statuses"] == {"SYNCED": 5}
            again = await call_ok(client, "chartdb_sync_export", diagram_id=diagram_id)
            assert again["step_count"] == 0, again["steps"]


@pytest.mark.parametrize("dialect", DIALECTS)
async def test_a_failure_on_the_third_statement(
    make_client: MakeClient, tmp_path: Path, dialect: str
) -> None:
    with loaded(dialect, tmp_path) as url:
        run(dialect, url, ["INSERT INTO genre (id, name) VALUES (1, 'same'), (2, 'same')"])
        async with make_client() as client:
            diagram_id = await writable_import(client, url)
            unique = {
                "kind": "add_index",
                "table": "genre",
                "index": {"name": "genre_name_key", "parts": [{"column": "name"}], "unique": True},
            }
            await propose_and_apply(
                client, diagram_id, [new_table("first_new"), new_table("second_new"), unique]
            )
            preview = await call_ok(client, "chartdb_sync_export", diagram_id=diagram_id)
            sqls = [step["sql"] for step in preview["steps"]]
            assert len(sqls) == 3 and "UNIQUE" in sqls[2].upper(), sqls
            report = await call_ok(
                client,
                "chartdb_sync_export",
                diagram_id=diagram_id,
                execute=True,
                confirm=preview["plan_hash"],
            )
            execution = report["execution"]
            assert execution["failed_step"] == 3 and execution["error"]
            tables = live_tables(dialect, url)
            if dialect == "mariadb":
                assert execution["applied"] == [1, 2]
                assert {"first_new", "second_new"} <= tables
                [undo_second, undo_first] = execution["inverses"]
                assert "DROP TABLE" in undo_second.upper() and "second_new" in undo_second
                assert "DROP TABLE" in undo_first.upper() and "first_new" in undo_first
            else:
                assert execution["applied"] == [] and execution["dry_run_passed"] is False
                assert not execution["committed"]
                assert not {"first_new", "second_new"} & tables


async def test_existing_tables_are_neither_dropped_nor_rebuilt_unless_named(
    make_client: MakeClient, tmp_path: Path
) -> None:
    with loaded("sqlite", tmp_path) as url:
        async with make_client() as client:
            diagram_id = await writable_import(client, url)
            run("sqlite", url, ["CREATE TABLE stray (id INTEGER PRIMARY KEY)"])
            change_type = {
                "kind": "alter_column",
                "table": "shelf",
                "column": "label",
                "type": "varchar(60)",
            }
            await propose_and_apply(client, diagram_id, [change_type])

            preview = await call_ok(client, "chartdb_sync_export", diagram_id=diagram_id)
            assert preview["drops"] == [] and "stray" not in str(preview["steps"])
            assert [name.rpartition(".")[2] for name in preview["protected"]] == ["shelf"]
            refused = await call_error(
                client,
                "chartdb_sync_export",
                diagram_id=diagram_id,
                execute=True,
                confirm=preview["plan_hash"],
            )
            assert "shelf" in refused and "drop_tables" in refused

            named = await call_ok(
                client, "chartdb_sync_export", diagram_id=diagram_id, drop_tables=["shelf", "stray"]
            )
            assert named["protected"] == [] and [d.rpartition(".")[2] for d in named["drops"]] == [
                "stray"
            ]
