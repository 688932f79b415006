"""Build the MCP server: lifespan (the store), tools, resources, prompts."""

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import anyio
from mcp.server.mcpserver import MCPServer

from chartdb_mcp import __version__
from chartdb_mcp.config import Settings
from chartdb_mcp.keys import source_of
from chartdb_mcp.server.naming import wire_name
from chartdb_mcp.server.prompts import register_prompts
from chartdb_mcp.server.resources import register_resources
from chartdb_mcp.server.state import AppState
from chartdb_mcp.server.tools import register_tools
from chartdb_mcp.service.auto_sync import run_scheduler

INSTRUCTIONS = """\
chartdb-mcp keeps ER diagrams of databases. Start with {list_diagrams}, or \
{import_database} to read a live database into a diagram. {get_schema} gives a compact \
outline; name tables or views to see their full definitions. Every edit is a proposal \
({create_table}, {modify_table}, {add_relationship}, {propose_changes}): show the person \
its diff, and commit it with {apply_changes} only when they agree."""


def instructions(settings: Settings) -> str:
    """The server's instructions, naming tools as this server spells them."""
    return INSTRUCTIONS.format(
        list_diagrams=wire_name("chartdb/list-diagrams", settings.tool_names),
        import_database=wire_name("chartdb/import-database", settings.tool_names),
        get_schema=wire_name("chartdb/get-schema", settings.tool_names),
        create_table=wire_name("chartdb/create-table", settings.tool_names),
        modify_table=wire_name("chartdb/modify-table", settings.tool_names),
        add_relationship=wire_name("chartdb/add-relationship", settings.tool_names),
        propose_changes=wire_name("chartdb/propose-changes", settings.tool_names),
        apply_changes=wire_name("chartdb/apply-changes", settings.tool_names),
    )


def build_server(settings: Settings) -> MCPServer[AppState]:
    """A server whose store opens when it starts and closes when it stops.

    With `settings.auto_sync`, the automatic sync scheduler runs beside it and is
    cancelled when it stops.
    """

    state = AppState(settings)

    @asynccontextmanager
    async def lifespan(_: MCPServer[AppState]) -> AsyncIterator[AppState]:
        async with state.session():
            if not settings.auto_sync:
                yield state
                return
            async with anyio.create_task_group() as group:
                group.start_soon(
                    run_scheduler,
                    lambda: state.store,
                    lambda: source_of(settings),
                    settings.auto_sync_tick,
                )
                try:
                    yield state
                finally:
                    group.cancel_scope.cancel()

    server: MCPServer[AppState] = MCPServer(
        "chartdb-mcp",
        title="chartdb-mcp",
        instructions=instructions(settings),
        version=__version__,
        lifespan=lifespan,
    )
    register_tools(server, settings)
    register_resources(server, state)
    register_prompts(server, state, settings)
    return server
