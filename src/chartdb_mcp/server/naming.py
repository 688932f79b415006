"""Canonical tool names (`chartdb/get-schema`) and their spelling on the wire."""

from chartdb_mcp.config import ToolNameStyle


def wire_name(canonical: str, style: ToolNameStyle) -> str:
    """`chartdb/get-schema` as the host will see it: `chartdb_get_schema` unless `seed`."""
    if style is ToolNameStyle.SEED:
        return canonical
    return canonical.replace("/", "_").replace("-", "_")
