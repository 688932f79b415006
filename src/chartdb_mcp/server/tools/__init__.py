"""Tool groups. Each group's modules register its tools on a server."""

from collections.abc import Callable

from mcp.server.mcpserver import MCPServer

from chartdb_mcp.config import Settings
from chartdb_mcp.server.tools import design, diagrams, live, review, sql_out, versions

Registrar = Callable[[MCPServer, Settings], None]

GROUPS: dict[str, tuple[Registrar, ...]] = {
    "diagrams": (diagrams.register, versions.register),
    "review": (design.register, review.register),
    "live": (live.register,),
    "sql": (sql_out.register,),
}


def register_tools(server: MCPServer, settings: Settings) -> None:
    """Register the tools of every group the settings enable."""
    for group, registrars in GROUPS.items():
        if group in settings.groups:
            for register in registrars:
                register(server, settings)
