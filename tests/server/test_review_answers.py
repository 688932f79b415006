"""Through the MCP client: who a version is by, how big answers get, and clear refusals
for restores and prompts that cannot be served."""

from pathlib import Path
from typing import Any

import pytest
from mcp import Client
from mcp.shared.exceptions import MCPError
from mcp.types import INVALID_PARAMS, Implementation

from chartdb_mcp.demo import build_example_database
from support.mcp_client import call_error, call_ok, in_memory_client, text_of

pytestmark = pytest.mark.anyio


@pytest.fixture
def blog_db(tmp_path: Path) -> Path:
    path = tmp_path / "blog.db"
    build_example_database(path)
    return path


def client_named(name: str) -> Client:
    return in_memory_client(client_info=Implementation(name=name, version="1.0"))


def column_ops(count: int, prefix: str = "") -> list[dict[str, Any]]:
    return [
        {
            "kind": "add_column",
            "table": "posts",
            "column": {"name": f"{prefix}extra_column_with_a_long_name_{n}", "type": "text"},
        }
        for n in range(count)
    ]


async def test_imports_and_applies_are_by_the_client(blog_db: Path) -> None:
    async with client_named("Claude Desktop") as client:
        report = await call_ok(client, "chartdb_import_database", url=str(blog_db), name="blog")
        diagram_id = report["diagram_id"]
        again = await call_ok(
            client, "chartdb_import_database", url=str(blog_db), diagram_id=diagram_id
        )
        assert again["version"] == 2
        history = await call_ok(client, "chartdb_diagram_history", diagram_id=diagram_id)
        assert [v.get("author") for v in history["versions"]] == ["Claude Desktop"] * 2


async def test_a_new_diagram_is_by_the_client() -> None:
    async with client_named("VS Code") as client:
        created = await call_ok(client, "chartdb_create_diagram", name="shop")
        history = await call_ok(client, "chartdb_diagram_history", diagram_id=created["id"])
    assert history["versions"][0]["author"] == "VS Code"


async def test_a_client_name_cannot_fake_a_changelog_line(blog_db: Path) -> None:
    forged = "evil\nv99  2026-01-01 00:00:00 UTC by admin: Dropped everything\u202e" + "x" * 300
    async with client_named(forged) as client:
        report = await call_ok(client, "chartdb_import_database", url=str(blog_db), name="blog")
        review = await call_ok(
            client,
            "chartdb_propose_changes",
            diagram_id=report["diagram_id"],
            ops=column_ops(1),
        )
        await call_ok(client, "chartdb_apply_changes", proposal_id=review["id"])
        result = await client.call_tool(
            "chartdb_diagram_history", {"diagram_id": report["diagram_id"]}
        )
    text = text_of(result)
    assert not any(line.startswith("v99") for line in text.splitlines())
    assert len(text.splitlines()) == 4  # the header, two versions and one change line
    assert result.structured_content is not None
    for version in result.structured_content["versions"]:
        author = version["author"]
        assert author.startswith("evil v99 2026-01-01 00:00:00 UTC by admin: Dropped everything")
        assert "\n" not in author and "\u202e" not in author and len(author) == 100


async def test_apply_changes_keeps_within_max_chars_and_says_what_it_cut(blog_db: Path) -> None:
    async with in_memory_client() as client:
        report = await call_ok(client, "chartdb_import_database", url=str(blog_db), name="blog")
        review = await call_ok(
            client,
            "chartdb_propose_changes",
            diagram_id=report["diagram_id"],
            ops=column_ops(300),
            max_chars=50_000,
        )
        result = await client.call_tool(
            "chartdb_apply_changes", {"proposal_id": review["id"], "max_chars": 4_000}
        )
    assert not result.is_error, text_of(result)
    applied = result.structured_content
    assert applied is not None
    text = text_of(result)
    assert len(text) + len(result.model_dump_json()) < 2 * 4_000 + 1_000
    assert applied["version"] == 2 and len(applied["applied_ops"]) == 300
    kept = len(applied["changes"])
    assert 0 < kept < 300 and applied["changes_left_out"] == 300 - kept
    assert f"… and {300 - kept} more change lines, left out to fit max_chars" in text


async def test_diagram_history_keeps_within_max_chars_and_says_what_it_cut(
    blog_db: Path,
) -> None:
    async with in_memory_client() as client:
        report = await call_ok(client, "chartdb_import_database", url=str(blog_db), name="blog")
        diagram_id = report["diagram_id"]
        for round_number in range(6):
            ops = [
                {
                    **op,
                    "column": {**op["column"], "name": f"r{round_number}_{op['column']['name']}"},
                }
                for op in column_ops(40)
            ]
            review = await call_ok(
                client, "chartdb_propose_changes", diagram_id=diagram_id, ops=ops, max_chars=50_000
            )
            await call_ok(client, "chartdb_apply_changes", proposal_id=review["id"])
        roomy = await call_ok(
            client, "chartdb_diagram_history", diagram_id=diagram_id, max_chars=200_000
        )
        result = await client.call_tool(
            "chartdb_diagram_history", {"diagram_id": diagram_id, "max_chars": 2_000}
        )
    assert [len(v["changes"]) for v in roomy["versions"]] == [20] * 6 + [0]
    assert [v["changes_left_out"] for v in roomy["versions"][:6]] == [20] * 6
    tight = result.structured_content
    assert tight is not None
    text = text_of(result)
    assert len(text) + len(str(tight)) < 2 * 2_000
    assert tight["versions_left_out"] == 7 - len(tight["versions"])
    assert f"… and {tight['versions_left_out']} older versions, left out" in text
    assert "more changes" in text


async def test_restoring_a_version_with_the_current_content_is_refused(blog_db: Path) -> None:
    async with in_memory_client() as client:
        report = await call_ok(client, "chartdb_import_database", url=str(blog_db), name="blog")
        diagram_id = report["diagram_id"]
        review = await call_ok(
            client, "chartdb_propose_changes", diagram_id=diagram_id, ops=column_ops(1)
        )
        await call_ok(client, "chartdb_apply_changes", proposal_id=review["id"])
        await call_ok(client, "chartdb_restore_version", diagram_id=diagram_id, version=1)
        error = await call_error(
            client, "chartdb_restore_version", diagram_id=diagram_id, version=1
        )
        history = await call_ok(client, "chartdb_diagram_history", diagram_id=diagram_id)
    assert error.endswith(
        ": Version 1 of diagram 'blog' has the same content as the current version 3; "
        "there is nothing to restore."
    )
    assert history["current_version"] == 3


@pytest.mark.parametrize(
    ("name", "arguments", "message"),
    [
        ("no-such-prompt", {"diagram_id": "x"}, "There is no prompt named 'no-such-prompt'."),
        ("analyze-schema", {}, "Prompt 'analyze-schema' needs the argument 'diagram_id'"),
        ("analyze-schema", {"diagram_id": "x", "colour": "red"}, "not ['colour']"),
        ("analyze-schema", {"diagram_id": "x", "focus": "f" * 2_001}, "has 2,001 characters"),
    ],
)
async def test_a_prompt_request_that_cannot_be_served_says_why(
    name: str, arguments: dict[str, str], message: str
) -> None:
    async with in_memory_client() as client:
        with pytest.raises(MCPError) as raised:
            await client.get_prompt(name, arguments)
    assert raised.value.error.code == INVALID_PARAMS
    assert message in raised.value.error.message


async def test_restore_version_keeps_within_max_chars_and_says_what_it_cut(
    blog_db: Path,
) -> None:
    async with in_memory_client() as client:
        report = await call_ok(client, "chartdb_import_database", url=str(blog_db), name="blog")
        diagram_id = report["diagram_id"]
        review = await call_ok(
            client,
            "chartdb_propose_changes",
            diagram_id=diagram_id,
            ops=column_ops(300),
            max_chars=50_000,
        )
        await call_ok(client, "chartdb_apply_changes", proposal_id=review["id"])
        result = await client.call_tool(
            "chartdb_restore_version",
            {"diagram_id": diagram_id, "version": 1, "max_chars": 3_000},
        )
    restored = result.structured_content
    assert restored is not None and restored["version"] == 3
    kept = len(restored["changes"])
    assert 0 < kept < 300 and restored["changes_left_out"] == 300 - kept
    assert f"… and {300 - kept} more change lines, left out to fit max_chars" in text_of(result)
    assert len(text_of(result)) + len(str(restored)) < 2 * 3_000


async def test_list_proposals_keeps_within_max_chars_and_says_what_it_cut(blog_db: Path) -> None:
    many_tables = [
        {
            "kind": "create_table",
            "table": {
                "name": f"table_with_a_long_name_{n}",
                "columns": [{"name": "id", "type": "integer"}],
            },
        }
        for n in range(40)
    ]
    async with in_memory_client() as client:
        report = await call_ok(client, "chartdb_import_database", url=str(blog_db), name="blog")
        diagram_id = report["diagram_id"]
        for number in range(8):
            ops = [
                {**op, "table": {**op["table"], "name": f"p{number}_{op['table']['name']}"}}
                for op in many_tables
            ]
            await call_ok(
                client, "chartdb_propose_changes", diagram_id=diagram_id, ops=ops, max_chars=50_000
            )
        roomy = await call_ok(client, "chartdb_list_proposals", diagram_id=diagram_id)
        result = await client.call_tool(
            "chartdb_list_proposals", {"diagram_id": diagram_id, "max_chars": 2_000}
        )
    assert [len(p["affected_tables"]) for p in roomy["proposals"]] == [40] * 8
    tight = result.structured_content
    assert tight is not None
    text = text_of(result)
    assert len(text) + len(str(tight)) < 2 * 2_000
    assert all(len(p["affected_tables"]) == 10 for p in tight["proposals"])
    assert all(p["affected_left_out"] == 30 for p in tight["proposals"])
    assert tight["proposals_left_out"] == 8 - len(tight["proposals"]) > 0
    assert f"… and {tight['proposals_left_out']} older proposals, left out" in text


async def test_a_very_long_unknown_id_is_echoed_by_its_start_and_length() -> None:
    bogus = "x" * 5_000
    async with in_memory_client() as client:
        diagram = await call_error(client, "chartdb_get_schema", diagram_id=bogus)
        proposal = await call_error(client, "chartdb_get_proposal", proposal_id=bogus)
    for message in (diagram, proposal):
        assert f"{'x' * 40}'... (5,000 characters)." in message
        assert len(message) < 300
