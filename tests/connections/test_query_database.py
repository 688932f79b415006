"""query-database: typed rows, caps and budgets, and writes only where the person allowed."""

import sqlite3
from pathlib import Path
from typing import Any

import pytest
from mcp import Client
from sqlalchemy.engine import make_url

from support.consent import Consent
from support.databases import mariadb_connect, mariadb_database, postgres_database
from support.mcp_client import call_error, call_ok, text_of
from support.profiles import MakeClient, new_diagram

pytestmark = pytest.mark.anyio


@pytest.fixture
def shop(tmp_path: Path) -> Path:
    path = tmp_path / "shop.db"
    with sqlite3.connect(path) as raw:
        raw.execute("CREATE TABLE item (id INTEGER PRIMARY KEY, name TEXT, price NUMERIC)")
        raw.executemany(
            "INSERT INTO item VALUES (?, ?, ?)", [(n, f"item {n}", n * 1.5) for n in range(1, 51)]
        )
    raw.close()
    return path


def items(path: Path) -> int:
    with sqlite3.connect(path) as raw:
        count: int = raw.execute("SELECT count(*) FROM item").fetchone()[0]
    raw.close()
    return count


async def with_profile(client: Client, url: str, **fields: Any) -> str:
    diagram_id = await new_diagram(client, "sqlite")
    await call_ok(
        client, "chartdb_add_connection", diagram_id=diagram_id, name="shop", url=url, **fields
    )
    return diagram_id


async def test_rows_come_typed_with_a_text_table_and_a_cap(
    make_client: MakeClient, shop: Path
) -> None:
    async with make_client() as client:
        diagram_id = await with_profile(client, str(shop))
        result = await client.call_tool(
            "chartdb_query_database",
            {
                "diagram_id": diagram_id,
                "sql": "SELECT id, name, price, NULL AS missing FROM item ORDER BY id",
                "row_cap": 3,
            },
        )
        report = result.structured_content
        assert not result.is_error and report is not None
        assert [c["name"] for c in report["columns"]] == ["id", "name", "price", "missing"]
        assert [c["type"] for c in report["columns"]][:2] == ["integer", "text"]
        assert report["rows"] == [
            [1, "item 1", 1.5, None],
            [2, "item 2", 3, None],
            [3, "item 3", 4.5, None],
        ]
        assert report["truncated"] is True and report["row_count"] == 3
        text = text_of(result)
        assert "item 2" in text and "NULL" in text and "Truncated" in text


async def test_the_answer_stays_within_max_chars_and_says_what_it_cut(
    make_client: MakeClient, shop: Path
) -> None:
    async with make_client() as client:
        diagram_id = await with_profile(client, str(shop))
        result = await client.call_tool(
            "chartdb_query_database",
            {
                "diagram_id": diagram_id,
                "sql": "SELECT id, printf('%.300c', 'x') AS wide FROM item",
                "row_cap": 50,
                "max_chars": 4000,
            },
        )
        report = result.structured_content
        assert not result.is_error and report is not None
        assert report["rows_cut_for_size"] > 0
        assert report["row_count"] + report["rows_cut_for_size"] == 50
        assert len(text_of(result)) + len(str(report["rows"])) <= 4000
        assert "left out to stay within max_chars" in text_of(result)


async def test_writes_need_the_profile_to_allow_them_and_dry_run_by_default(
    make_client: MakeClient, shop: Path
) -> None:
    delete = {"sql": "DELETE FROM item WHERE id > :keep", "parameters": {"keep": 10}}
    async with make_client() as client:
        diagram_id = await with_profile(client, str(shop))
        refused = await call_error(
            client, "chartdb_query_database", diagram_id=diagram_id, mode="write", **delete
        )
        assert "does not allow writes" in refused
        await call_ok(
            client,
            "chartdb_update_connection",
            diagram_id=diagram_id,
            connection="shop",
            allow_writes=True,
        )
        dry = await call_ok(
            client, "chartdb_query_database", diagram_id=diagram_id, mode="write", **delete
        )
        assert (dry["affected_rows"], dry["dry_run"], dry["committed"]) == (40, True, False)
        assert items(shop) == 50
        ddl = await call_ok(
            client,
            "chartdb_query_database",
            diagram_id=diagram_id,
            mode="write",
            sql="CREATE TABLE scratch (a int)",
        )
        assert ddl["dry_run"] is True
        with sqlite3.connect(shop) as raw:
            assert raw.execute(
                "SELECT count(*) FROM sqlite_master WHERE name = 'scratch'"
            ).fetchone() == (0,)
        raw.close()
        done = await call_ok(
            client,
            "chartdb_query_database",
            diagram_id=diagram_id,
            mode="write",
            commit=True,
            **delete,
        )
        assert (done["affected_rows"], done["committed"]) == (40, True)
        assert items(shop) == 10
        stacked = await call_error(
            client,
            "chartdb_query_database",
            diagram_id=diagram_id,
            mode="write",
            commit=True,
            sql="COMMIT",
        )
        assert "Transaction control" in stacked


async def test_production_refuses_writes_until_its_guard_is_lifted(
    make_client: MakeClient, shop: Path
) -> None:
    async with make_client(elicitation_callback=Consent("accept", unlock=True)) as client:
        diagram_id = await with_profile(
            client, str(shop), environment="Production", allow_writes=True
        )
        write = {"sql": "DELETE FROM item", "mode": "write", "commit": True}
        refused = await call_error(client, "chartdb_query_database", diagram_id=diagram_id, **write)
        assert "production_writes_unlocked" in refused
        assert items(shop) == 50
        await call_ok(
            client,
            "chartdb_update_connection",
            diagram_id=diagram_id,
            connection="shop",
            production_writes_unlocked=True,
        )
        done = await call_ok(client, "chartdb_query_database", diagram_id=diagram_id, **write)
        assert done["committed"] is True and items(shop) == 0


@pytest.mark.parametrize(
    "label", ["Production EU", "prod-eu", "PRODUCTION (primary)", "production\u200b", "Ｐｒｏｄ"]
)
async def test_every_spelling_of_production_guards_writes(
    make_client: MakeClient, shop: Path, label: str
) -> None:
    async with make_client() as client:
        diagram_id = await with_profile(client, str(shop), environment=label, allow_writes=True)
        refused = await call_error(
            client,
            "chartdb_query_database",
            diagram_id=diagram_id,
            mode="write",
            commit=True,
            sql="DELETE FROM item",
        )
        assert "production_writes_unlocked" in refused
    assert items(shop) == 50


async def test_a_new_environment_label_takes_back_an_unlocked_guard(
    make_client: MakeClient, shop: Path
) -> None:
    """Unlocking writes on a staging profile does not unlock them once it is relabelled."""
    async with make_client(elicitation_callback=Consent("accept", unlock=True)) as client:
        diagram_id = await with_profile(client, str(shop), environment="staging", allow_writes=True)
        unlocked = await call_ok(
            client,
            "chartdb_update_connection",
            diagram_id=diagram_id,
            connection="shop",
            production_writes_unlocked=True,
        )
        assert unlocked["connection"]["production_writes_unlocked"] is True
        relabelled = await call_ok(
            client,
            "chartdb_update_connection",
            diagram_id=diagram_id,
            connection="shop",
            environment="production",
        )
        assert relabelled["connection"]["production_writes_unlocked"] is False
        refused = await call_error(
            client,
            "chartdb_query_database",
            diagram_id=diagram_id,
            mode="write",
            commit=True,
            sql="DELETE FROM item",
        )
        assert "production_writes_unlocked" in refused
    assert items(shop) == 50


async def test_mariadb_ddl_cannot_be_dry_run(make_client: MakeClient) -> None:
    with mariadb_database("writes") as url:
        async with make_client() as client:
            diagram_id = await new_diagram(client, "mariadb")
            await call_ok(
                client,
                "chartdb_add_connection",
                diagram_id=diagram_id,
                name="db",
                url=url,
                allow_writes=True,
            )
            message = await call_error(
                client,
                "chartdb_query_database",
                diagram_id=diagram_id,
                mode="write",
                sql="CREATE TABLE scratch (a INT)",
            )
            assert "cannot be dry-run" in message
            parts = make_url(url)
            connection = mariadb_connect(parts, parts.database)
            with connection.cursor() as cursor:
                cursor.execute("SHOW TABLES")
                assert cursor.fetchall() == ()
            connection.close()


async def test_mariadb_data_changes_can_be_dry_run(make_client: MakeClient) -> None:
    """INSERT, REPLACE, UPDATE and DELETE stay in the transaction, so a dry run undoes them."""
    with mariadb_database("dryrun") as url:
        parts = make_url(url)
        connection = mariadb_connect(parts, parts.database)
        with connection.cursor() as cursor:
            cursor.execute("CREATE TABLE item (id INT PRIMARY KEY, name TEXT) ENGINE=InnoDB")
            cursor.execute("INSERT INTO item VALUES (1, 'one')")
        connection.close()
        async with make_client() as client:
            diagram_id = await new_diagram(client, "mariadb")
            await call_ok(
                client,
                "chartdb_add_connection",
                diagram_id=diagram_id,
                name="db",
                url=url,
                allow_writes=True,
            )
            for sql in (
                "INSERT INTO item VALUES (2, 'two')",
                "REPLACE INTO item VALUES (1, 'uno')",
                "UPDATE item SET name = 'x'",
                "DELETE FROM item",
            ):
                dry = await call_ok(
                    client, "chartdb_query_database", diagram_id=diagram_id, mode="write", sql=sql
                )
                assert (dry["dry_run"], dry["committed"]) == (True, False), sql
                assert dry["affected_rows"] >= 1, sql
        connection = mariadb_connect(parts, parts.database)
        with connection.cursor() as cursor:
            cursor.execute("SELECT id, name FROM item")
            assert cursor.fetchall() == ((1, "one"),)
        connection.close()


async def test_mariadb_tables_a_rollback_cannot_undo_are_not_dry_run(
    make_client: MakeClient,
) -> None:
    """A MyISAM or Aria table keeps a change through ROLLBACK, so its dry run is refused."""
    with mariadb_database("myisam") as url:
        parts = make_url(url)
        connection = mariadb_connect(parts, parts.database)
        with connection.cursor() as cursor:
            cursor.execute("CREATE TABLE plain (id INT PRIMARY KEY, name TEXT) ENGINE=MyISAM")
            cursor.execute("CREATE TABLE crashsafe (id INT PRIMARY KEY) ENGINE=Aria")
            cursor.execute("INSERT INTO plain VALUES (1, 'one')")
        connection.close()
        async with make_client() as client:
            diagram_id = await new_diagram(client, "mariadb")
            await call_ok(
                client,
                "chartdb_add_connection",
                diagram_id=diagram_id,
                name="db",
                url=url,
                allow_writes=True,
            )
            for sql in (
                "UPDATE plain SET name = 'changed'",
                f"DELETE FROM `{parts.database}`.plain",
                "INSERT INTO crashsafe SELECT id FROM plain",
            ):
                message = await call_error(
                    client, "chartdb_query_database", diagram_id=diagram_id, mode="write", sql=sql
                )
                assert "cannot be dry-run" in message and "rollback" in message, sql
        connection = mariadb_connect(parts, parts.database)
        with connection.cursor() as cursor:
            cursor.execute("SELECT id, name FROM plain")
            assert cursor.fetchall() == ((1, "one"),)
            cursor.execute("SELECT count(*) FROM crashsafe")
            assert cursor.fetchall() == ((0,),)
        connection.close()


async def test_mariadb_grants_cannot_be_dry_run(make_client: MakeClient) -> None:
    """GRANT commits at once like DDL, so a dry run of it is refused, not run."""
    with mariadb_database("grants") as url:
        parts = make_url(url)
        user = f"'{parts.database[-20:]}'@'localhost'"
        admin = mariadb_connect(parts, parts.database)
        try:
            with admin.cursor() as cursor:
                cursor.execute(f"CREATE USER {user}")
                cursor.execute(f"SHOW GRANTS FOR {user}")
                before = cursor.fetchall()
            async with make_client() as client:
                diagram_id = await new_diagram(client, "mariadb")
                await call_ok(
                    client,
                    "chartdb_add_connection",
                    diagram_id=diagram_id,
                    name="db",
                    url=url,
                    allow_writes=True,
                )
                for sql in (
                    f"GRANT SELECT ON `{parts.database}`.* TO {user}",
                    f"REVOKE ALL PRIVILEGES ON *.* FROM {user}",
                    f"ANALYZE TABLE `{parts.database}`.nothing",
                ):
                    message = await call_error(
                        client,
                        "chartdb_query_database",
                        diagram_id=diagram_id,
                        mode="write",
                        sql=sql,
                    )
                    assert "cannot be dry-run" in message, sql
            with admin.cursor() as cursor:
                cursor.execute(f"SHOW GRANTS FOR {user}")
                assert cursor.fetchall() == before
        finally:
            with admin.cursor() as cursor:
                cursor.execute(f"DROP USER IF EXISTS {user}")
            admin.close()


async def test_colons_in_strings_names_and_comments_are_not_parameters(
    make_client: MakeClient, shop: Path
) -> None:
    async with make_client() as client:
        diagram_id = await with_profile(client, str(shop))
        report = await call_ok(
            client,
            "chartdb_query_database",
            diagram_id=diagram_id,
            sql=(
                "SELECT json_extract('{\"a\":1}', '$.a') AS \"a:b\", :n + 1 AS next -- :no\n"
                "FROM item WHERE id = :n"
            ),
            parameters={"n": 2},
        )
        assert report["rows"] == [[1, 3]]
        assert report["columns"][0]["name"] == "a:b"
        missing = await call_error(
            client,
            "chartdb_query_database",
            diagram_id=diagram_id,
            sql="SELECT :a, :b",
            parameters={"a": 1},
        )
        assert ":b" in missing


async def test_a_parameter_before_a_postgres_cast_is_bound(make_client: MakeClient) -> None:
    with postgres_database("casts") as url:
        async with make_client() as client:
            diagram_id = await new_diagram(client)
            await call_ok(
                client, "chartdb_add_connection", diagram_id=diagram_id, name="pg", url=url
            )
            report = await call_ok(
                client,
                "chartdb_query_database",
                diagram_id=diagram_id,
                sql="SELECT :x::int + 1 AS y, '{\"k\":1}'::jsonb AS j, 'a%' LIKE 'a%' AS l",
                parameters={"x": "41"},
            )
            assert report["rows"] == [[42, {"k": 1}, True]]
