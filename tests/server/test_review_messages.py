"""Through the MCP client: refusals and clashes name tables and columns the way people
do, never by generated ids, and never the wrong table."""

import re
from pathlib import Path
from typing import Any

import pytest
from mcp import Client

from chartdb_mcp.demo import build_example_database
from support.mcp_client import call_error, call_ok, in_memory_client

pytestmark = pytest.mark.anyio

GENERATED_ID = re.compile(r"'[0-9a-f]{12}'")


@pytest.fixture
def blog_db(tmp_path: Path) -> Path:
    path = tmp_path / "blog.db"
    build_example_database(path)
    return path


async def import_blog(client: Client, blog_db: Path) -> str:
    report = await call_ok(client, "chartdb_import_database", url=str(blog_db), name="blog")
    return str(report["diagram_id"])


async def propose(client: Client, diagram_id: str, *ops: dict[str, Any]) -> str:
    review = await call_ok(client, "chartdb_propose_changes", diagram_id=diagram_id, ops=ops)
    return str(review["id"])


def people(schema: str) -> dict[str, Any]:
    return {
        "kind": "create_table",
        "table": {
            "schema_name": schema,
            "name": "people",
            "columns": [{"name": "id", "type": "integer", "nullable": False}],
        },
    }


def add_column(name: str, position: int | None = None) -> dict[str, Any]:
    op: dict[str, Any] = {"kind": "add_column", "table": "posts", "column": {"name": name}}
    op["column"]["type"] = "TEXT"
    if position is not None:
        op["position"] = position
    return op


async def test_a_bare_name_two_schemas_share_is_called_ambiguous() -> None:
    async with in_memory_client() as client:
        created = await call_ok(client, "chartdb_create_diagram", name="staff")
        first = await propose(client, created["id"], people("sales"), people("hr"))
        await call_ok(client, "chartdb_apply_changes", proposal_id=first)
        error = await call_error(
            client,
            "chartdb_propose_changes",
            diagram_id=created["id"],
            ops=[
                {"kind": "add_column", "table": "people", "column": {"name": "x", "type": "text"}}
            ],
        )
    assert error.endswith(
        "Op 1 (add_column) cannot be applied: Diagram 'staff' has no single table named "
        "'people': several schemas have one. Did you mean: 'hr.people', 'sales.people'?"
    )


async def test_unnamed_relationships_are_named_by_their_tables(blog_db: Path) -> None:
    async with in_memory_client() as client:
        diagram_id = await import_blog(client, blog_db)
        review = await call_ok(
            client,
            "chartdb_propose_changes",
            diagram_id=diagram_id,
            ops=[{"kind": "drop_table", "table": "posts"}],
        )
        error = await call_error(
            client,
            "chartdb_propose_changes",
            diagram_id=diagram_id,
            ops=[{"kind": "drop_column", "table": "comments", "column": "post_id"}],
        )
        mismatch = await call_ok(
            client,
            "chartdb_propose_changes",
            diagram_id=diagram_id,
            ops=[
                {
                    "kind": "add_relationship",
                    "source_table": "comments",
                    "source_columns": ["author_email"],
                    "target_table": "authors",
                    "target_columns": ["id"],
                }
            ],
        )
    [warning] = review["warnings"]
    assert "'comments(post_id) -> posts(id)'" in warning
    assert "relationship comments(post_id) -> posts(id)" in error
    assert "in relationship comments(author_email) -> authors(id)" in mismatch["warnings"][0]
    for text in (warning, error, mismatch["warnings"][0], *mismatch["op_lines"]):
        assert not GENERATED_ID.search(text), text


async def test_a_clash_names_the_change_made_since_and_its_table(blog_db: Path) -> None:
    async with in_memory_client() as client:
        diagram_id = await import_blog(client, blog_db)
        dropping = await propose(client, diagram_id, {"kind": "drop_table", "table": "comments"})
        adding = await propose(
            client,
            diagram_id,
            {"kind": "add_column", "table": "comments", "column": {"name": "x", "type": "TEXT"}},
        )
        await call_ok(client, "chartdb_apply_changes", proposal_id=adding)
        error = await call_error(client, "chartdb_apply_changes", proposal_id=dropping)
        listing = await call_ok(client, "chartdb_list_proposals", diagram_id=diagram_id)
    assert "the change made since, '+ column comments.x TEXT', cannot follow" in error
    assert "Table 'comments' does not exist" in error
    assert "Both changed: comments." in error
    statuses = {p["id"]: p["status"] for p in listing["proposals"]}
    assert statuses[dropping] == "pending"


async def test_two_inserts_at_a_chosen_position_clash(blog_db: Path) -> None:
    async with in_memory_client() as client:
        diagram_id = await import_blog(client, blog_db)
        first = await propose(client, diagram_id, add_column("first_a", position=0))
        second = await propose(client, diagram_id, add_column("first_b", position=0))
        await call_ok(client, "chartdb_apply_changes", proposal_id=second)
        error = await call_error(client, "chartdb_apply_changes", proposal_id=first)
    assert (
        "the proposal inserts into the columns of table 'posts' at a chosen position, and the "
        "changes since inserted into that list at a chosen position too"
    ) in error


async def test_a_chosen_position_after_an_append_rebases(blog_db: Path) -> None:
    async with in_memory_client() as client:
        diagram_id = await import_blog(client, blog_db)
        first = await propose(client, diagram_id, add_column("first_a", position=0))
        second = await propose(client, diagram_id, add_column("last_b"))
        await call_ok(client, "chartdb_apply_changes", proposal_id=second)
        applied = await call_ok(client, "chartdb_apply_changes", proposal_id=first)
        page = await call_ok(client, "chartdb_get_schema", diagram_id=diagram_id, tables=["posts"])
    assert applied["rebased_from"] == 1
    columns = [c["name"] for c in page["details"][0]["table"]["columns"]]
    assert (columns[0], columns[-1]) == ("first_a", "last_b")


async def test_a_custom_type_change_draws_the_tables_that_use_it() -> None:
    mood = {
        "kind": "create_type",
        "type": {"schema_name": "public", "name": "mood", "kind": "enum", "values": ["ok"]},
    }
    diary = {
        "kind": "create_table",
        "table": {
            "schema_name": "public",
            "name": "diary",
            "columns": [
                {"name": "id", "type": "integer", "nullable": False},
                {"name": "feeling", "type": "mood"},
            ],
            "primary_key": {"columns": ["id"]},
        },
    }
    async with in_memory_client() as client:
        created = await call_ok(
            client, "chartdb_create_diagram", name="moods", database_type="postgresql"
        )
        first = await propose(client, created["id"], mood, diary)
        await call_ok(client, "chartdb_apply_changes", proposal_id=first)
        review = await call_ok(
            client,
            "chartdb_propose_changes",
            diagram_id=created["id"],
            ops=[{"kind": "alter_type", "type": "mood", "values": ["ok", "happy"]}],
        )
    lines = [line.strip() for line in review["mermaid"].splitlines()]
    assert 'public_diary["public.diary"] {' in lines
    assert 'mood feeling "~ uses changed type public.mood"' in lines
    assert "class public_diary typed" in lines
    assert review["changes"]["tables"] == []


async def test_a_new_table_or_type_without_a_schema_goes_in_the_one_schema() -> None:
    film = {
        "kind": "create_table",
        "table": {"name": "film", "columns": [{"name": "id", "type": "integer"}]},
    }
    mood = {"kind": "create_type", "type": {"name": "mood", "kind": "enum", "values": ["ok"]}}
    async with in_memory_client() as client:
        created = await call_ok(
            client, "chartdb_create_diagram", name="pg", database_type="postgresql"
        )
        first = await propose(
            client,
            created["id"],
            {**film, "table": {**film["table"], "schema_name": "public"}},
            {"kind": "add_column", "table": "film", "column": {"name": "x", "type": "text"}},
        )
        await call_ok(client, "chartdb_apply_changes", proposal_id=first)
        placed = await call_ok(
            client, "chartdb_propose_changes", diagram_id=created["id"], ops=[mood]
        )
        await call_ok(client, "chartdb_apply_changes", proposal_id=placed["id"])
        table_error = await call_error(
            client, "chartdb_propose_changes", diagram_id=created["id"], ops=[film]
        )
        type_error = await call_error(
            client, "chartdb_propose_changes", diagram_id=created["id"], ops=[mood]
        )
    assert "+ public.mood: enum (ok)" in placed["diff_text"]
    assert table_error.endswith(
        "Op 1 (create_table) cannot be applied: Diagram 'pg' already has a table named "
        "'public.film'."
    )
    assert type_error.endswith(
        "Op 1 (create_type) cannot be applied: Diagram 'pg' already has a type named 'public.mood'."
    )
