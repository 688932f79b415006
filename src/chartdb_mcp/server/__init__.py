"""The MCP layer: tools, resources and transports over the service layer (kept thin)."""

from chartdb_mcp.server.app import build_server

__all__ = ["build_server"]
