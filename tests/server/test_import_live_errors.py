"""Bad live targets through the MCP surface: clear errors, nothing stored, no secret shown.

The password of a URL must appear in no tool result, no error, no line of the server's
stderr and no byte of the store file, whether the login succeeds or fails.
"""

import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from mcp import Client
from mcp.client.stdio import stdio_client
from sqlalchemy.engine import make_url

from support.databases import mariadb_database, mariadb_execute, postgres_database
from support.mcp_client import call_error, call_ok, in_memory_client, text_of
from support.processes import free_port, stdio_parameters

pytestmark = pytest.mark.anyio

PASSWORD = f"Pw-{uuid.uuid4().hex[:10]}-secret"


@pytest.fixture
def mariadb_login() -> Iterator[tuple[str, str]]:
    """A MariaDB user with a password and a database it may read; yields (good, bad) URLs."""
    user = f"chartdb_u_{uuid.uuid4().hex[:8]}"
    with mariadb_database("login") as admin_url:
        database = make_url(admin_url).database
        mariadb_execute(f"CREATE USER '{user}'@'%' IDENTIFIED BY '{PASSWORD}'")
        mariadb_execute(f"CREATE USER '{user}'@'localhost' IDENTIFIED BY '{PASSWORD}'")
        mariadb_execute(f"GRANT SELECT ON `{database}`.* TO '{user}'@'%'")
        mariadb_execute(f"GRANT SELECT ON `{database}`.* TO '{user}'@'localhost'")
        mariadb_execute(f"CREATE TABLE `{database}`.things (id INT PRIMARY KEY)")
        good = f"mariadb://{user}:{PASSWORD}@127.0.0.1:3306/{database}"
        bad = f"mariadb://{user}:{PASSWORD}-wrong@127.0.0.1:3306/{database}"
        try:
            yield good, bad
        finally:
            mariadb_execute(f"DROP USER IF EXISTS '{user}'@'%'")
            mariadb_execute(f"DROP USER IF EXISTS '{user}'@'localhost'")


async def test_unreachable_host_is_reported_and_nothing_is_stored() -> None:
    port = free_port()
    async with in_memory_client() as client:
        message = await call_error(
            client,
            "chartdb_import_database",
            url=f"postgresql://postgres:{PASSWORD}@127.0.0.1:{port}/postgres",
        )
        assert f"127.0.0.1:{port}" in message or "connect" in message.lower()
        assert PASSWORD not in message
        assert (await call_ok(client, "chartdb_list_diagrams"))["diagrams"] == []


async def test_wrong_password_is_refused_without_echoing_it(
    mariadb_login: tuple[str, str],
) -> None:
    _, bad = mariadb_login
    async with in_memory_client() as client:
        message = await call_error(client, "chartdb_import_database", url=bad)
        assert "Access denied" in message
        assert PASSWORD not in message
        assert (await call_ok(client, "chartdb_list_diagrams"))["diagrams"] == []


async def test_unknown_postgres_schema_and_database_are_named() -> None:
    with postgres_database("errors") as url:
        async with in_memory_client() as client:
            message = await call_error(
                client, "chartdb_import_database", url=url, schemas=["public", "nowhere"]
            )
            assert "'nowhere'" in message
            missing_db = make_url(url).set(database="chartdb_no_such_db", password=PASSWORD)
            message = await call_error(
                client,
                "chartdb_import_database",
                url=missing_db.render_as_string(hide_password=False),
            )
            assert "chartdb_no_such_db" in message and PASSWORD not in message
            assert (await call_ok(client, "chartdb_list_diagrams"))["diagrams"] == []


async def test_empty_schema_list_is_refused() -> None:
    with postgres_database("errors") as url:
        async with in_memory_client() as client:
            message = await call_error(client, "chartdb_import_database", url=url, schemas=[" "])
            assert "schemas" in message


async def test_the_password_is_nowhere_over_stdio(
    tmp_path: Path, mariadb_login: tuple[str, str]
) -> None:
    good, bad = mariadb_login
    store = tmp_path / "store.sqlite"
    stderr = tmp_path / "stderr.log"
    seen: list[str] = []
    with stderr.open("w") as errlog:
        transport = stdio_client(stdio_parameters(store, "--log-level", "DEBUG"), errlog=errlog)
        async with Client(transport) as client:
            refused = await client.call_tool("chartdb_import_database", {"url": bad})
            assert refused.is_error
            seen.append(text_of(refused))
            report = await call_ok(client, "chartdb_import_database", url=good, name="login")
            assert report["tables"] == 1
            seen.append(str(report))
            schema = await client.read_resource(f"chartdb://diagram/{report['diagram_id']}/schema")
            seen.append(schema.contents[0].text)  # type: ignore[union-attr]
            listing = await client.call_tool("chartdb_list_diagrams", {})
            seen.append(text_of(listing) + str(listing.structured_content))
    log = stderr.read_text()
    assert "imported 1 tables" in log, "the server's log should record the import"
    for text in [*seen, log]:
        assert PASSWORD not in text
    for path in tmp_path.iterdir():
        assert PASSWORD.encode() not in path.read_bytes(), f"{path.name} holds the password"
