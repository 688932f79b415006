"""export-sql through the SDK client: a real import written out for several databases."""

import json
import sqlite3
from pathlib import Path

import pytest
from mcp import Client

from chartdb_mcp.demo import build_example_database
from support.mcp_client import call_error, call_ok, in_memory_client, text_of

pytestmark = pytest.mark.anyio


@pytest.fixture
def blog_db(tmp_path: Path) -> Path:
    path = tmp_path / "blog.db"
    build_example_database(path)
    return path


async def import_blog(client: Client, blog_db: Path) -> str:
    report = await call_ok(client, "chartdb_import_database", url=str(blog_db), name="blog")
    return str(report["diagram_id"])


async def test_export_in_the_diagrams_own_dialect_loads_into_sqlite(
    blog_db: Path, tmp_path: Path
) -> None:
    async with in_memory_client() as client:
        diagram_id = await import_blog(client, blog_db)
        export = await call_ok(client, "chartdb_export_sql", diagram_id=diagram_id)
        result = await client.call_tool("chartdb_export_sql", {"diagram_id": diagram_id})
    assert export["dialect"] == "sqlite" and export["truncated"] is False
    assert export["omitted_statements"] == 0
    assert "-- sqlite script" in text_of(result)
    copy = tmp_path / "copy.db"
    with sqlite3.connect(copy) as connection:
        connection.executescript(export["script"])
        names = {row[0] for row in connection.execute("SELECT name FROM sqlite_master")}
    connection.close()
    with sqlite3.connect(blog_db) as connection:
        original = {
            row[0]
            for row in connection.execute(
                "SELECT name FROM sqlite_master WHERE name NOT LIKE 'sqlite_%'"
            )
        }
    connection.close()
    assert original <= names


async def test_export_for_another_dialect_and_a_table_filter(blog_db: Path) -> None:
    async with in_memory_client() as client:
        diagram_id = await import_blog(client, blog_db)
        full = await call_ok(
            client, "chartdb_export_sql", diagram_id=diagram_id, dialect="postgresql"
        )
        some = await call_ok(
            client,
            "chartdb_export_sql",
            diagram_id=diagram_id,
            dialect="sqlserver",
            tables=["authors"],
        )
        with_views = await call_ok(
            client,
            "chartdb_export_sql",
            diagram_id=diagram_id,
            tables=["authors"],
            include_views=True,
        )
    assert full["dialect"] == "postgresql" and "CREATE TABLE" in full["script"]
    assert some["script"].count("CREATE TABLE") == 1 and "authors" in some["script"]
    assert "CREATE VIEW" not in some["script"]
    assert "CREATE VIEW" in with_views["script"] and "CREATE VIEW" in full["script"]


async def test_a_small_budget_cuts_whole_statements_and_says_so(blog_db: Path) -> None:
    async with in_memory_client() as client:
        diagram_id = await import_blog(client, blog_db)
        export = await call_ok(client, "chartdb_export_sql", diagram_id=diagram_id, max_chars=2000)
        result = await client.call_tool(
            "chartdb_export_sql", {"diagram_id": diagram_id, "max_chars": 2000}
        )
    assert export["truncated"] is True and export["omitted_statements"] > 0
    assert export["script"].endswith(";\n\n")
    assert "more statements left out" in text_of(result)
    assert len(text_of(result)) + len(json.dumps(result.structured_content)) <= 2000


@pytest.mark.parametrize(
    ("arguments", "expected"),
    [
        ({"tables": ["nope"]}, "no single table named 'nope'"),
        ({"dialect": "dbase"}, "dialect"),
    ],
)
async def test_bad_arguments_are_named(
    blog_db: Path, arguments: dict[str, object], expected: str
) -> None:
    async with in_memory_client() as client:
        diagram_id = await import_blog(client, blog_db)
        message = await call_error(client, "chartdb_export_sql", diagram_id=diagram_id, **arguments)
    assert expected in message


async def test_a_generic_diagram_needs_a_dialect() -> None:
    async with in_memory_client() as client:
        created = await call_ok(client, "chartdb_create_diagram", name="sketch")
        message = await call_error(client, "chartdb_export_sql", diagram_id=created["id"])
    assert "pass `dialect`" in message
