"""Helpers for tests of connection profiles and queries: a client factory's type, a diagram."""

from collections.abc import Callable

from mcp import Client

MakeClient = Callable[..., Client]


async def new_diagram(client: Client, database_type: str = "postgresql") -> str:
    """Create an empty diagram through the tool; its id."""
    result = await client.call_tool(
        "chartdb_create_diagram", {"name": "live", "database_type": database_type}
    )
    assert not result.is_error and result.structured_content is not None
    return str(result.structured_content["id"])
