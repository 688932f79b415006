"""Import the example SQLite database through the tools and read every detail back."""

from pathlib import Path
from typing import Any

import anyio
import pytest

from chartdb_mcp.demo import build_example_database
from support.mcp_client import call_error, call_ok, in_memory_client, read_json, text_of

pytestmark = pytest.mark.anyio


@pytest.fixture
def blog_db(tmp_path: Path) -> Path:
    path = tmp_path / "blog.db"
    build_example_database(path)
    return path


def by_name(items: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    return {item["name"]: item for item in items}


async def test_import_then_outline_and_details(blog_db: Path) -> None:
    async with in_memory_client() as client:
        report = await call_ok(client, "chartdb_import_database", url=str(blog_db), name="blog")
        assert (report["tables"], report["views"], report["relationships"]) == (5, 1, 6)
        assert report["database_type"] == "sqlite" and report["version"] == 1
        assert "password" not in report["source"]
        diagram_id = report["diagram_id"]

        page = await call_ok(client, "chartdb_get_schema", diagram_id=diagram_id)
        outlines = by_name(page["tables"])
        assert sorted(outlines) == ["authors", "categories", "comments", "post_revisions", "posts"]
        assert all(outline["status"] == "EXISTS" for outline in outlines.values())
        assert outlines["authors"]["unique"] == ["(email)"]
        assert outlines["categories"]["unique"] == ["(slug)"]
        posts = outlines["posts"]
        assert posts["columns"][0] == "id INTEGER PK AUTOINCREMENT"
        assert "status VARCHAR(20) NOT NULL DEFAULT 'draft'" in posts["columns"]
        assert "(author_id, slug)" in posts["unique"][0]
        assert sorted(posts["foreign_keys"]) == [
            "(author_id) -> authors(id) ON DELETE CASCADE",
            "(category_id) -> categories(id) ON DELETE SET NULL",
        ]
        assert sorted(posts["indexes"]) == [
            "posts_category_idx (category_id)",
            "posts_published_idx (published_at DESC) WHERE status = 'published'",
        ]
        assert [view["name"] for view in page["views"]] == ["published_posts"]

        detail = await call_ok(
            client, "chartdb_get_schema", diagram_id=diagram_id, tables=["posts", "authors"]
        )
        details = {d["table"]["name"]: d for d in detail["details"]}
        assert sorted(details) == ["authors", "posts"]
        [check] = details["posts"]["table"]["checks"]
        assert "'published'" in check["expression"]
        referenced = {ref["references_table"] for ref in details["posts"]["referenced_by"]}
        assert referenced == {"comments", "post_revisions"}
        revisions = await call_ok(
            client, "chartdb_get_schema", diagram_id=diagram_id, tables=["post_revisions"]
        )
        table = revisions["details"][0]["table"]
        assert table["primary_key"]["columns"] == ["post_id", "revision"]

        relationships = await read_json(client, f"chartdb://diagram/{diagram_id}/relationships")
        pairs = {
            (r["source_table"], tuple(r["source_columns"]), r["target_table"], r["on_delete"])
            for r in relationships["relationships"]
        }
        assert pairs == {
            ("categories", ("parent_id",), "categories", "SET NULL"),
            ("posts", ("author_id",), "authors", "CASCADE"),
            ("posts", ("category_id",), "categories", "SET NULL"),
            ("comments", ("post_id",), "posts", "CASCADE"),
            ("comments", ("reply_to_id",), "comments", "CASCADE"),
            ("post_revisions", ("post_id",), "posts", "CASCADE"),
        }


async def test_reimport_into_the_same_diagram_keeps_ids_and_bumps_the_version(
    blog_db: Path,
) -> None:
    async with in_memory_client() as client:
        first = await call_ok(client, "chartdb_import_database", url=str(blog_db))
        schema = await read_json(client, f"chartdb://diagram/{first['diagram_id']}/schema")
        ids = {t["name"]: t["id"] for t in schema["tables"]}
        again = await call_ok(
            client, "chartdb_import_database", url=str(blog_db), diagram_id=first["diagram_id"]
        )
        assert again["version"] == 2 and again["updated_count"] == 5 and again["added_count"] == 0
        schema = await read_json(client, f"chartdb://diagram/{first['diagram_id']}/schema")
        assert {t["name"]: t["id"] for t in schema["tables"]} == ids
        listing = await call_ok(client, "chartdb_list_diagrams")
        assert len(listing["diagrams"]) == 1


async def test_import_reports_progress(blog_db: Path) -> None:
    updates: list[tuple[float, float | None, str | None]] = []

    async def on_progress(progress: float, total: float | None, message: str | None) -> None:
        updates.append((progress, total, message))

    async with in_memory_client() as client:
        result = await client.call_tool(
            "chartdb_import_database", {"url": str(blog_db)}, progress_callback=on_progress
        )
        assert not result.is_error, text_of(result)
    assert len(updates) >= 3
    assert [u[0] for u in updates] == sorted(u[0] for u in updates)
    assert updates[-1][1] is not None and updates[-1][0] <= updates[-1][1]


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("/no/such/file.db", "/no/such/file.db"),
        ("oracle+cx://u:s3cr3t-pw@h/db", "oracle"),
        ("postgresql://u:s3cr3t-pw@", "host"),
        ("not a url at all", "not a url at all"),
    ],
)
async def test_bad_targets_are_refused_by_name_and_store_nothing(url: str, expected: str) -> None:
    async with in_memory_client() as client:
        message = await call_error(client, "chartdb_import_database", url=url)
        assert expected in message
        assert "s3cr3t-pw" not in message
        assert (await call_ok(client, "chartdb_list_diagrams"))["diagrams"] == []


async def test_import_into_an_unknown_diagram_changes_nothing(blog_db: Path) -> None:
    async with in_memory_client() as client:
        message = await call_error(
            client, "chartdb_import_database", url=str(blog_db), diagram_id="nope"
        )
        assert message.endswith("No diagram has the id 'nope'.")
        assert (await call_ok(client, "chartdb_list_diagrams"))["diagrams"] == []


async def test_import_into_a_diagram_of_another_family_is_refused(blog_db: Path) -> None:
    async with in_memory_client() as client:
        created = await call_ok(
            client, "chartdb_create_diagram", name="pg", database_type="postgresql"
        )
        message = await call_error(
            client, "chartdb_import_database", url=str(blog_db), diagram_id=created["id"]
        )
        assert "describes a postgresql database" in message
        page = await call_ok(client, "chartdb_get_schema", diagram_id=created["id"])
        assert page["diagram"]["version"] == 1 and page["tables"] == []


async def test_unknown_sqlite_schema_is_named(blog_db: Path) -> None:
    async with in_memory_client() as client:
        message = await call_error(
            client, "chartdb_import_database", url=str(blog_db), schemas=["nowhere"]
        )
        assert "'nowhere'" in message
        assert (await call_ok(client, "chartdb_list_diagrams"))["diagrams"] == []


async def test_concurrent_reimports_into_one_diagram_all_land(blog_db: Path) -> None:
    async with in_memory_client() as client:
        first = await call_ok(client, "chartdb_import_database", url=str(blog_db))
        results: list[dict[str, Any]] = []

        async def reimport() -> None:
            results.append(
                await call_ok(
                    client,
                    "chartdb_import_database",
                    url=str(blog_db),
                    diagram_id=first["diagram_id"],
                )
            )

        async with anyio.create_task_group() as group:
            for _ in range(3):
                group.start_soon(reimport)
        assert sorted(r["version"] for r in results) == [2, 3, 4]
        listing = await call_ok(client, "chartdb_list_diagrams")
        assert [d["version"] for d in listing["diagrams"]] == [4]


async def test_an_over_long_name_is_refused_before_the_database_is_read(blog_db: Path) -> None:
    async with in_memory_client() as client:
        message = await call_error(
            client, "chartdb_import_database", url=str(blog_db), name="n" * 201
        )
        assert "name" in message and "200" in message
        assert (await call_ok(client, "chartdb_list_diagrams"))["diagrams"] == []
