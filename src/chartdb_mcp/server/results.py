"""Tool results that carry both a readable text and the structured object."""

from mcp.types import CallToolResult, TextContent
from pydantic import BaseModel


def tool_result(payload: BaseModel, text: str) -> CallToolResult:
    """A result whose text is for reading and whose structured content is `payload`.

    Null fields are left out of the structured content: they cost context and say nothing.
    """
    return CallToolResult(
        content=[TextContent(type="text", text=text)],
        structured_content=payload.model_dump(mode="json", exclude_none=True),
    )
