"""Through the MCP client: new names that differ from a neighbour's only by case are
refused where the diagram's database treats them as one name, and warned about elsewhere."""

from pathlib import Path
from typing import Any

import pytest

from chartdb_mcp.demo import build_example_database
from support.mcp_client import call_error, call_ok, in_memory_client

pytestmark = pytest.mark.anyio


@pytest.fixture
def blog_db(tmp_path: Path) -> Path:
    path = tmp_path / "blog.db"
    build_example_database(path)
    return path


def table(name: str, *columns: str) -> dict[str, Any]:
    return {
        "kind": "create_table",
        "table": {"name": name, "columns": [{"name": c, "type": "integer"} for c in columns]},
    }


@pytest.mark.parametrize(
    ("op", "problem"),
    [
        (
            {"kind": "add_column", "table": "posts", "column": {"name": "Title", "type": "text"}},
            "Table 'posts' has columns ['title', 'Title'] that differ only by case.",
        ),
        (
            {"kind": "rename_column", "table": "posts", "column": "slug", "new_name": "TITLE"},
            "Table 'posts' has columns ['TITLE', 'title'] that differ only by case.",
        ),
        (table("t", "a", "A"), "Table 't' has columns ['a', 'A'] that differ only by case."),
        (table("Posts", "id"), "Tables ['posts', 'Posts'] differ only by case."),
        (
            {"kind": "rename_table", "table": "tags", "new_name": "POSTS"},
            "Tables ['posts', 'POSTS'] differ only by case.",
        ),
    ],
)
async def test_a_case_twin_is_refused_on_sqlite(
    blog_db: Path, op: dict[str, Any], problem: str
) -> None:
    async with in_memory_client() as client:
        report = await call_ok(client, "chartdb_import_database", url=str(blog_db), name="blog")
        diagram_id = report["diagram_id"]
        first = await call_ok(
            client, "chartdb_propose_changes", diagram_id=diagram_id, ops=[table("tags", "id")]
        )
        await call_ok(client, "chartdb_apply_changes", proposal_id=first["id"])
        error = await call_error(client, "chartdb_propose_changes", diagram_id=diagram_id, ops=[op])
    assert error.endswith(
        f"Op 1 ({op['kind']}) cannot be applied: {problem} On a sqlite diagram they are "
        "the same name; choose another."
    )


async def test_a_case_twin_is_a_warning_on_postgresql() -> None:
    async with in_memory_client() as client:
        created = await call_ok(
            client, "chartdb_create_diagram", name="pg", database_type="postgresql"
        )
        review = await call_ok(
            client,
            "chartdb_propose_changes",
            diagram_id=created["id"],
            ops=[table("film", "title", "Title"), table("Film", "id")],
        )
    assert review["warnings"] == [
        "Op 1 (create_table): Table 'film' has columns ['title', 'Title'] that differ only "
        "by case.",
        "Op 2 (create_table): Tables ['film', 'Film'] differ only by case.",
    ]
