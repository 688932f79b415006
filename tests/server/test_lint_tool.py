"""lint-schema through the SDK client: findings, filters, bad arguments and the budget."""

import json
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


async def test_lint_reports_findings_filters_rules_and_tables(blog_db: Path) -> None:
    async with in_memory_client() as client:
        diagram_id = await import_blog(client, blog_db)
        report = await call_ok(client, "chartdb_lint_schema", diagram_id=diagram_id)
        found = {(f["rule"], f["table"], f.get("column")) for f in report["findings"]}
        # comments.reply_to_id and categories.parent_id lead no index.
        assert ("fk-without-index", "comments", "reply_to_id") in found
        assert ("fk-without-index", "categories", "parent_id") in found
        assert report["dialect"] == "sqlite" and report["tables_checked"] == 5

        only = await call_ok(
            client,
            "chartdb_lint_schema",
            diagram_id=diagram_id,
            rules=["fk-without-index"],
            tables=["comments"],
        )
        assert {(f["rule"], f["table"]) for f in only["findings"]} == {
            ("fk-without-index", "comments")
        }
        oracle = await call_ok(
            client,
            "chartdb_lint_schema",
            diagram_id=diagram_id,
            dialect="oracle",
            rules=["reserved-word"],
        )
        assert oracle["dialect"] == "oracle" and oracle["rules"] == ["reserved-word"]

        unknown = await call_error(
            client, "chartdb_lint_schema", diagram_id=diagram_id, rules=["no-such-rule"]
        )
        assert "no-such-rule" in unknown and "no-primary-key" in unknown
        missing = await call_error(
            client, "chartdb_lint_schema", diagram_id=diagram_id, tables=["comment"]
        )
        assert "'comment'" in missing and "comments" in missing


async def test_lint_answer_stays_within_budget_and_counts_what_it_cut() -> None:
    loose = "\n".join(f"Table t{n} {{\n  v{n} text\n}}" for n in range(30))
    async with in_memory_client() as client:
        imported = await call_ok(client, "chartdb_import_diagram", format="dbml", content=loose)
        diagram_id = imported["diagram_id"]
        full = await call_ok(client, "chartdb_lint_schema", diagram_id=diagram_id)
        assert full["counts"] == {"error": 0, "warning": 30, "info": 30}
        result = await client.call_tool(
            "chartdb_lint_schema", {"diagram_id": diagram_id, "max_chars": 2_000}
        )
        payload = result.structured_content
        assert payload is not None
        assert 0 < len(payload["findings"]) < 60
        assert len(payload["findings"]) + payload["findings_left_out"] == 60
        assert "more findings left out" in text_of(result)
        assert len(text_of(result)) + len(json.dumps(payload)) <= 2_000
