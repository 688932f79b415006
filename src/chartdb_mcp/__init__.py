"""chartdb-mcp: an MCP server for designing database schemas with an AI assistant."""

__version__ = "0.1.0"
