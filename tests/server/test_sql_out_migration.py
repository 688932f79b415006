"""generate-migration through the SDK client: versions and proposals of an imported
SQLite database, run against a copy of that database."""

import json
import shutil
import sqlite3
from pathlib import Path
from typing import Any

import pytest
from mcp import Client

from chartdb_mcp.demo import build_example_database
from support.mcp_client import call_error, call_ok, in_memory_client, text_of

pytestmark = pytest.mark.anyio

CHANGES = [
    {"kind": "add_column", "table": "authors", "column": {"name": "nick", "type": "VARCHAR(40)"}},
    {"kind": "rename_column", "table": "posts", "column": "title", "new_name": "headline"},
    {
        "kind": "create_table",
        "table": {
            "name": "tags",
            "columns": [
                {"name": "id", "type": "INTEGER", "nullable": False},
                {"name": "label", "type": "VARCHAR(50)", "nullable": False},
            ],
            "primary_key": {"columns": ["id"]},
        },
    },
    {
        "kind": "add_relationship",
        "source_table": "posts",
        "source_columns": ["category_id"],
        "target_table": "tags",
        "target_columns": ["id"],
        "name": "posts_tag_fkey",
    },
]


@pytest.fixture
def blog_db(tmp_path: Path) -> Path:
    path = tmp_path / "blog.db"
    build_example_database(path)
    return path


async def import_blog(client: Client, blog_db: Path) -> str:
    report = await call_ok(client, "chartdb_import_database", url=str(blog_db), name="blog")
    return str(report["diagram_id"])


def run_on_copy(blog_db: Path, tmp_path: Path, steps: list[dict[str, Any]]) -> Path:
    copy = tmp_path / "copy.db"
    shutil.copy(blog_db, copy)
    with sqlite3.connect(copy, isolation_level=None) as connection:
        for step in steps:
            rows = connection.execute(step["sql"]).fetchall()
            if step["sql"] == "PRAGMA foreign_key_check":
                assert rows == []
    connection.close()
    return copy


def columns_of(path: Path, table: str) -> list[str]:
    with sqlite3.connect(path) as connection:
        found = [row[1] for row in connection.execute(f"PRAGMA table_info({table})")]
    connection.close()
    return found


async def test_migration_between_versions_runs_on_the_database(
    blog_db: Path, tmp_path: Path
) -> None:
    async with in_memory_client() as client:
        diagram_id = await import_blog(client, blog_db)
        review = await call_ok(
            client, "chartdb_propose_changes", diagram_id=diagram_id, ops=CHANGES
        )
        await call_ok(client, "chartdb_apply_changes", proposal_id=review["id"])
        answer = await call_ok(client, "chartdb_generate_migration", diagram_id=diagram_id)
        result = await client.call_tool("chartdb_generate_migration", {"diagram_id": diagram_id})
    assert (answer["from_version"], answer["to_version"], answer["dialect"]) == (1, 2, "sqlite")
    assert answer["truncated"] is False and answer["omitted_steps"] == 0
    kinds = [step["sql"].split(" (")[0] for step in answer["steps"]]
    assert "ALTER TABLE authors ADD COLUMN nick VARCHAR(40)" in kinds
    # posts gets a foreign key, which SQLite adds by rebuilding it; the rebuild renames too.
    assert kinds[0] == "PRAGMA foreign_keys = OFF"
    copy_rows = next(s["sql"] for s in answer["steps"] if s["sql"].startswith("INSERT"))
    assert "headline" in copy_rows and "title" not in copy_rows
    assert "ALTER TABLE posts RENAME COLUMN title TO headline" in kinds
    assert any("triggers" in warning for warning in answer["warnings"])
    assert "-- runs outside a transaction" in text_of(result)
    copy = run_on_copy(blog_db, tmp_path, answer["steps"])
    assert "nick" in columns_of(copy, "authors")
    assert "headline" in columns_of(copy, "posts") and "title" not in columns_of(copy, "posts")
    assert columns_of(copy, "tags") == ["id", "label"]


async def test_migration_of_a_pending_proposal(blog_db: Path, tmp_path: Path) -> None:
    async with in_memory_client() as client:
        diagram_id = await import_blog(client, blog_db)
        review = await call_ok(
            client, "chartdb_propose_changes", diagram_id=diagram_id, ops=CHANGES[:2]
        )
        answer = await call_ok(
            client, "chartdb_generate_migration", diagram_id=diagram_id, proposal_id=review["id"]
        )
        postgres = await call_ok(
            client,
            "chartdb_generate_migration",
            diagram_id=diagram_id,
            proposal_id=review["id"],
            dialect="postgresql",
        )
    assert answer["proposal_id"] == review["id"] and "to_version" not in answer
    assert [step["sql"] for step in answer["steps"]] == [
        "ALTER TABLE authors ADD COLUMN nick VARCHAR(40)",
        "ALTER TABLE posts RENAME COLUMN title TO headline",
    ]
    assert answer["highest_risk"] == "safe" and answer["risk_counts"] == {"safe": 2}
    assert any("RENAME COLUMN title TO headline" in s["sql"] for s in postgres["steps"])
    copy = run_on_copy(blog_db, tmp_path, answer["steps"])
    assert "headline" in columns_of(copy, "posts")


async def test_from_version_zero_creates_everything(blog_db: Path) -> None:
    async with in_memory_client() as client:
        diagram_id = await import_blog(client, blog_db)
        answer = await call_ok(
            client, "chartdb_generate_migration", diagram_id=diagram_id, from_version=0
        )
        small = await call_ok(
            client,
            "chartdb_generate_migration",
            diagram_id=diagram_id,
            from_version=0,
            max_chars=2000,
        )
        result = await client.call_tool(
            "chartdb_generate_migration",
            {"diagram_id": diagram_id, "from_version": 0, "max_chars": 2000},
        )
    creates = [s for s in answer["steps"] if s["sql"].startswith("CREATE TABLE")]
    assert len(creates) >= 5
    assert small["truncated"] is True and small["omitted_steps"] > 0
    assert small["step_count"] + small["omitted_steps"] == answer["step_count"]
    assert len(text_of(result)) + len(json.dumps(result.structured_content)) <= 2000
    assert "more statements left out" in text_of(result)


@pytest.mark.parametrize(
    ("arguments", "expected"),
    [
        ({"from_version": 3}, "must be below to_version"),
        ({"from_version": 1, "to_version": 1}, "must be below to_version"),
        ({"to_version": 5}, "has no version 5"),
        ({"from_version": 0, "dialect": "oracle"}, "not 'oracle'"),
        ({"proposal_id": "nope"}, "No proposal has the id 'nope'"),
        ({"proposal_id": "nope", "from_version": 0}, "not both"),
    ],
)
async def test_bad_arguments_are_named(
    blog_db: Path, arguments: dict[str, object], expected: str
) -> None:
    async with in_memory_client() as client:
        diagram_id = await import_blog(client, blog_db)
        message = await call_error(
            client, "chartdb_generate_migration", diagram_id=diagram_id, **arguments
        )
    assert expected in message
