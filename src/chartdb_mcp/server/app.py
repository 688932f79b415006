"""Build the MCP server: lifespan (the store), tools, resources."""

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from mcp.server.mcpserver import MCPServer

from chartdb_mcp import __version__
from chartdb_mcp.config import Settings
from chartdb_mcp.server.naming import wire_name
from chartdb_mcp.server.resources import register_resources
from chartdb_mcp.server.state import AppState
from chartdb_mcp.server.tools import register_tools

INSTRUCTIONS = """\
chartdb-mcp keeps ER diagrams of databases. Start with {list_diagrams}, or \
{import_database} to read a live database into a diagram. {get_schema} gives a compact \
outline; name tables or views to see their full definitions."""


def instructions(settings: Settings) -> str:
    """The server's instructions, naming tools as this server spells them."""
    return INSTRUCTIONS.format(
        list_diagrams=wire_name("chartdb/list-diagrams", settings.tool_names),
        import_database=wire_name("chartdb/import-database", settings.tool_names),
        get_schema=wire_name("chartdb/get-schema", settings.tool_names),
    )


def build_server(settings: Settings) -> MCPServer[AppState]:
    """A server whose store opens when it starts and closes when it stops."""

    state = AppState(settings)

    @asynccontextmanager
    async def lifespan(_: MCPServer[AppState]) -> AsyncIterator[AppState]:
        async with state.session():
            yield state

    server: MCPServer[AppState] = MCPServer(
        "chartdb-mcp",
        title="chartdb-mcp",
        instructions=instructions(settings),
        version=__version__,
        lifespan=lifespan,
    )
    register_tools(server, settings)
    register_resources(server, state)
    return server
