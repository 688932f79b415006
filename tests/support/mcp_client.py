"""Helpers for talking to the server through the official SDK client, as a host does."""

import json
from typing import Any

from mcp import Client
from mcp.types import CallToolResult, TextContent

from chartdb_mcp.config import Settings, ToolNameStyle
from chartdb_mcp.server import build_server


def in_memory_client(
    db_path: str = ":memory:", tool_names: ToolNameStyle = ToolNameStyle.SAFE, **client: Any
) -> Client:
    """A client connected in-process to a fresh server on the given store."""
    return Client(build_server(Settings(db_path=db_path, tool_names=tool_names)), **client)


def text_of(result: CallToolResult) -> str:
    """All text blocks of a tool result, joined."""
    return "\n".join(block.text for block in result.content if isinstance(block, TextContent))


async def call_ok(client: Client, tool: str, **arguments: Any) -> dict[str, Any]:
    """Call a tool that must succeed; returns its structured content."""
    result = await client.call_tool(tool, arguments)
    assert not result.is_error, f"{tool} failed: {text_of(result)}"
    assert result.structured_content is not None
    return result.structured_content


async def call_error(client: Client, tool: str, **arguments: Any) -> str:
    """Call a tool that must fail; returns the error text the model would read."""
    result = await client.call_tool(tool, arguments)
    assert result.is_error, f"{tool} unexpectedly succeeded: {text_of(result)}"
    return text_of(result)


async def read_json(client: Client, uri: str) -> Any:
    """Read a JSON resource and parse it."""
    result = await client.read_resource(uri)
    [content] = result.contents
    return json.loads(content.text)  # type: ignore[union-attr]
