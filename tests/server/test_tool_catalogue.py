"""Every tool is described, annotated and documented, under both naming styles."""

from pathlib import Path

import pytest
from mcp import Client
from mcp.types import Tool

from chartdb_mcp.config import Settings, ToolNameStyle
from chartdb_mcp.server import build_server
from chartdb_mcp.server.naming import wire_name

pytestmark = pytest.mark.anyio

README = (Path(__file__).parents[2] / "README.md").read_text(encoding="utf-8")


async def list_tools(settings: Settings) -> list[Tool]:
    async with Client(build_server(settings)) as client:
        return list((await client.list_tools()).tools)


async def test_every_tool_has_a_description_annotations_and_a_readme_entry() -> None:
    tools = await list_tools(Settings(db_path=":memory:", tool_names=ToolNameStyle.SEED))
    assert len(tools) >= 5
    for tool in tools:
        canonical = tool.name
        assert canonical.startswith("chartdb/")
        description = tool.description
        assert description and len(description) <= 300, canonical
        annotations = tool.annotations
        assert annotations is not None, canonical
        assert annotations.read_only_hint is not None, canonical
        assert annotations.destructive_hint is not None, canonical
        assert f"### `{canonical}`" in README, f"README lacks a section for {canonical}"
        safe = wire_name(canonical, ToolNameStyle.SAFE)
        assert f"| `{canonical}` | `{safe}` |" in README, f"README lacks the name row of {safe}"


async def test_read_only_and_destructive_hints_match_what_tools_do() -> None:
    tools = {t.name: t for t in await list_tools(Settings(db_path=":memory:"))}
    hints = {name: tool.annotations for name, tool in tools.items()}
    assert hints["chartdb_get_schema"].read_only_hint is True
    assert hints["chartdb_list_diagrams"].read_only_hint is True
    assert hints["chartdb_delete_diagram"].destructive_hint is True
    assert hints["chartdb_create_diagram"].read_only_hint is False
    assert hints["chartdb_import_database"].open_world_hint is True


async def test_safe_names_use_only_characters_every_host_accepts() -> None:
    tools = await list_tools(Settings(db_path=":memory:"))
    for tool in tools:
        name = tool.name
        assert name.replace("_", "").replace("-", "").isalnum(), name


async def test_groups_limit_the_exposed_tools() -> None:
    settings = Settings(db_path=":memory:", groups=frozenset({"diagrams"}))
    names = {tool.name for tool in await list_tools(settings)}
    assert "chartdb_get_schema" in names
    assert "chartdb_import_database" not in names


async def test_output_schemas_are_declared_only_when_asked_and_results_stay_structured() -> None:
    plain = await list_tools(Settings(db_path=":memory:"))
    declared = await list_tools(Settings(db_path=":memory:", output_schemas=True))
    assert [tool.name for tool in plain] == [tool.name for tool in declared]
    assert all(tool.output_schema is None for tool in plain)
    assert all(tool.output_schema is not None for tool in declared)
    async with Client(build_server(Settings(db_path=":memory:"))) as client:
        result = await client.call_tool("chartdb_create_diagram", {"name": "plain"})
    assert not result.is_error
    assert result.structured_content is not None
    assert result.structured_content["name"] == "plain"
