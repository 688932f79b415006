"""import-sql through the SDK client: new diagrams, proposals on existing ones, bad input."""

from pathlib import Path

import pytest

from support.databases import corpus_path
from support.mcp_client import call_error, call_ok, in_memory_client, read_json, text_of

pytestmark = pytest.mark.anyio

SHOP = """
CREATE TABLE customers (id serial PRIMARY KEY, email text NOT NULL UNIQUE);
CREATE TABLE orders (
    id serial PRIMARY KEY,
    customer_id integer NOT NULL REFERENCES customers (id) ON DELETE CASCADE,
    total numeric(10, 2) NOT NULL DEFAULT 0
);
CREATE INDEX orders_customer_idx ON orders (customer_id);
CREATE FUNCTION f() RETURNS int LANGUAGE sql AS $$ SELECT 1; $$;
GRANT SELECT ON orders TO PUBLIC;
"""


async def test_a_script_becomes_a_new_diagram_with_a_report() -> None:
    async with in_memory_client() as client:
        report = await call_ok(
            client, "chartdb_import_sql", sql=SHOP, dialect="postgresql", name="shop"
        )
        assert report["outcome"] == "created"
        assert (report["tables"], report["relationships"], report["statements"]) == (2, 1, 5)
        assert report["skipped"] == {"function": 1, "grant": 1}
        assert report["used"] == {"table": 2, "index": 1}
        diagram = await read_json(client, f"chartdb://diagram/{report['diagram_id']}/schema")
        assert diagram["name"] == "shop" and diagram["database_type"] == "postgresql"
        orders = next(t for t in diagram["tables"] if t["name"] == "orders")
        assert orders["status"] == "PLANNED"
        assert orders["columns"][0]["default"] == "nextval('orders_id_seq'::regclass)"


async def test_pagila_from_a_file_names_the_diagram_after_it() -> None:
    path = corpus_path("pagila", "pagila-schema.sql")
    async with in_memory_client() as client:
        result = await client.call_tool(
            "chartdb_import_sql", {"path": str(path), "dialect": "postgresql"}
        )
        assert not result.is_error, text_of(result)
        report = result.structured_content
        assert report is not None
        assert (report["diagram_name"], report["tables"], report["relationships"]) == (
            "pagila-schema",
            22,
            36,
        )
        assert report["skipped"]["function"] == 9 and report["skipped"]["trigger"] == 15
        assert "Not imported, by kind: " in text_of(result)
        assert "function 9" in text_of(result)


async def test_a_script_on_an_existing_diagram_is_a_proposal_that_keeps_ids() -> None:
    async with in_memory_client() as client:
        created = await call_ok(client, "chartdb_import_sql", sql=SHOP, dialect="postgresql")
        diagram_id = created["diagram_id"]
        before = await read_json(client, f"chartdb://diagram/{diagram_id}/schema")
        changed = (
            SHOP.replace(
                "total numeric(10, 2) NOT NULL DEFAULT 0",
                "total numeric(12, 2) NOT NULL DEFAULT 0,\n    note text",
            )
            + "CREATE TABLE coupons (code text PRIMARY KEY);"
        )

        report = await call_ok(
            client, "chartdb_import_sql", sql=changed, dialect="postgresql", diagram_id=diagram_id
        )

        assert report["outcome"] == "proposed" and report["version"] == 1
        lines = [line.split(" ", 1)[1] for line in report["op_lines"]]
        assert lines == [
            "+ table public.coupons",
            "~ column orders.total: numeric(10, 2) -> numeric(12, 2)",
            "+ column orders.note text",
        ]
        unchanged = await read_json(client, f"chartdb://diagram/{diagram_id}/schema")
        assert unchanged["version"] == 1
        applied = await call_ok(client, "chartdb_apply_changes", proposal_id=report["proposal_id"])
        assert applied["version"] == 2
        after = await read_json(client, f"chartdb://diagram/{diagram_id}/schema")
        old_ids = {t["name"]: t["id"] for t in before["tables"]}
        assert {t["name"]: t["id"] for t in after["tables"] if t["name"] in old_ids} == old_ids
        assert [r["id"] for r in after["relationships"]] == [
            r["id"] for r in before["relationships"]
        ]

        again = await call_ok(
            client, "chartdb_import_sql", sql=changed, dialect="postgresql", diagram_id=diagram_id
        )
        assert again["outcome"] == "unchanged" and "proposal_id" not in again


async def test_a_partial_script_leaves_the_other_tables_alone() -> None:
    async with in_memory_client() as client:
        created = await call_ok(client, "chartdb_import_sql", sql=SHOP, dialect="postgresql")
        report = await call_ok(
            client,
            "chartdb_import_sql",
            sql="CREATE TABLE customers (id serial PRIMARY KEY, email text NOT NULL UNIQUE, "
            "name text);",
            dialect="postgresql",
            diagram_id=created["diagram_id"],
        )
        assert [line.split(" ", 1)[1] for line in report["op_lines"]] == [
            "+ column customers.name text"
        ]
        assert report["tables_not_in_script"] == ["public.orders"]


async def test_unreadable_statements_are_listed_with_lines() -> None:
    script = "CREATE TABLE a (id int);\nCREATE TABLE (((;\nCREATE TABLE b (id int);"
    async with in_memory_client() as client:
        result = await client.call_tool("chartdb_import_sql", {"sql": script, "dialect": "sqlite"})
        report = result.structured_content
        assert report is not None and report["tables"] == 2
        assert report["problems"] == [
            {
                "line": 2,
                "excerpt": "CREATE TABLE (((",
                "reason": "expected a name but found '('",
            }
        ]
        assert "line 2: CREATE TABLE (((" in text_of(result)


async def test_the_answer_fits_max_chars_and_says_what_it_cut() -> None:
    script = "".join(f"CREATE TABLE t{n} (id int);\nbogus statement {n};\n" for n in range(400))
    async with in_memory_client() as client:
        result = await client.call_tool(
            "chartdb_import_sql", {"sql": script, "dialect": "postgresql", "max_chars": 4_000}
        )
        report = result.structured_content
        assert report is not None and report["problem_count"] == 400
        assert len(text_of(result)) + len(str(report)) < 2 * 4_000
        assert len(report["problems"]) < 400
        assert any("problems left out to fit max_chars" in note for note in report["notes"])


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        ({"sql": "", "dialect": "postgresql"}, "The script is empty"),
        ({"sql": "garbage here;", "dialect": "mysql"}, "None of the 1 statements could be read"),
        ({"sql": "CREATE TABLE t (x int);", "dialect": "db2"}, "Unknown dialect 'db2'"),
        ({"dialect": "sqlite"}, "either as 'sql'"),
        ({"sql": "SELECT 1", "path": "/x.sql", "dialect": "sqlite"}, "either as 'sql'"),
        ({"path": "/no/such/file.sql", "dialect": "sqlite"}, "No script file at"),
        ({"path": "/etc/passwd", "dialect": "sqlite"}, "'passwd' is not a script file"),
        (
            {"sql": "CREATE TABLE t (x int);", "dialect": "sqlite", "diagram_id": "nope"},
            "No diagram has the id 'nope'",
        ),
        (
            {"sql": "CREATE TABLE t (x int);", "dialect": "sqlite", "diagram_id": "d", "name": "n"},
            "'name' is for a new diagram",
        ),
    ],
)
async def test_bad_input_is_refused_and_stores_nothing(
    arguments: dict[str, object], message: str
) -> None:
    async with in_memory_client() as client:
        error = await call_error(client, "chartdb_import_sql", **arguments)
        assert message in error
        listing = await call_ok(client, "chartdb_list_diagrams")
        assert listing["diagrams"] == []


async def test_a_script_over_the_size_limit_is_refused(tmp_path: Path) -> None:
    big = tmp_path / "big.sql"
    big.write_text("-- padding\n" * 2_000_000, encoding="utf-8")
    async with in_memory_client() as client:
        error = await call_error(client, "chartdb_import_sql", path=str(big), dialect="postgresql")
        assert "the limit is 5,000,000" in error


async def test_a_script_of_another_family_is_refused_on_an_existing_diagram() -> None:
    async with in_memory_client() as client:
        created = await call_ok(client, "chartdb_import_sql", sql=SHOP, dialect="postgresql")
        error = await call_error(
            client,
            "chartdb_import_sql",
            sql="CREATE TABLE t (id INT);",
            dialect="mysql",
            diagram_id=created["diagram_id"],
        )
        assert "describes a postgresql database" in error


async def test_a_script_path_that_links_to_another_file_is_refused(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("root:x:0:0:root:/root:/bin/bash\n", encoding="utf-8")
    link = tmp_path / "schema.sql"
    link.symlink_to(secret)
    async with in_memory_client() as client:
        error = await call_error(client, "chartdb_import_sql", path=str(link), dialect="sqlite")
        assert "'schema.sql' is not a script file" in error
        assert "root:x" not in error


async def test_a_directory_is_refused_as_one(tmp_path: Path) -> None:
    folder = tmp_path / "scripts.sql"
    folder.mkdir()
    async with in_memory_client() as client:
        error = await call_error(client, "chartdb_import_sql", path=str(folder), dialect="sqlite")
        assert "is a directory, not a script file" in error
