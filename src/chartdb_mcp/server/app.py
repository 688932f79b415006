"""Build the MCP server: lifespan (the store), tools, resources."""

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from mcp.server.mcpserver import MCPServer

from chartdb_mcp import __version__
from chartdb_mcp.config import Settings
from chartdb_mcp.server.resources import register_resources
from chartdb_mcp.server.state import AppState
from chartdb_mcp.server.tools import register_tools

INSTRUCTIONS = """\
chartdb-mcp keeps ER diagrams of databases. Start with list-diagrams, or import-database
to read a live database into a diagram. get-schema gives a compact outline; ask for named
tables to see their full definitions.
"""


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
        instructions=INSTRUCTIONS,
        version=__version__,
        lifespan=lifespan,
    )
    register_tools(server, settings)
    register_resources(server, state)
    return server
