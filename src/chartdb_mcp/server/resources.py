"""Read-only resources: the diagram list; each diagram's schema, tables, relationships and
proposals; each proposal's review; and the JSON schema of the change ops."""

import json
import re

from mcp.server.mcpserver import MCPServer
from mcp.server.mcpserver.exceptions import ResourceError

from chartdb_mcp.core.edit.ops import CHANGE_OPS
from chartdb_mcp.core.formats.outline import outline_relationships, outline_table
from chartdb_mcp.core.model import Diagram
from chartdb_mcp.server.errors import resource_errors
from chartdb_mcp.server.state import AppState, ToolContext, state_of
from chartdb_mcp.service import diagrams, proposals

DIAGRAM_ID = re.compile(r"^[A-Za-z0-9_-]{1,64}$")
JSON = "application/json"


def register_resources(server: MCPServer, state: AppState) -> None:
    """Register the diagram list, the per-diagram and per-proposal templates, and the
    change-op reference."""

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

    @server.resource("chartdb://diagram/{diagram_id}/proposals", name="proposals", mime_type=JSON)
    async def diagram_proposals(diagram_id: str, ctx: ToolContext) -> str:
        """The diagram's proposals, newest first, with status and affected tables."""
        check_id(diagram_id, "diagram")
        with resource_errors(f"chartdb://diagram/{diagram_id}/proposals"):
            listing = await proposals.list_proposals(state_of(ctx).store, diagram_id, limit=500)
        return listing.model_dump_json(indent=1, exclude_none=True)

    @server.resource("chartdb://proposal/{proposal_id}", name="proposal", mime_type=JSON)
    async def proposal(proposal_id: str, ctx: ToolContext) -> str:
        """One proposal's review: ops, reasoning, structured changes, text diff, Mermaid."""
        check_id(proposal_id, "proposal")
        with resource_errors(f"chartdb://proposal/{proposal_id}"):
            review = await proposals.review(state_of(ctx).store, proposal_id)
        return review.model_dump_json(indent=1, exclude_none=True)

    @server.resource(
        "chartdb://reference/change-ops", name="change-ops", mime_type="application/schema+json"
    )
    async def change_ops() -> str:
        """The JSON schema of the change ops propose-changes and revise-proposal accept."""
        return json.dumps(CHANGE_OPS.json_schema(), indent=1)


def check_id(value: str, what: str) -> None:
    """Refuse a template value that cannot be an id before it reaches the store."""
    if not DIAGRAM_ID.fullmatch(value):
        raise ResourceError(f"{value!r} is not a {what} id (letters, digits, '_' and '-').")


async def _load(ctx: ToolContext, diagram_id: str, part: str) -> Diagram:
    uri = f"chartdb://diagram/{diagram_id}/{part}"
    check_id(diagram_id, "diagram")
    with resource_errors(uri):
        return await state_of(ctx).store.get(diagram_id)
