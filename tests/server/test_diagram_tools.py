"""The diagram tools and resources through the SDK client, in memory."""

import pytest

from chartdb_mcp.config import ToolNameStyle
from support.mcp_client import call_error, call_ok, in_memory_client, read_json, text_of

pytestmark = pytest.mark.anyio


async def test_create_list_and_delete_a_diagram() -> None:
    async with in_memory_client() as client:
        created = await call_ok(
            client, "chartdb_create_diagram", name="shop", database_type="postgresql"
        )
        assert created["name"] == "shop" and created["version"] == 1
        assert created["database_type"] == "postgresql"
        listing = await call_ok(client, "chartdb_list_diagrams")
        assert [(d["id"], d["name"]) for d in listing["diagrams"]] == [(created["id"], "shop")]
        deleted = await call_ok(client, "chartdb_delete_diagram", diagram_id=created["id"])
        assert deleted == {"id": created["id"], "name": "shop", "versions_removed": 1}
        assert (await call_ok(client, "chartdb_list_diagrams"))["diagrams"] == []


async def test_empty_store_says_so() -> None:
    async with in_memory_client() as client:
        result = await client.call_tool("chartdb_list_diagrams", {})
        assert text_of(result) == "No diagrams yet."


@pytest.mark.parametrize(
    ("arguments", "expected"),
    [
        ({"name": "  "}, "non-empty name"),
        ({"name": "x", "database_type": "dbase"}, "database_type"),
        ({"name": "x" * 201}, "name"),
        ({"name": "two\nlines"}, "control or formatting characters"),
        ({"name": "evil\u202etxt"}, "control or formatting characters"),
        ({"name": "d", "description": "x" * 10_001}, "at most 10000 characters"),
    ],
)
async def test_create_rejects_bad_input_and_stores_nothing(
    arguments: dict[str, str], expected: str
) -> None:
    async with in_memory_client() as client:
        message = await call_error(client, "chartdb_create_diagram", **arguments)
        assert expected in message
        assert (await call_ok(client, "chartdb_list_diagrams"))["diagrams"] == []


@pytest.mark.parametrize("tool", ["chartdb_delete_diagram", "chartdb_get_schema"])
async def test_unknown_diagram_id_is_named_in_the_error(tool: str) -> None:
    async with in_memory_client() as client:
        await call_ok(client, "chartdb_create_diagram", name="kept")
        message = await call_error(client, tool, diagram_id="no-such-id")
        assert message.endswith(": No diagram has the id 'no-such-id'.")
        assert len((await call_ok(client, "chartdb_list_diagrams"))["diagrams"]) == 1


async def test_get_schema_of_an_empty_diagram_and_unknown_tables() -> None:
    async with in_memory_client() as client:
        created = await call_ok(client, "chartdb_create_diagram", name="empty")
        page = await call_ok(client, "chartdb_get_schema", diagram_id=created["id"])
        assert page["tables"] == [] and page["matching_tables"] == 0
        message = await call_error(
            client, "chartdb_get_schema", diagram_id=created["id"], tables=["orders"]
        )
        assert message.endswith(": Diagram 'empty' has no single table named 'orders'.")


@pytest.mark.parametrize(
    ("arguments", "expected"),
    [({"offset": -1}, "offset"), ({"limit": 0}, "limit"), ({"max_chars": 10}, "max_chars")],
)
async def test_get_schema_rejects_out_of_range_paging(
    arguments: dict[str, int], expected: str
) -> None:
    async with in_memory_client() as client:
        created = await call_ok(client, "chartdb_create_diagram", name="d")
        message = await call_error(
            client, "chartdb_get_schema", diagram_id=created["id"], **arguments
        )
        assert expected in message


async def test_resources_list_and_read_a_diagram() -> None:
    async with in_memory_client() as client:
        created = await call_ok(client, "chartdb_create_diagram", name="res")
        listing = await read_json(client, "chartdb://diagrams")
        assert [d["name"] for d in listing["diagrams"]] == ["res"]
        schema = await read_json(client, f"chartdb://diagram/{created['id']}/schema")
        assert schema["id"] == created["id"] and schema["tables"] == []
        tables = await read_json(client, f"chartdb://diagram/{created['id']}/tables")
        assert tables == {"diagram_id": created["id"], "tables": []}
        relationships = await read_json(client, f"chartdb://diagram/{created['id']}/relationships")
        assert relationships == {"diagram_id": created["id"], "relationships": []}
        templates = await client.list_resource_templates()
        assert {t.uri_template for t in templates.resource_templates} == {
            "chartdb://diagram/{diagram_id}/schema",
            "chartdb://diagram/{diagram_id}/tables",
            "chartdb://diagram/{diagram_id}/relationships",
            "chartdb://diagram/{diagram_id}/proposals",
            "chartdb://proposal/{proposal_id}",
        }


async def test_reading_an_unknown_diagram_resource_fails_with_its_id() -> None:
    async with in_memory_client() as client:
        with pytest.raises(Exception, match="No diagram has the id 'missing'"):
            await client.read_resource("chartdb://diagram/missing/schema")


async def test_seed_style_names_use_the_canonical_spelling() -> None:
    async with in_memory_client(tool_names=ToolNameStyle.SEED) as client:
        names = {tool.name for tool in (await client.list_tools()).tools}
        assert "chartdb/get-schema" in names and "chartdb_get_schema" not in names
        created = await call_ok(client, "chartdb/create-diagram", name="seeded")
        assert created["name"] == "seeded"


async def test_instructions_name_tools_as_the_server_spells_them() -> None:
    async with in_memory_client() as client:
        text = client.instructions
    assert text is not None
    assert "chartdb_import_database" in text and "chartdb/" not in text
