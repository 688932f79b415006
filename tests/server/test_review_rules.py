"""Through the MCP client: proposals are held to a strict database's design rules.

Each case is an op list proposed on the blog example (SQLite) and what comes back: a
refusal naming the problem (nothing stored), or a warning on a stored proposal.
"""

from pathlib import Path
from typing import Any

import pytest
from mcp import Client

from chartdb_mcp.demo import build_example_database
from support.mcp_client import call_error, call_ok, in_memory_client

pytestmark = pytest.mark.anyio


def relationship(
    source: str, columns: list[str], target: str, targets: list[str], **extra: Any
) -> dict[str, Any]:
    return {
        "kind": "add_relationship",
        "source_table": source,
        "source_columns": columns,
        "target_table": target,
        "target_columns": targets,
        **extra,
    }


REFUSED = [
    (
        "drop_column_a_check_and_a_partial_index_use",
        [{"kind": "drop_column", "table": "posts", "column": "status"}],
        "Column 'status' of table 'posts' cannot be dropped; check (status IN ('draft', "
        "'review', 'published', 'archived')), the predicate of index 'posts_published_idx' "
        "mention it.",
    ),
    (
        "drop_the_last_column",
        [
            {
                "kind": "create_table",
                "table": {"name": "one", "columns": [{"name": "id", "type": "int"}]},
            },
            {"kind": "drop_column", "table": "one", "column": "id"},
        ],
        "Op 2 (drop_column) cannot be applied: Column 'id' is the last column of table 'one'",
    ),
    (
        "alter_column_without_a_field",
        [{"kind": "alter_column", "table": "posts", "column": "title"}],
        "The alter_column of column 'title' of table 'posts' gives no field to change",
    ),
    (
        "alter_type_without_a_field",
        [
            {"kind": "create_type", "type": {"name": "mood", "kind": "enum", "values": ["ok"]}},
            {"kind": "alter_type", "type": "mood"},
        ],
        "The alter_type of 'mood' gives nothing to change",
    ),
    (
        "enum_with_repeated_labels",
        [
            {
                "kind": "create_type",
                "type": {"name": "mood", "kind": "enum", "values": ["a", "b", "a"]},
            }
        ],
        "Enum 'mood' repeats labels ['a'].",
    ),
    (
        "repeated_relationship",
        [relationship("comments", ["post_id"], "posts", ["id"], name="again_fk")],
        "The relationship repeats relationship comments(post_id) -> posts(id), which already "
        "links the same columns.",
    ),
    (
        "repeated_unique",
        [
            {
                "kind": "add_unique",
                "table": "posts",
                "constraint": {"columns": ["author_id", "slug"]},
            }
        ],
        "Table 'posts' already has a unique constraint on (author_id, slug)",
    ),
    (
        "repeated_index",
        [
            {
                "kind": "add_index",
                "table": "posts",
                "index": {"name": "again_idx", "parts": [{"column": "category_id"}]},
            }
        ],
        "Table 'posts' already has index 'posts_category_idx' on (category_id), the same as "
        "'again_idx'.",
    ),
    (
        "repeated_check",
        [
            {
                "kind": "add_check",
                "table": "posts",
                "check": {"expression": "status IN ('draft', 'review', 'published', 'archived')"},
            }
        ],
        "Table 'posts' already has check (status IN",
    ),
    (
        "relationship_to_columns_that_are_not_a_key",
        [relationship("comments", ["author_email"], "authors", ["display_name"])],
        "The target columns (display_name) are not the primary key or a unique key of table "
        "'authors'; a foreign key must reference one.",
    ),
    (
        "dropping_a_primary_key_that_relationships_use",
        [{"kind": "set_primary_key", "table": "authors", "columns": None}],
        "The key (id) of table 'authors' cannot go: relationship posts(author_id) -> "
        "authors(id) refers to it. Drop that relationship first.",
    ),
    (
        "set_null_on_a_not_null_column",
        [relationship("comments", ["author_email"], "authors", ["email"], on_delete="SET NULL")],
        "The relationship sets ['author_email'] of table 'comments' to NULL ON DELETE, but "
        "they are NOT NULL.",
    ),
    (
        "not_null_under_a_set_null_relationship",
        [{"kind": "alter_column", "table": "posts", "column": "category_id", "nullable": False}],
        "Column 'category_id' of table 'posts' cannot be NOT NULL: relationship "
        "posts(category_id) -> categories(id) sets it to NULL ON DELETE.",
    ),
    (
        "a_colour_that_is_not_hex",
        [{"kind": "set_color", "table": "posts", "color": "reddish"}],
        "The colour 'reddish' for table 'posts' is not a hex colour such as '#4dabf7'.",
    ),
    (
        "a_new_table_with_a_bad_colour",
        [
            {
                "kind": "create_table",
                "table": {"name": "t", "color": "#12", "columns": [{"name": "id", "type": "int"}]},
            }
        ],
        "The colour '#12' for table 't' is not a hex colour",
    ),
    (
        "a_table_without_columns",
        [{"kind": "create_table", "table": {"name": "empty", "columns": []}}],
        "Table 'empty' has no columns; a table needs at least one.",
    ),
]


@pytest.fixture
def blog_db(tmp_path: Path) -> Path:
    path = tmp_path / "blog.db"
    build_example_database(path)
    return path


async def import_blog(client: Client, blog_db: Path) -> str:
    report = await call_ok(client, "chartdb_import_database", url=str(blog_db), name="blog")
    return str(report["diagram_id"])


@pytest.mark.parametrize(("ops", "expected"), [c[1:] for c in REFUSED], ids=[c[0] for c in REFUSED])
async def test_refused(ops: list[dict[str, Any]], expected: str, blog_db: Path) -> None:
    async with in_memory_client() as client:
        diagram_id = await import_blog(client, blog_db)
        error = await call_error(client, "chartdb_propose_changes", diagram_id=diagram_id, ops=ops)
        listing = await call_ok(client, "chartdb_list_proposals", diagram_id=diagram_id)
    assert expected in error
    assert listing["proposals"] == []


async def test_the_design_tools_follow_the_same_rules(blog_db: Path) -> None:
    async with in_memory_client() as client:
        diagram_id = await import_blog(client, blog_db)
        colour = await call_error(
            client,
            "chartdb_modify_table",
            diagram_id=diagram_id,
            changes={"table": "posts", "color": "blue"},
        )
        link = await call_error(
            client,
            "chartdb_add_relationship",
            diagram_id=diagram_id,
            relationship={
                "source_table": "comments",
                "source_columns": ["author_email"],
                "target_table": "authors",
                "target_columns": ["display_name"],
            },
        )
    assert "The colour 'blue' for table 'posts' is not a hex colour" in colour
    assert "are not the primary key or a unique key of table 'authors'" in link


async def test_a_unique_constraint_on_the_primary_key_is_a_warning(blog_db: Path) -> None:
    async with in_memory_client() as client:
        diagram_id = await import_blog(client, blog_db)
        review = await call_ok(
            client,
            "chartdb_propose_changes",
            diagram_id=diagram_id,
            ops=[{"kind": "add_unique", "table": "authors", "constraint": {"columns": ["id"]}}],
        )
    assert review["warnings"] == [
        "Op 1 (add_unique): The unique constraint on (id) of table 'authors' repeats its "
        "primary key and adds nothing."
    ]


async def test_mysql_allows_a_relationship_to_columns_that_are_not_a_key() -> None:
    tables = [
        {
            "kind": "create_table",
            "table": {
                "name": name,
                "columns": [
                    {"name": "id", "type": "int", "nullable": False},
                    {"name": "code", "type": "varchar(10)"},
                ],
                "primary_key": {"columns": ["id"]},
            },
        }
        for name in ("parents", "children")
    ]
    async with in_memory_client() as client:
        created = await call_ok(
            client, "chartdb_create_diagram", name="shop", database_type="mysql"
        )
        review = await call_ok(
            client,
            "chartdb_propose_changes",
            diagram_id=created["id"],
            ops=[*tables, relationship("children", ["code"], "parents", ["code"])],
        )
    assert review["warnings"] == [
        "Op 3 (add_relationship): The target columns (code) are not the primary key or a "
        "unique key of table 'parents'; mysql allows it, other databases do not."
    ]


async def test_a_reject_reason_has_a_bounded_length(blog_db: Path) -> None:
    async with in_memory_client() as client:
        diagram_id = await import_blog(client, blog_db)
        review = await call_ok(
            client,
            "chartdb_propose_changes",
            diagram_id=diagram_id,
            ops=[{"kind": "set_table_comment", "table": "posts", "comment": "Blog posts"}],
        )
        error = await call_error(
            client, "chartdb_reject_changes", proposal_id=review["id"], reason="x" * 2_001
        )
        proposal = await call_ok(client, "chartdb_get_proposal", proposal_id=review["id"])
        await call_ok(
            client, "chartdb_reject_changes", proposal_id=review["id"], reason="x" * 2_000
        )
    assert "A reason for rejecting takes at most 2,000 characters, not 2,001." in error
    assert proposal["status"] == "pending"
