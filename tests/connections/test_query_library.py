"""History, saved queries and built-in templates, through the tools and on real databases."""

import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest
from mcp import Client
from sqlalchemy.engine import make_url

from chartdb_mcp.core.model import DatabaseType
from chartdb_mcp.core.sql.readonly import check_read_only
from chartdb_mcp.core.sql.templates import TEMPLATES, render_template
from support.databases import (
    mariadb_connect,
    mariadb_database,
    postgres_connect,
    postgres_database,
)
from support.mcp_client import call_error, call_ok
from support.profiles import MakeClient, new_diagram

pytestmark = pytest.mark.anyio

SCHEMA = [
    "CREATE TABLE author (id INT PRIMARY KEY, name VARCHAR(50))",
    "CREATE TABLE book (id INT PRIMARY KEY, author_id INT REFERENCES author (id), title TEXT)",
    "INSERT INTO author VALUES (1, 'Ada'), (2, 'Grace')",
    "INSERT INTO book VALUES (1, 1, 'Notes'), (2, 2, 'Compilers'), (3, 2, 'COBOL')",
]


@pytest.fixture(params=["postgresql", "mariadb", "sqlite"])
def library_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[tuple[str, str]]:
    dialect = request.param
    if dialect == "sqlite":
        path = tmp_path / "books.db"
        with sqlite3.connect(path) as raw:
            for statement in SCHEMA:
                raw.execute(statement)
        raw.close()
        yield dialect, str(path)
    elif dialect == "postgresql":
        with postgres_database("library") as url:
            with postgres_connect(make_url(url), autocommit=True) as connection:
                for statement in SCHEMA:
                    connection.execute(statement.encode())
                connection.execute(b"ANALYZE")
            yield dialect, url
    else:
        with mariadb_database("library") as url:
            parts = make_url(url)
            connection = mariadb_connect(parts, parts.database)
            with connection.cursor() as cursor:
                for statement in SCHEMA:
                    cursor.execute(statement.replace("REFERENCES author (id)", ""))
                cursor.execute(
                    "ALTER TABLE book ADD CONSTRAINT book_author FOREIGN KEY (author_id) "
                    "REFERENCES author (id)"
                )
            connection.close()
            yield dialect, url


async def profile(client: Client, dialect: str, url: str) -> str:
    diagram_id = await new_diagram(client, dialect)
    await call_ok(client, "chartdb_add_connection", diagram_id=diagram_id, name="db", url=url)
    return diagram_id


def test_every_template_is_a_read_in_every_dialect() -> None:
    for template in TEMPLATES:
        for dialect in (DatabaseType.POSTGRESQL, DatabaseType.MARIADB, DatabaseType.SQLITE):
            check_read_only(render_template(template, dialect, "public.book"), dialect)


def test_template_table_names_are_quoted_not_spliced() -> None:
    template = next(t for t in TEMPLATES if t.name == "row-count")
    sql = render_template(template, DatabaseType.POSTGRESQL, 'x"; DROP TABLE book; --')
    assert sql == 'SELECT count(*) AS rows FROM "x""; DROP TABLE book; --"'
    sql = render_template(template, DatabaseType.MARIADB, "x`; DROP TABLE book")
    assert sql == "SELECT count(*) AS `rows` FROM `x``; DROP TABLE book`"


async def test_templates_run_on_each_database(
    make_client: MakeClient, library_url: tuple[str, str]
) -> None:
    dialect, url = library_url
    async with make_client() as client:
        diagram_id = await profile(client, dialect, url)
        listed = await call_ok(client, "chartdb_list_query_templates", dialect=dialect)
        names = [item["name"] for item in listed["templates"]]
        assert names == ["row-counts", "row-count", "largest-tables", "foreign-keys", "sample-rows"]
        results = {}
        for name in names:
            if name == "largest-tables" and dialect == "sqlite":
                continue  # dbstat is an optional SQLite build feature
            results[name] = await call_ok(
                client, "chartdb_query_database", diagram_id=diagram_id, template=name, table="book"
            )
        assert results["row-count"]["rows"] == [[3]]
        assert len(results["sample-rows"]["rows"]) == 3
        assert "book" in str(results["foreign-keys"]["rows"])
        assert "book" in str(results["row-counts"]["rows"])
        missing = await call_error(
            client, "chartdb_query_database", diagram_id=diagram_id, template="row-count"
        )
        assert "needs a table" in missing


async def test_history_records_reads_refusals_and_errors(
    make_client: MakeClient, tmp_path: Path
) -> None:
    path = tmp_path / "h.db"
    sqlite3.connect(path).close()
    async with make_client() as client:
        diagram_id = await profile(client, "sqlite", str(path))
        await call_ok(
            client, "chartdb_query_database", diagram_id=diagram_id, sql="SELECT 1 AS one"
        )
        await call_error(
            client, "chartdb_query_database", diagram_id=diagram_id, sql="DROP TABLE x"
        )
        await call_error(
            client, "chartdb_query_database", diagram_id=diagram_id, sql="SELECT * FROM nowhere"
        )
        history = await call_ok(client, "chartdb_query_history", diagram_id=diagram_id)
        entries = history["entries"]
        assert [(e["status"], e["sql"]) for e in entries] == [
            ("error", "SELECT * FROM nowhere"),
            ("refused", "DROP TABLE x"),
            ("ok", "SELECT 1 AS one"),
        ]
        assert entries[2]["row_count"] == 1 and "nowhere" in entries[0]["error"]
        limited = await call_ok(client, "chartdb_query_history", diagram_id=diagram_id, limit=1)
        assert len(limited["entries"]) == 1


async def test_saved_queries_are_kept_replaced_run_and_deleted(
    make_client: MakeClient, tmp_path: Path
) -> None:
    path = tmp_path / "s.db"
    with sqlite3.connect(path) as raw:
        raw.execute("CREATE TABLE t (a INT)")
        raw.execute("INSERT INTO t VALUES (1), (2)")
    raw.close()
    async with make_client() as client:
        diagram_id = await profile(client, "sqlite", str(path))
        saved = await call_ok(
            client,
            "chartdb_save_query",
            diagram_id=diagram_id,
            name="count",
            sql="SELECT count(*) AS n FROM t",
            tags=["stats", " stats "],
            description="how many",
        )
        assert saved["query"]["tags"] == ["stats"] and saved["message"].startswith("Saved")
        await call_ok(
            client, "chartdb_save_query", diagram_id=diagram_id, name="other", sql="SELECT 1"
        )
        replaced = await call_ok(
            client,
            "chartdb_save_query",
            diagram_id=diagram_id,
            name="count",
            sql="SELECT count(*) AS n FROM t WHERE a > :min",
            tags=["stats"],
        )
        assert replaced["message"].startswith("Replaced")
        assert replaced["query"]["id"] == saved["query"]["id"]
        tagged = await call_ok(
            client, "chartdb_list_saved_queries", diagram_id=diagram_id, tag="stats"
        )
        assert [q["name"] for q in tagged["queries"]] == ["count"]
        ran = await call_ok(
            client,
            "chartdb_query_database",
            diagram_id=diagram_id,
            saved_query="count",
            parameters={"min": 1},
        )
        assert ran["rows"] == [[1]]
        both = await call_error(
            client,
            "chartdb_query_database",
            diagram_id=diagram_id,
            saved_query="count",
            sql="SELECT 1",
        )
        assert "exactly one" in both
        await call_ok(client, "chartdb_delete_saved_query", diagram_id=diagram_id, name="count")
        gone = await call_error(
            client, "chartdb_query_database", diagram_id=diagram_id, saved_query="count"
        )
        assert "'count'" in gone and "'other'" in gone
