"""create-table, modify-table and add-relationship return proposals; prompts carry the diagram."""

from pathlib import Path

import pytest
from mcp import Client

from chartdb_mcp.demo import build_example_database
from support.mcp_client import call_error, call_ok, in_memory_client, text_of

pytestmark = pytest.mark.anyio

AGENT_PROMPTS = {
    "schema-architect",
    "documentation-writer",
    "performance-optimizer",
    "schema-validator",
    "migration-engineer",
    "query-assistant",
}


@pytest.fixture
def blog_db(tmp_path: Path) -> Path:
    path = tmp_path / "blog.db"
    build_example_database(path)
    return path


async def import_blog(client: Client, blog_db: Path) -> str:
    report = await call_ok(client, "chartdb_import_database", url=str(blog_db), name="blog")
    return str(report["diagram_id"])


async def version_of(client: Client, diagram_id: str) -> int:
    history = await call_ok(client, "chartdb_diagram_history", diagram_id=diagram_id, limit=1)
    return int(history["current_version"])


async def test_create_table_proposes_and_apply_commits(blog_db: Path) -> None:
    async with in_memory_client() as client:
        diagram_id = await import_blog(client, blog_db)
        table = {
            "name": "tags",
            "columns": [
                {"name": "id", "type": "INTEGER", "primary_key": True},
                {"name": "name", "type": "VARCHAR(80)", "nullable": False, "unique": True},
                {"name": "created_by", "type": "INTEGER", "references": "authors.id"},
            ],
            "comment": "Labels for posts",
        }

        review = await call_ok(
            client, "chartdb_create_table", diagram_id=diagram_id, table=table, reasoning="Tags."
        )

        assert review["status"] == "pending" and await version_of(client, diagram_id) == 1
        assert [line.split(" ", 1)[1] for line in review["op_lines"]] == [
            "+ table tags",
            "+ relationship tags_created_by_fkey: tags(created_by) -> authors(id)",
        ]
        assert review["changes"]["impact"] == ["authors"]
        applied = await call_ok(client, "chartdb_apply_changes", proposal_id=review["id"])
        assert applied["version"] == 2
        page = await call_ok(client, "chartdb_get_schema", diagram_id=diagram_id, tables=["tags"])
        [detail] = page["details"]
        assert [c["name"] for c in detail["table"]["columns"]] == ["id", "name", "created_by"]
        assert detail["table"]["primary_key"]["columns"] == ["id"]
        assert detail["table"]["comment"] == "Labels for posts"


async def test_modify_table_proposes_every_kind_of_change(blog_db: Path) -> None:
    async with in_memory_client() as client:
        diagram_id = await import_blog(client, blog_db)
        changes = {
            "table": "posts",
            "add_columns": [{"name": "subtitle", "type": "VARCHAR(200)"}],
            "rename_columns": [{"column": "body", "new_name": "content"}],
            "alter_columns": [{"column": "title", "type": "TEXT"}],
            "add_indexes": [{"columns": ["subtitle"]}],
            "comment": "Blog posts",
            "status": "DEPRECATED",
        }

        review = await call_ok(
            client, "chartdb_modify_table", diagram_id=diagram_id, changes=changes
        )
        await call_ok(client, "chartdb_apply_changes", proposal_id=review["id"])

        page = await call_ok(client, "chartdb_get_schema", diagram_id=diagram_id, tables=["posts"])
        posts = page["details"][0]["table"]
        columns = {c["name"]: c for c in posts["columns"]}
        assert "content" in columns and "body" not in columns
        assert columns["title"]["type"] == "TEXT" and "subtitle" in columns
        assert [[p["column"] for p in i["parts"]] for i in posts["indexes"]][-1] == ["subtitle"]
        assert (posts["comment"], posts["status"]) == ("Blog posts", "DEPRECATED")


async def test_add_relationship_defaults_to_the_target_primary_key(blog_db: Path) -> None:
    async with in_memory_client() as client:
        diagram_id = await import_blog(client, blog_db)
        notes = {
            "name": "post_notes",
            "columns": [
                {"name": "id", "type": "INTEGER", "primary_key": True},
                {"name": "post_id", "type": "INTEGER", "nullable": False},
            ],
        }
        created = await call_ok(client, "chartdb_create_table", diagram_id=diagram_id, table=notes)
        await call_ok(client, "chartdb_apply_changes", proposal_id=created["id"])
        review = await call_ok(
            client,
            "chartdb_add_relationship",
            diagram_id=diagram_id,
            relationship={
                "source_table": "post_notes",
                "source_columns": ["post_id"],
                "target_table": "posts",
                "on_delete": "CASCADE",
            },
        )

        assert review["op_lines"] == [
            "1. + relationship post_notes_post_id_fkey: post_notes(post_id) -> posts(id)"
            " ON DELETE CASCADE"
        ]
        assert sorted(review["changes"]["impact"]) == ["post_notes", "posts"]


@pytest.mark.parametrize(
    ("tool", "arguments", "expected"),
    [
        (
            "chartdb_create_table",
            {"table": {"name": "posts", "columns": [{"name": "id", "type": "INTEGER"}]}},
            "already has a table named 'posts'",
        ),
        (
            "chartdb_create_table",
            {
                "table": {
                    "name": "t",
                    "columns": [{"name": "a", "type": "INTEGER", "references": "postz.id"}],
                }
            },
            "'postz'",
        ),
        ("chartdb_modify_table", {"changes": {"table": "posts"}}, "Nothing was asked"),
        ("chartdb_modify_table", {"changes": {"table": "nope", "comment": "x"}}, "'nope'"),
        (
            "chartdb_modify_table",
            {"changes": {"table": "posts", "drop_columns": ["nope"]}},
            "'nope'",
        ),
        (
            "chartdb_add_relationship",
            {
                "relationship": {
                    "source_table": "posts",
                    "source_columns": ["nope"],
                    "target_table": "authors",
                }
            },
            "'nope'",
        ),
    ],
)
async def test_design_tools_refuse_bad_specs_by_name(
    blog_db: Path, tool: str, arguments: dict[str, object], expected: str
) -> None:
    async with in_memory_client() as client:
        diagram_id = await import_blog(client, blog_db)

        error = await call_error(client, tool, diagram_id=diagram_id, **arguments)

        assert expected in error
        listing = await call_ok(client, "chartdb_list_proposals", diagram_id=diagram_id)
        assert listing["proposals"] == []


async def test_every_prompt_carries_the_diagram_and_the_proposal_rule(blog_db: Path) -> None:
    async with in_memory_client() as client:
        diagram_id = await import_blog(client, blog_db)
        listed = {prompt.name for prompt in (await client.list_prompts()).prompts}

        assert listed == {"analyze-schema", "suggest-improvements", *AGENT_PROMPTS}
        for name in sorted(listed):
            prompt = await client.get_prompt(name, {"diagram_id": diagram_id, "focus": "naming"})
            [message] = prompt.messages
            text = message.content.text  # type: ignore[union-attr]
            assert "posts" in text and "post_revisions" in text, name
            assert "chartdb_propose_changes" in text and "chartdb_apply_changes" in text
            assert "focus on: naming" in text


async def test_a_prompt_for_an_unknown_diagram_is_refused() -> None:
    async with in_memory_client() as client:
        with pytest.raises(Exception, match="'nope'"):
            await client.get_prompt("analyze-schema", {"diagram_id": "nope"})


async def test_proposal_text_tells_the_model_what_to_do_next(blog_db: Path) -> None:
    async with in_memory_client() as client:
        diagram_id = await import_blog(client, blog_db)
        result = await client.call_tool(
            "chartdb_modify_table",
            {"diagram_id": diagram_id, "changes": {"table": "posts", "comment": "Blog posts"}},
        )

        text = text_of(result)
        assert "Nothing is changed yet" in text
        assert "chartdb_apply_changes" in text and "chartdb_reject_changes" in text
