"""The server over real transports: a stdio subprocess, streamable HTTP and SSE."""

from pathlib import Path

import pytest
from mcp import Client
from mcp.client.sse import sse_client

from support.mcp_client import call_ok, in_memory_client
from support.processes import http_server, stdio_parameters

pytestmark = pytest.mark.anyio

EXPECTED_TOOLS = {
    "chartdb_list_diagrams",
    "chartdb_create_diagram",
    "chartdb_delete_diagram",
    "chartdb_get_schema",
    "chartdb_diagram_history",
    "chartdb_restore_version",
    "chartdb_create_table",
    "chartdb_modify_table",
    "chartdb_add_relationship",
    "chartdb_propose_changes",
    "chartdb_list_proposals",
    "chartdb_get_proposal",
    "chartdb_revise_proposal",
    "chartdb_apply_changes",
    "chartdb_reject_changes",
    "chartdb_import_database",
    "chartdb_export_diagram",
    "chartdb_import_diagram",
    "chartdb_lint_schema",
    "chartdb_import_sql",
    "chartdb_export_sql",
    "chartdb_generate_migration",
}


async def exercise(client: Client) -> None:
    """What every transport must carry: tool listing, a write, reading it back, and a
    proposal applied."""
    names = {tool.name for tool in (await client.list_tools()).tools}
    assert names >= EXPECTED_TOOLS
    async with in_memory_client() as local:
        assert names == {tool.name for tool in (await local.list_tools()).tools}
    created = await call_ok(client, "chartdb_create_diagram", name="over the wire")
    listing = await call_ok(client, "chartdb_list_diagrams")
    assert created["id"] in [d["id"] for d in listing["diagrams"]]
    resource = await client.read_resource(f"chartdb://diagram/{created['id']}/schema")
    assert '"over the wire"' in resource.contents[0].text  # type: ignore[union-attr]
    table = {"name": "tags", "columns": [{"name": "id", "type": "integer", "primary_key": True}]}
    review = await call_ok(client, "chartdb_create_table", diagram_id=created["id"], table=table)
    assert "+ table tags" in review["diff_text"]
    applied = await call_ok(client, "chartdb_apply_changes", proposal_id=review["id"])
    assert (applied["status"], applied["version"]) == ("accepted", 2)
    history = await call_ok(client, "chartdb_diagram_history", diagram_id=created["id"])
    assert history["versions"][0]["changes"] == ["+ table tags"]


@pytest.mark.parametrize("mode", ["auto", "legacy"])
async def test_stdio_subprocess(tmp_path: Path, mode: str) -> None:
    store = tmp_path / "store.sqlite"
    async with Client(stdio_parameters(store), mode=mode) as client:  # type: ignore[arg-type]
        await exercise(client)
    assert store.exists()


async def test_stdio_store_survives_a_restart(tmp_path: Path) -> None:
    store = tmp_path / "store.sqlite"
    async with Client(stdio_parameters(store)) as client:
        created = await call_ok(client, "chartdb_create_diagram", name="durable")
    async with Client(stdio_parameters(store)) as client:
        listing = await call_ok(client, "chartdb_list_diagrams")
    assert [d["id"] for d in listing["diagrams"]] == [created["id"]]


@pytest.mark.parametrize("mode", ["auto", "legacy"])
async def test_streamable_http(tmp_path: Path, mode: str) -> None:
    with http_server(tmp_path / "store.sqlite", "streamable-http", tmp_path / "log") as port:
        async with Client(f"http://127.0.0.1:{port}/mcp", mode=mode) as client:  # type: ignore[arg-type]
            await exercise(client)


async def test_sse(tmp_path: Path) -> None:
    with http_server(tmp_path / "store.sqlite", "sse", tmp_path / "log") as port:
        async with Client(sse_client(f"http://127.0.0.1:{port}/sse")) as client:
            await exercise(client)


async def test_http_server_binds_loopback_and_logs_only_to_stderr(tmp_path: Path) -> None:
    log = tmp_path / "log"
    with http_server(tmp_path / "store.sqlite", "streamable-http", log) as port:
        async with Client(f"http://127.0.0.1:{port}/mcp") as client:
            await exercise(client)
    errors = log.read_text()
    assert f"listening on http://127.0.0.1:{port}" in errors
    assert '"POST /mcp HTTP/1.1" 200' in errors
    assert log.with_suffix(".stdout").read_text() == ""
