"""Tool groups. Each group's modules register its tools on a server."""

from collections.abc import Callable

from mcp.server.mcpserver import MCPServer

from chartdb_mcp.config import Settings
from chartdb_mcp.server.tools import (
    auto_sync,
    connections,
    design,
    diagrams,
    interchange,
    live,
    query,
    query_builder,
    query_library,
    review,
    sql_in,
    sql_out,
    sync,
    versions,
)

Registrar = Callable[[MCPServer, Settings], None]

GROUPS: dict[str, tuple[Registrar, ...]] = {
    "diagrams": (diagrams.register, versions.register),
    "review": (design.register, review.register),
    "live": (live.register,),
    "sql": (sql_in.register, sql_out.register, interchange.register),
    "connections": (
        connections.register,
        query.register,
        query_library.register,
        query_builder.register,
    ),
    "sync": (sync.register, auto_sync.register),
}


def register_tools(server: MCPServer, settings: Settings) -> None:
    """Register the tools of every group the settings enable."""
    for group, registrars in GROUPS.items():
        if group in settings.groups:
            for register in registrars:
                register(server, settings)
