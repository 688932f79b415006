"""Tool groups. Each module registers one group's tools on a server."""

from collections.abc import Callable

from mcp.server.mcpserver import MCPServer

from chartdb_mcp.config import Settings
from chartdb_mcp.server.tools import diagrams, live

Registrar = Callable[[MCPServer, Settings], None]

GROUPS: dict[str, Registrar] = {
    "diagrams": diagrams.register,
    "live": live.register,
}


def register_tools(server: MCPServer, settings: Settings) -> None:
    """Register the tools of every group the settings enable."""
    for group, register in GROUPS.items():
        if group in settings.groups:
            register(server, settings)
