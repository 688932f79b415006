"""Design tools: create a table, change a table, relate two tables, each as a proposal.

They take friendly specs instead of raw change ops and never edit the diagram: each
returns a pending proposal that apply-changes commits.
"""

from collections.abc import Callable
from functools import partial
from typing import Annotated

from mcp.server.mcpserver import MCPServer
from mcp.types import CallToolResult
from pydantic import Field

from chartdb_mcp.config import Settings
from chartdb_mcp.core.edit.ops import ChangeOp
from chartdb_mcp.core.edit.specs import (
    RelationshipSpec,
    TableChangesSpec,
    TableSpec,
    add_relationship_ops,
    create_table_ops,
    modify_table_ops,
)
from chartdb_mcp.core.model import Diagram
from chartdb_mcp.server.errors import tool_errors
from chartdb_mcp.server.naming import wire_name
from chartdb_mcp.server.state import ToolContext, author_of, state_of
from chartdb_mcp.server.tools.annotations import CREATES
from chartdb_mcp.server.tools.arguments import DiagramId
from chartdb_mcp.server.tools.review import review_result
from chartdb_mcp.service import proposals
from chartdb_mcp.service.proposals import Review

Reasoning = Annotated[str, Field(description="Why, for the person.")]
MAX_CHARS = 20_000


def register(server: MCPServer, settings: Settings) -> None:
    """Register create-table, modify-table and add-relationship."""

    def name(canonical: str) -> str:
        return wire_name(canonical, settings.tool_names)

    async def propose(
        ctx: ToolContext,
        tool: str,
        diagram_id: str,
        build: Callable[[Diagram], list[ChangeOp]],
        reasoning: str,
    ) -> CallToolResult:
        with tool_errors(tool):
            review = await proposals.propose(
                state_of(ctx).store,
                diagram_id,
                build,
                reasoning=reasoning,
                author=author_of(ctx),
                max_chars=MAX_CHARS,
            )
        return review_result(review, MAX_CHARS, settings)

    @server.tool(
        name=name("chartdb/create-table"),
        structured_output=settings.structured_output,
        title="Create table",
        description=(
            "Propose a new table with columns, keys, indexes and inline foreign keys "
            "(`references`). Returns a proposal; apply-changes commits it."
        ),
        annotations=CREATES,
    )
    async def create_table(
        ctx: ToolContext, diagram_id: DiagramId, table: TableSpec, reasoning: Reasoning = ""
    ) -> Annotated[CallToolResult, Review]:
        build = partial(create_table_ops, table)
        return await propose(ctx, "chartdb/create-table", diagram_id, build, reasoning)

    @server.tool(
        name=name("chartdb/modify-table"),
        structured_output=settings.structured_output,
        title="Modify table",
        description=(
            "Propose changes to one table: rename it; add, drop, rename or alter columns; "
            "keys, indexes, checks, comment, status, color. Returns a proposal."
        ),
        annotations=CREATES,
    )
    async def modify_table(
        ctx: ToolContext,
        diagram_id: DiagramId,
        changes: TableChangesSpec,
        reasoning: Reasoning = "",
    ) -> Annotated[CallToolResult, Review]:
        build = partial(modify_table_ops, changes)
        return await propose(ctx, "chartdb/modify-table", diagram_id, build, reasoning)

    @server.tool(
        name=name("chartdb/add-relationship"),
        structured_output=settings.structured_output,
        title="Add relationship",
        description=(
            "Propose a foreign key from source columns to target columns (by default the "
            "target's primary key). Returns a proposal."
        ),
        annotations=CREATES,
    )
    async def add_relationship(
        ctx: ToolContext,
        diagram_id: DiagramId,
        relationship: RelationshipSpec,
        reasoning: Reasoning = "",
    ) -> Annotated[CallToolResult, Review]:
        build = partial(add_relationship_ops, relationship)
        return await propose(ctx, "chartdb/add-relationship", diagram_id, build, reasoning)
