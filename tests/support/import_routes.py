"""One import, three ways: the live layer directly, and the MCP tool in memory or over stdio.

The corpus tests check every detail of an import against the database's own catalog. Run
through `import_by`, the same checks cover what a host gets back from the server: the
diagram the tool stored, read through the `chartdb://diagram/{id}/schema` resource.
"""

import tempfile
from pathlib import Path

import anyio
from mcp import Client

from chartdb_mcp.core.model import Diagram
from chartdb_mcp.live.introspect import LiveSchema, introspect
from chartdb_mcp.live.target import parse_target
from support.mcp_client import call_ok, in_memory_client
from support.processes import stdio_parameters

ROUTES = ("introspect", "mcp-memory", "mcp-stdio")


def import_by(route: str, url: str, schemas: list[str] | None = None) -> LiveSchema:
    """Import `url` by `route` and return what came back as a `LiveSchema`."""
    if route == "introspect":
        return introspect(parse_target(url), schemas)
    with tempfile.TemporaryDirectory(prefix="chartdb-route-") as folder:
        if route == "mcp-memory":
            client = in_memory_client()
        elif route == "mcp-stdio":
            client = Client(stdio_parameters(Path(folder) / "store.sqlite"))
        else:
            raise ValueError(f"unknown import route {route!r}")
        return anyio.run(_import_through, client, url, schemas)


async def _import_through(client: Client, url: str, schemas: list[str] | None) -> LiveSchema:
    arguments: dict[str, object] = {"url": url}
    if schemas is not None:
        arguments["schemas"] = schemas
    async with client:
        report = await call_ok(client, "chartdb_import_database", **arguments)
        resource = await client.read_resource(f"chartdb://diagram/{report['diagram_id']}/schema")
    diagram = Diagram.model_validate_json(resource.contents[0].text)  # type: ignore[union-attr]
    assert diagram.source is not None and diagram.source.server_version is not None
    first_sync = diagram.tables[0].sync if diagram.tables else None
    read_at = first_sync.verified_at if first_sync else None
    return LiveSchema(
        database_type=diagram.database_type,
        server_version=diagram.source.server_version,
        source=diagram.source.url,
        read_at=read_at or diagram.created_at,
        schemas=report["schemas"],
        tables=diagram.tables,
        relationships=diagram.relationships,
        views=diagram.views,
        custom_types=diagram.custom_types,
        warnings=report["warnings"],
    )
