"""Read-only resources: the diagram list and each diagram's schema, tables and relationships."""

import json
import re

from mcp.server.mcpserver import MCPServer
from mcp.server.mcpserver.exceptions import ResourceError

from chartdb_mcp.core.formats.outline import outline_relationships, outline_table
from chartdb_mcp.core.model import Diagram
from chartdb_mcp.server.errors import resource_errors
from chartdb_mcp.server.state import AppState, ToolContext, state_of
from chartdb_mcp.service import diagrams

DIAGRAM_ID = re.compile(r"^[A-Za-z0-9_-]{1,64}$")
JSON = "application/json"


def register_resources(server: MCPServer, state: AppState) -> None:
    """Register the diagram list and the three per-diagram resource templates."""

    @server.resource("chartdb://diagrams", name="diagrams", mime_type=JSON)
    async def diagram_list() -> str:
        """Every diagram with its id, type, version and counts."""
        with resource_errors("chartdb://diagrams"):
            listing = await diagrams.list_diagrams(state.store)
        return listing.model_dump_json(indent=1)

    @server.resource("chartdb://diagram/{diagram_id}/schema", name="schema", mime_type=JSON)
    async def diagram_schema(diagram_id: str, ctx: ToolContext) -> str:
        """The whole diagram document at its current version."""
        diagram = await _load(ctx, diagram_id, "schema")
        return diagram.model_dump_json(indent=1)

    @server.resource("chartdb://diagram/{diagram_id}/tables", name="tables", mime_type=JSON)
    async def diagram_tables(diagram_id: str, ctx: ToolContext) -> str:
        """A compact outline of every table: columns, keys, indexes, status."""
        diagram = await _load(ctx, diagram_id, "tables")
        outlines = [
            outline_table(diagram, table).model_dump(mode="json") for table in diagram.tables
        ]
        return json.dumps({"diagram_id": diagram.id, "tables": outlines}, indent=1)

    @server.resource(
        "chartdb://diagram/{diagram_id}/relationships", name="relationships", mime_type=JSON
    )
    async def diagram_relationships(diagram_id: str, ctx: ToolContext) -> str:
        """Every relationship with table names, column pairs, actions and cardinality."""
        diagram = await _load(ctx, diagram_id, "relationships")
        outlines = [outline.model_dump(mode="json") for outline in outline_relationships(diagram)]
        return json.dumps({"diagram_id": diagram.id, "relationships": outlines}, indent=1)


async def _load(ctx: ToolContext, diagram_id: str, part: str) -> Diagram:
    uri = f"chartdb://diagram/{diagram_id}/{part}"
    if not DIAGRAM_ID.fullmatch(diagram_id):
        raise ResourceError(f"{diagram_id!r} is not a diagram id (letters, digits, '_' and '-').")
    with resource_errors(uri):
        return await state_of(ctx).store.get(diagram_id)
