"""The review flow through the MCP client: propose, read, apply in part, history, restore."""

import json
from pathlib import Path
from typing import Any

import pytest
from mcp import Client

from chartdb_mcp.demo import build_example_database
from support.mcp_client import call_error, call_ok, in_memory_client, read_json, text_of

pytestmark = pytest.mark.anyio

TAGS = {
    "kind": "create_table",
    "table": {
        "name": "tags",
        "columns": [
            {"name": "id", "type": "INTEGER", "nullable": False},
            {"name": "name", "type": "VARCHAR(80)", "nullable": False},
        ],
        "primary_key": {"columns": ["id"]},
        "unique_constraints": [{"name": "tags_name_key", "columns": ["name"]}],
    },
}
POST_TAGS = {
    "kind": "create_table",
    "table": {
        "name": "post_tags",
        "columns": [
            {"name": "post_id", "type": "INTEGER", "nullable": False},
            {"name": "tag_id", "type": "INTEGER", "nullable": False},
        ],
        "primary_key": {"columns": ["post_id", "tag_id"]},
    },
}
TO_POSTS = {
    "kind": "add_relationship",
    "name": "post_tags_post_id_fkey",
    "source_table": "post_tags",
    "source_columns": ["post_id"],
    "target_table": "posts",
    "target_columns": ["id"],
    "on_delete": "CASCADE",
}
TO_TAGS = {
    "kind": "add_relationship",
    "name": "post_tags_tag_id_fkey",
    "source_table": "post_tags",
    "source_columns": ["tag_id"],
    "target_table": "tags",
    "target_columns": ["id"],
    "on_delete": "CASCADE",
}
MANY_TO_MANY = [TAGS, POST_TAGS, TO_POSTS, TO_TAGS]


@pytest.fixture
def blog_db(tmp_path: Path) -> Path:
    path = tmp_path / "blog.db"
    build_example_database(path)
    return path


async def import_blog(client: Client, blog_db: Path) -> str:
    report = await call_ok(client, "chartdb_import_database", url=str(blog_db), name="blog")
    return str(report["diagram_id"])


async def table_names(client: Client, diagram_id: str) -> list[str]:
    page = await call_ok(client, "chartdb_get_schema", diagram_id=diagram_id)
    return sorted(table["name"] for table in page["tables"])


async def relationship_names(client: Client, diagram_id: str) -> set[str]:
    data = await read_json(client, f"chartdb://diagram/{diagram_id}/relationships")
    return {r["name"] for r in data["relationships"] if r.get("name")}


def mermaid_lines(review: dict[str, Any]) -> list[str]:
    return [line.strip() for line in review["mermaid"].splitlines()]


async def test_tags_many_to_many_from_proposal_to_partial_apply_to_restore(
    blog_db: Path,
) -> None:
    async with in_memory_client() as client:
        diagram_id = await import_blog(client, blog_db)
        before = await table_names(client, diagram_id)

        result = await client.call_tool(
            "chartdb_propose_changes",
            {
                "diagram_id": diagram_id,
                "ops": MANY_TO_MANY,
                "reasoning": "Posts need tags; a post has many tags and a tag many posts.",
                "title": "Add tags to posts",
            },
        )
        assert not result.is_error, text_of(result)
        review = result.structured_content
        assert review is not None
        text = text_of(result)

        # One pending proposal, nothing applied yet.
        assert review["status"] == "pending" and review["base_version"] == 1
        assert review["op_lines"][:2] == ["1. + table tags", "2. + table post_tags"]
        assert len(review["op_lines"]) == 4
        assert await table_names(client, diagram_id) == before
        # The text diff marks the new tables and relationships as added, posts as affected.
        diff = review["diff_text"].splitlines()
        assert "+ table tags" in diff and "+ table post_tags" in diff
        assert "+ post_tags_post_id_fkey: post_tags(post_id) → posts(id) ON DELETE CASCADE" in diff
        assert "+ post_tags_tag_id_fkey: post_tags(tag_id) → tags(id) ON DELETE CASCADE" in diff
        assert diff[-1] == "Affected, linked by foreign keys (unchanged): posts"
        assert review["changes"]["impact"] == ["posts"]
        assert sorted(review["changes"]["affected_tables"]) == ["post_tags", "tags"]
        assert "```mermaid" in text and "Add tags to posts" in text
        # The Mermaid view styles the new tables as added and posts as linked but unchanged.
        mermaid = mermaid_lines(review)
        assert mermaid[0] == "erDiagram"
        assert "class tags,post_tags added" in mermaid
        assert "class posts linked" in mermaid
        assert 'post_tags }o--|| posts : "+ post_id"' in mermaid

        # Accept a subset: both tables and the link to posts, not the link to tags.
        applied = await call_ok(
            client, "chartdb_apply_changes", proposal_id=review["id"], ops=[1, 2, 3]
        )
        assert (applied["status"], applied["version"]) == ("partial", 2)
        assert (applied["applied_ops"], applied["skipped_ops"]) == ([1, 2, 3], [4])
        assert await table_names(client, diagram_id) == sorted([*before, "tags", "post_tags"])
        links = await relationship_names(client, diagram_id)
        assert "post_tags_post_id_fkey" in links and "post_tags_tag_id_fkey" not in links

        # The proposal is closed; the changelog names it and lists the changes.
        proposal = await call_ok(client, "chartdb_get_proposal", proposal_id=review["id"])
        assert (proposal["status"], proposal["applied_ops"]) == ("partial", [1, 2, 3])
        history = await call_ok(client, "chartdb_diagram_history", diagram_id=diagram_id)
        newest = history["versions"][0]
        assert (history["current_version"], newest["proposal_id"]) == (2, review["id"])
        assert newest["changes"][:2] == ["+ table tags", "+ table post_tags"]
        assert len(newest["changes"]) == 3

        # Restore brings version 1 back as version 3; the history keeps all three.
        restored = await call_ok(
            client, "chartdb_restore_version", diagram_id=diagram_id, version=1
        )
        assert (restored["restored_version"], restored["version"]) == (1, 3)
        assert await table_names(client, diagram_id) == before
        history = await call_ok(client, "chartdb_diagram_history", diagram_id=diagram_id)
        assert [v["version"] for v in history["versions"]] == [3, 2, 1]
        assert "- table tags" in history["versions"][0]["changes"]


async def test_apply_all_accepts_and_a_second_apply_is_refused(blog_db: Path) -> None:
    async with in_memory_client() as client:
        diagram_id = await import_blog(client, blog_db)
        review = await call_ok(
            client, "chartdb_propose_changes", diagram_id=diagram_id, ops=MANY_TO_MANY
        )

        applied = await call_ok(client, "chartdb_apply_changes", proposal_id=review["id"])
        again = await call_error(client, "chartdb_apply_changes", proposal_id=review["id"])

        assert (applied["status"], applied["skipped_ops"]) == ("accepted", [])
        assert {"post_tags_post_id_fkey", "post_tags_tag_id_fkey"} <= await relationship_names(
            client, diagram_id
        )
        assert "already accepted" in again


async def test_a_subset_that_needs_a_left_out_op_is_refused_and_nothing_changes(
    blog_db: Path,
) -> None:
    async with in_memory_client() as client:
        diagram_id = await import_blog(client, blog_db)
        review = await call_ok(
            client, "chartdb_propose_changes", diagram_id=diagram_id, ops=MANY_TO_MANY
        )

        error = await call_error(
            client, "chartdb_apply_changes", proposal_id=review["id"], ops=[1, 3]
        )

        assert "Op 3 (add_relationship)" in error and "post_tags" in error
        proposal = await call_ok(client, "chartdb_get_proposal", proposal_id=review["id"])
        assert proposal["status"] == "pending" and proposal["current_version"] == 1


async def test_revise_then_reject(blog_db: Path) -> None:
    async with in_memory_client() as client:
        diagram_id = await import_blog(client, blog_db)
        review = await call_ok(
            client, "chartdb_propose_changes", diagram_id=diagram_id, ops=MANY_TO_MANY
        )

        revised = await call_ok(
            client,
            "chartdb_revise_proposal",
            proposal_id=review["id"],
            remove_ops=[4],
            add_ops=[{"kind": "set_table_comment", "table": "tags", "comment": "Labels"}],
            reasoning="Keep tags loose for now.",
        )
        assert (revised["revision"], revised["reasoning"]) == (2, "Keep tags loose for now.")
        assert revised["op_lines"][-1] == "4. ~ comment of table tags: none -> 'Labels'"
        assert len(revised["op_lines"]) == 4

        rejected = await call_ok(
            client, "chartdb_reject_changes", proposal_id=review["id"], reason="Not now."
        )
        listing = await call_ok(client, "chartdb_list_proposals", diagram_id=diagram_id)
        assert (rejected["status"], rejected["decision_note"]) == ("rejected", "Not now.")
        assert [(p["id"], p["status"]) for p in listing["proposals"]] == [
            (review["id"], "rejected")
        ]
        assert "already rejected" in await call_error(
            client, "chartdb_revise_proposal", proposal_id=review["id"], remove_ops=[1]
        )
        assert "tags" not in await table_names(client, diagram_id)
        history = await call_ok(client, "chartdb_diagram_history", diagram_id=diagram_id)
        assert history["current_version"] == 1


@pytest.mark.parametrize(
    ("ops", "expected"),
    [
        ([{"kind": "drop_table", "table": "nope"}], "Op 1 (drop_table)"),
        ([{"kind": "drop_table", "table": "nope"}], "'nope'"),
        ([{"kind": "no_such_kind"}], "Op 1 is malformed"),
        ([TAGS, {"kind": "add_column", "table": "tags"}], "Op 2 is malformed: field"),
        ([TAGS, {"kind": "add_column", "table": "tags"}], "column"),
        ([TAGS, TAGS], "already has a table named 'tags'"),
        (
            [TAGS, {**TO_TAGS, "source_table": "posts", "source_columns": ["nope"]}],
            "'nope'",
        ),
    ],
)
async def test_bad_ops_are_refused_by_number_and_name(
    blog_db: Path, ops: list[dict[str, Any]], expected: str
) -> None:
    async with in_memory_client() as client:
        diagram_id = await import_blog(client, blog_db)

        error = await call_error(client, "chartdb_propose_changes", diagram_id=diagram_id, ops=ops)

        assert expected in error
        listing = await call_ok(client, "chartdb_list_proposals", diagram_id=diagram_id)
        assert listing["proposals"] == []


async def test_unknown_ids_and_numbers_are_named(blog_db: Path) -> None:
    async with in_memory_client() as client:
        diagram_id = await import_blog(client, blog_db)
        review = await call_ok(client, "chartdb_propose_changes", diagram_id=diagram_id, ops=[TAGS])

        assert "'missing'" in await call_error(
            client, "chartdb_get_proposal", proposal_id="missing"
        )
        assert "no op [7]" in await call_error(
            client, "chartdb_apply_changes", proposal_id=review["id"], ops=[1, 7]
        )
        assert "already at version 1" in await call_error(
            client, "chartdb_restore_version", diagram_id=diagram_id, version=1
        )
        assert "no version 9" in await call_error(
            client, "chartdb_restore_version", diagram_id=diagram_id, version=9
        )
        assert "changes nothing" in await call_error(
            client, "chartdb_revise_proposal", proposal_id=review["id"]
        )


async def test_proposal_resources_and_the_op_schema(blog_db: Path) -> None:
    async with in_memory_client() as client:
        diagram_id = await import_blog(client, blog_db)
        review = await call_ok(
            client, "chartdb_propose_changes", diagram_id=diagram_id, ops=MANY_TO_MANY
        )

        listing = await read_json(client, f"chartdb://diagram/{diagram_id}/proposals")
        single = await read_json(client, f"chartdb://proposal/{review['id']}")
        schema = await read_json(client, "chartdb://reference/change-ops")

        assert [p["id"] for p in listing["proposals"]] == [review["id"]]
        assert single["op_lines"] == review["op_lines"]
        assert "+ table tags" in single["diff_text"]
        kinds = {name.lower() for name in schema["$defs"]}
        assert {"createtable", "addrelationship", "createtype"} <= kinds


async def test_a_large_proposal_stays_within_its_budget(blog_db: Path) -> None:
    ops = [
        {
            "kind": "create_table",
            "table": {
                "name": f"wide_table_{number}",
                "columns": [{"name": f"column_{c}", "type": "text"} for c in range(30)],
                "primary_key": {"columns": ["column_0"]},
            },
        }
        for number in range(200)
    ]
    ops += [
        {
            "kind": "add_relationship",
            "source_table": f"wide_table_{number + 1}",
            "source_columns": ["column_1"],
            "target_table": f"wide_table_{number}",
            "target_columns": ["column_0"],
        }
        for number in range(199)
    ]
    async with in_memory_client() as client:
        diagram_id = await import_blog(client, blog_db)

        result = await client.call_tool(
            "chartdb_propose_changes",
            {"diagram_id": diagram_id, "ops": ops, "max_chars": 10_000, "reasoning": "r" * 9000},
        )

        assert not result.is_error, text_of(result)
        review = result.structured_content
        assert review is not None
        size = len(text_of(result)) + len(json.dumps(review, ensure_ascii=False))
        assert size <= 10_000
        assert review["op_lines"][-1].startswith("… and ")
        assert "%% The Mermaid view needs" in review["mermaid"]
        assert review["tables_left_out"] > 0 and review["relationships_left_out"] > 0
        full = await read_json(client, f"chartdb://proposal/{review['id']}")
        assert len(full["op_lines"]) == 399 and len(full["reasoning"]) == 9000
