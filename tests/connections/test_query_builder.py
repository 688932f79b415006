"""build-query and validate-query on an imported schema, and the built SQL run for real."""

import sqlite3
from pathlib import Path

import pytest
from mcp import Client

from support.mcp_client import call_error, call_ok, text_of
from support.profiles import MakeClient

pytestmark = pytest.mark.anyio

BLOG = Path(__file__).parents[2] / "examples" / "blog.sql"
EXTRA = """
CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT);
CREATE TABLE messages (
    id INTEGER PRIMARY KEY,
    sender_id INTEGER REFERENCES users (id),
    recipient_id INTEGER REFERENCES users (id),
    body TEXT
);
CREATE TABLE loners (id INTEGER PRIMARY KEY);
INSERT INTO authors (id, email, display_name) VALUES (1, 'ada@example.com', 'Ada');
INSERT INTO posts (id, author_id, slug, title, body, status)
    VALUES (1, 1, 'p', 'Hello', 'b', 'published');
INSERT INTO comments (post_id, author_email, body) VALUES (1, 'x@example.com', 'nice'),
    (1, 'y@example.com', 'O''Reilly; DROP TABLE posts; --');
"""


async def blog_profile(client: Client, tmp_path: Path) -> str:
    path = tmp_path / "blog.db"
    with sqlite3.connect(path) as raw:
        raw.executescript(BLOG.read_text(encoding="utf-8") + EXTRA)
    raw.close()
    imported = await call_ok(client, "chartdb_import_database", url=str(path), name="blog")
    diagram_id = str(imported["diagram_id"])
    await call_ok(client, "chartdb_add_connection", diagram_id=diagram_id, name="db", url=str(path))
    return diagram_id


async def test_a_join_through_the_shortest_key_path_runs(
    make_client: MakeClient, tmp_path: Path
) -> None:
    async with make_client() as client:
        diagram_id = await blog_profile(client, tmp_path)
        built = await call_ok(
            client,
            "chartdb_build_query",
            diagram_id=diagram_id,
            tables=["comments", "authors"],
            columns=["comments.body", "authors.display_name"],
            filters=[
                {"column": "authors.email", "op": "=", "value": "ada@example.com"},
                {
                    "column": "comments.author_email",
                    "op": "in",
                    "value": ["x@example.com", "y@example.com"],
                },
            ],
            order=[{"column": "comments.body", "descending": True}],
            limit=10,
        )
        assert built["joins"] == [
            "comments(post_id) -> posts(id)",
            "posts(author_id) -> authors(id)",
        ]
        assert built["parameters"] == {
            "p1": "ada@example.com",
            "p2": "x@example.com",
            "p3": "y@example.com",
        }
        assert "ada@example.com" not in built["sql"]
        ran = await call_ok(
            client,
            "chartdb_query_database",
            diagram_id=diagram_id,
            sql=built["sql"],
            parameters=built["parameters"],
        )
        assert ran["rows"] == [["nice", "Ada"], ["O'Reilly; DROP TABLE posts; --", "Ada"]]


async def test_ambiguous_and_missing_paths_and_names_are_refused(
    make_client: MakeClient, tmp_path: Path
) -> None:
    async with make_client() as client:
        diagram_id = await blog_profile(client, tmp_path)
        two_ways = await call_error(
            client, "chartdb_build_query", diagram_id=diagram_id, tables=["messages", "users"]
        )
        assert "2 equally short" in two_ways
        no_path = await call_error(
            client, "chartdb_build_query", diagram_id=diagram_id, tables=["posts", "loners"]
        )
        assert "No foreign key path" in no_path
        typo = await call_error(
            client, "chartdb_build_query", diagram_id=diagram_id, tables=["post"]
        )
        assert "'posts'" in typo
        bad_column = await call_error(
            client,
            "chartdb_build_query",
            diagram_id=diagram_id,
            tables=["posts"],
            columns=["posts.titel"],
        )
        assert "'title'" in bad_column
        equals_null = await call_error(
            client,
            "chartdb_build_query",
            diagram_id=diagram_id,
            tables=["posts"],
            filters=[{"column": "posts.title", "op": "=", "value": None}],
        )
        assert "use the 'is null' or 'is not null' filter" in equals_null
        quoted = await call_ok(
            client, "chartdb_build_query", diagram_id=diagram_id, tables=["posts"], dialect="mysql"
        )
        assert quoted["sql"] == "SELECT `posts`.* FROM `posts` LIMIT 100"


async def test_validate_query_names_unknown_tables_and_columns(
    make_client: MakeClient, tmp_path: Path
) -> None:
    async with make_client() as client:
        diagram_id = await blog_profile(client, tmp_path)
        good = await call_ok(
            client,
            "chartdb_validate_query",
            diagram_id=diagram_id,
            sql=(
                "WITH recent AS (SELECT id, title AS t FROM posts) "
                "SELECT r.t, a.display_name FROM recent r JOIN posts p ON p.id = r.id "
                "JOIN authors a ON a.id = p.author_id ORDER BY t"
            ),
        )
        assert good["valid"] is True, good
        assert good["tables"] == ["authors", "posts"]
        result = await client.call_tool(
            "chartdb_validate_query",
            {
                "diagram_id": diagram_id,
                "sql": "SELECT p.titel, c.body FROM posts p JOIN coments c ON c.post_id = p.id",
            },
        )
        check = result.structured_content
        assert not result.is_error and check is not None
        assert check["valid"] is False
        assert check["unknown_tables"] == [{"name": "coments", "suggestions": ["comments"]}]
        assert check["unknown_columns"] == [
            {"name": "titel", "table": "posts", "suggestions": ["title"]}
        ]
        assert "did you mean title" in text_of(result)


async def test_the_text_gives_the_parameters_as_json(
    make_client: MakeClient, tmp_path: Path
) -> None:
    async with make_client() as client:
        diagram_id = await blog_profile(client, tmp_path)
        spec = {
            "diagram_id": diagram_id,
            "tables": ["posts"],
            "filters": [
                {"column": "posts.title", "op": "=", "value": "Hello"},
                {"column": "posts.category_id", "op": "in", "value": [1, 2]},
            ],
        }
        result = await client.call_tool("chartdb_build_query", spec)
        assert 'Parameters: {"p1": "Hello", "p2": 1, "p3": 2}' in text_of(result)
