"""Through the MCP client: review answers stay within max_chars however long the names
of the tables they change, and say what they cut and where the rest is."""

import json
from pathlib import Path
from typing import Any

import pytest
from mcp import Client

from chartdb_mcp.demo import build_example_database
from support.mcp_client import call_ok, in_memory_client, text_of

pytestmark = pytest.mark.anyio

TABLES = 60


@pytest.fixture
def blog_db(tmp_path: Path) -> Path:
    path = tmp_path / "blog.db"
    build_example_database(path)
    return path


def long_tables(count: int = TABLES) -> list[dict[str, Any]]:
    """Tables whose names and column names are a few hundred characters long."""
    return [
        {
            "kind": "create_table",
            "table": {
                "name": f"t{n}_" + "y" * 300,
                "columns": [
                    {"name": f"c{c}_" + "z" * 200, "type": "integer", "nullable": False}
                    for c in range(30)
                ],
            },
        }
        for n in range(count)
    ]


async def propose_long_tables(client: Client, blog_db: Path) -> tuple[str, str]:
    report = await call_ok(client, "chartdb_import_database", url=str(blog_db), name="blog")
    review = await call_ok(
        client,
        "chartdb_propose_changes",
        diagram_id=report["diagram_id"],
        reasoning="Many tables with long names.",
        ops=long_tables(),
    )
    return str(report["diagram_id"]), str(review["id"])


def answer_size(text: str, structured: dict[str, Any] | None) -> int:
    assert structured is not None
    return len(text) + len(json.dumps(structured, ensure_ascii=False, separators=(",", ":")))


@pytest.mark.parametrize("max_chars", [2_000, 5_000])
async def test_get_proposal_with_long_table_names_keeps_within_max_chars(
    blog_db: Path, max_chars: int
) -> None:
    async with in_memory_client() as client:
        _, proposal_id = await propose_long_tables(client, blog_db)
        result = await client.call_tool(
            "chartdb_get_proposal", {"proposal_id": proposal_id, "max_chars": max_chars}
        )
    assert not result.is_error, text_of(result)
    review = result.structured_content
    assert answer_size(text_of(result), review) <= max_chars
    assert review is not None
    kept = len(review["changes"]["affected_tables"])
    assert review["affected_left_out"] == TABLES - kept > 0
    assert f"(The JSON leaves out {TABLES - kept} affected and" in text_of(result)


async def test_list_proposals_with_long_table_names_keeps_within_max_chars(
    blog_db: Path,
) -> None:
    async with in_memory_client() as client:
        diagram_id, _ = await propose_long_tables(client, blog_db)
        result = await client.call_tool(
            "chartdb_list_proposals", {"diagram_id": diagram_id, "max_chars": 2_000}
        )
    assert not result.is_error, text_of(result)
    listing = result.structured_content
    assert answer_size(text_of(result), listing) <= 2_000
    assert listing is not None
    [line] = listing["proposals"]
    assert line["affected_left_out"] == TABLES - len(line["affected_tables"]) > 0


async def test_a_mermaid_view_no_budget_can_hold_points_to_the_resource(blog_db: Path) -> None:
    async with in_memory_client() as client:
        _, proposal_id = await propose_long_tables(client, blog_db)
        review = await call_ok(
            client, "chartdb_get_proposal", proposal_id=proposal_id, max_chars=200_000
        )
        whole = json.loads(
            (await client.read_resource(f"chartdb://proposal/{proposal_id}")).contents[0].text  # type: ignore[union-attr]
        )
    assert len(whole["mermaid"]) * 8 > 200_000
    assert review["mermaid"] == (
        f"%% The Mermaid view needs {len(whole['mermaid'])} characters, more than any "
        f"max_chars allows; read the resource chartdb://proposal/{proposal_id} for it."
    )


async def test_get_proposal_after_a_large_partial_apply_keeps_within_max_chars(
    blog_db: Path,
) -> None:
    ops = [
        {"kind": "add_column", "table": "posts", "column": {"name": f"c{n}", "type": "text"}}
        for n in range(1000)
    ]
    async with in_memory_client() as client:
        report = await call_ok(client, "chartdb_import_database", url=str(blog_db), name="blog")
        review = await call_ok(
            client, "chartdb_propose_changes", diagram_id=report["diagram_id"], ops=ops
        )
        chosen = list(range(1, 1001, 2))
        await call_ok(client, "chartdb_apply_changes", proposal_id=review["id"], ops=chosen)
        result = await client.call_tool(
            "chartdb_get_proposal", {"proposal_id": review["id"], "max_chars": 2_000}
        )
    assert not result.is_error, text_of(result)
    fitted = result.structured_content
    assert answer_size(text_of(result), fitted) <= 2_000
    assert fitted is not None
    kept = fitted["applied_ops"]
    assert kept == chosen[: len(kept)]
    assert fitted["applied_ops_left_out"] == 500 - len(kept) > 0
    assert f" and {500 - len(kept)} more, left out to fit max_chars)." in text_of(result)
