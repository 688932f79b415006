"""A known password and API-key value appear nowhere: not in the store file or its WAL,
not in the key file, not in the server's stderr at DEBUG, not in any result or error."""

import uuid
from pathlib import Path

import pytest
from mcp import Client
from mcp.client.stdio import stdio_client
from mcp.types import CallToolResult

from support.databases import mariadb_problem, postgres_problem, unavailable
from support.mcp_client import text_of
from support.processes import free_port, stdio_parameters

pytestmark = pytest.mark.anyio

PASSWORD = f"pw-{uuid.uuid4().hex}-known"
API_KEY = f"sk-test-{uuid.uuid4().hex}{uuid.uuid4().hex}"
SECRETS = (PASSWORD, API_KEY)


def everything_in(result: CallToolResult) -> str:
    return text_of(result) + repr(result.structured_content)


def files_of(folder: Path) -> dict[str, bytes]:
    return {path.name: path.read_bytes() for path in folder.iterdir() if path.is_file()}


async def test_secrets_are_nowhere_over_stdio_at_debug(tmp_path: Path) -> None:
    for problem in (postgres_problem(), mariadb_problem()):
        if problem:
            unavailable(problem)
    store_dir = tmp_path / "store"
    store_dir.mkdir()
    store = store_dir / "store.sqlite"
    stderr = tmp_path / "stderr.log"
    seen: list[str] = []
    snapshots: list[dict[str, bytes]] = []
    server = stdio_parameters(store, "--log-level", "DEBUG", "--key-source", "file")

    async def call(client: Client, tool: str, **arguments: object) -> CallToolResult:
        result = await client.call_tool(tool, dict(arguments))
        seen.append(everything_in(result))
        return result

    with stderr.open("w") as errlog:
        async with Client(stdio_client(server, errlog=errlog)) as client:
            created = await call(
                client, "chartdb_create_diagram", name="s", database_type="postgresql"
            )
            diagram_id = created.structured_content["id"]  # type: ignore[index]
            # PostgreSQL on the test machine trusts local logins, so the password is sent
            # and the connection still succeeds.
            added = await call(
                client,
                "chartdb_add_connection",
                diagram_id=diagram_id,
                name="pg",
                dialect="postgresql",
                host="127.0.0.1",
                port=5432,
                database="postgres",
                username="postgres",
                password=PASSWORD,
            )
            assert not added.is_error, text_of(added)
            online = await call(client, "chartdb_test_connection", diagram_id=diagram_id)
            assert online.structured_content["status"] == "online"  # type: ignore[index]
            read = await call(
                client,
                "chartdb_query_database",
                diagram_id=diagram_id,
                sql="SELECT current_user AS who, :p AS echoed",
                parameters={"p": "harmless"},
            )
            assert not read.is_error, text_of(read)
            bad_sql = await call(
                client,
                "chartdb_query_database",
                diagram_id=diagram_id,
                sql="SELECT FROM nowhere x y",
            )
            assert bad_sql.is_error
            failing = await call(
                client, "chartdb_query_database", diagram_id=diagram_id, sql="SELECT 1/0 AS boom"
            )
            assert failing.is_error
            # The MariaDB root login has no password, so this API key is refused.
            await call(
                client,
                "chartdb_add_connection",
                diagram_id=diagram_id,
                name="maria",
                url=f"mariadb://root:{API_KEY}@127.0.0.1:3306/mysql?charset=utf8mb4",
            )
            refused = await call(
                client, "chartdb_test_connection", diagram_id=diagram_id, connection="maria"
            )
            assert refused.structured_content["status"] == "error"  # type: ignore[index]
            assert "Access denied" in text_of(refused)
            query_refused = await call(
                client,
                "chartdb_query_database",
                diagram_id=diagram_id,
                connection="maria",
                sql="SELECT 1",
            )
            assert query_refused.is_error
            unreachable_port = free_port()
            await call(
                client,
                "chartdb_add_connection",
                diagram_id=diagram_id,
                name="gone",
                url=f"postgresql://postgres:{PASSWORD}@127.0.0.1:{unreachable_port}/postgres",
            )
            await call(client, "chartdb_test_connection", diagram_id=diagram_id, connection="gone")
            await call(
                client,
                "chartdb_add_connection",
                diagram_id=diagram_id,
                name="broken",
                url=f"postgresql://postgres:{PASSWORD}@127.0.0.1:notaport/postgres",
            )
            await call(
                client,
                "chartdb_update_connection",
                diagram_id=diagram_id,
                connection="pg",
                password=API_KEY,
            )
            await call(client, "chartdb_list_connections", diagram_id=diagram_id)
            snapshots.append(files_of(store_dir))
    snapshots.append(files_of(store_dir))
    log = stderr.read_text()
    assert "tested connection 'maria'" in log, "the log should record the connection test"
    assert "-wal" in " ".join(snapshots[0]), "the WAL should have been searched while open"
    assert "master.key" in snapshots[-1]
    for secret in SECRETS:
        for text in seen:
            assert secret not in text
        assert secret not in log
        for snapshot in snapshots:
            for name, content in snapshot.items():
                assert secret.encode() not in content, f"{name} holds a secret"
