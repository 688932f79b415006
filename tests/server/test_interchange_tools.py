"""export-diagram and import-diagram through the SDK client, bad input included."""

import json
from pathlib import Path

import pytest
from mcp import Client

from chartdb_mcp.demo import build_example_database
from support.mcp_client import call_error, call_ok, in_memory_client, read_json, text_of

pytestmark = pytest.mark.anyio

SHOP_DBML = """
Project shop { database_type: 'PostgreSQL' }

Enum order_state {
  open
  paid
}

Table customers [headercolor: #ff6363] {
  id integer [pk, increment]
  email "character varying(320)" [not null, unique, note: 'Login']
}

Table orders {
  id integer [pk]
  customer_id integer [not null]
  state order_state [default: 'open']
  Indexes {
    (customer_id, state) [name: 'orders_customer_state_idx']
  }
}

Ref orders_customer_fkey: orders.customer_id > customers.id [delete: cascade]
"""

SMART_QUERY = {
    "fk_info": [
        {
            "schema": "public",
            "table": "orders",
            "column": "customer_id",
            "foreign_key_name": "orders_customer_fkey",
            "reference_schema": "public",
            "reference_table": "customers",
            "reference_column": "id",
            "fk_def": "FOREIGN KEY (customer_id) REFERENCES customers(id) ON DELETE CASCADE",
        }
    ],
    "pk_info": [
        {"schema": "public", "table": "customers", "column": "id", "pk_def": "PRIMARY KEY (id)"},
        {"schema": "public", "table": "orders", "column": "id", "pk_def": "PRIMARY KEY (id)"},
    ],
    "columns": [
        {
            "schema": "public",
            "table": "customers",
            "name": "id",
            "type": "integer",
            "ordinal_position": 1,
            "nullable": 0,
        },
        {
            "schema": "public",
            "table": "customers",
            "name": "email",
            "type": "character varying",
            "character_maximum_length": "320",
            "ordinal_position": 2,
            "nullable": False,
        },
        {
            "schema": "public",
            "table": "orders",
            "name": "id",
            "type": "integer",
            "ordinal_position": 1,
            "nullable": False,
        },
        {
            "schema": "public",
            "table": "orders",
            "name": "customer_id",
            "type": "integer",
            "ordinal_position": 2,
            "nullable": True,
        },
        {
            "schema": "public",
            "table": "orders",
            "name": "total",
            "type": "numeric",
            "precision": {"precision": 10, "scale": 2},
            "ordinal_position": 3,
            "nullable": 1,
        },
    ],
    "indexes": [
        {
            "schema": "public",
            "table": "customers",
            "name": "customers_pkey",
            "column": "id",
            "index_type": "btree",
            "unique": True,
            "direction": "asc",
            "column_position": 1,
        },
        {
            "schema": "public",
            "table": "orders",
            "name": "orders_recent_idx",
            "column": "id",
            "index_type": "btree",
            "unique": 0,
            "direction": "desc",
            "column_position": 2,
        },
        {
            "schema": "public",
            "table": "orders",
            "name": "orders_recent_idx",
            "column": "customer_id",
            "index_type": "btree",
            "unique": 0,
            "direction": "asc",
            "column_position": 1,
        },
    ],
    "tables": [
        {"schema": "public", "table": "customers", "comment": "People who buy"},
        {"schema": "public", "table": "orders"},
    ],
    "views": [],
    "database_name": "shop",
    "version": "PostgreSQL 15.4 on x86_64-pc-linux-gnu",
}


@pytest.fixture
def blog_db(tmp_path: Path) -> Path:
    path = tmp_path / "blog.db"
    build_example_database(path)
    return path


async def import_blog(client: Client, blog_db: Path) -> str:
    report = await call_ok(client, "chartdb_import_database", url=str(blog_db), name="blog")
    return str(report["diagram_id"])


async def schema_of(client: Client, diagram_id: str) -> dict:  # type: ignore[type-arg]
    document: dict = await read_json(client, f"chartdb://diagram/{diagram_id}/schema")  # type: ignore[type-arg]
    return document


async def test_chartdb_json_export_imports_back_with_every_table_and_key(blog_db: Path) -> None:
    async with in_memory_client() as client:
        diagram_id = await import_blog(client, blog_db)
        exported = await call_ok(
            client,
            "chartdb_export_diagram",
            diagram_id=diagram_id,
            format="chartdb-json",
            max_chars=200_000,
        )
        assert exported["truncated"] is False
        document = json.loads(exported["content"])
        assert document["databaseType"] == "sqlite"
        assert {t["name"] for t in document["tables"] if not t["isView"]} == {
            "authors",
            "categories",
            "posts",
            "comments",
            "post_revisions",
        }
        assert any("ON DELETE" in w for w in exported["warnings"])

        imported = await call_ok(
            client,
            "chartdb_import_diagram",
            format="chartdb-json",
            content=exported["content"],
            name="blog again",
        )

        assert imported["diagram_name"] == "blog again" and imported["tables"] == 5
        original, back = (
            await schema_of(client, diagram_id),
            await schema_of(client, imported["diagram_id"]),
        )
        keys = {t["name"]: t.get("primary_key", {}).get("columns") for t in original["tables"]}
        assert {t["name"]: t.get("primary_key", {}).get("columns") for t in back["tables"]} == keys
        assert len(back["relationships"]) == len(original["relationships"]) == 6


async def test_export_to_a_path_writes_the_file_and_refuses_to_overwrite(
    blog_db: Path, tmp_path: Path
) -> None:
    target = tmp_path / "blog.dbml"
    async with in_memory_client() as client:
        diagram_id = await import_blog(client, blog_db)
        result = await call_ok(
            client,
            "chartdb_export_diagram",
            diagram_id=diagram_id,
            format="dbml",
            path=str(target),
        )
        assert result["path"] == str(target.resolve()) and "content" not in result
        assert 'Table "posts"' in target.read_text(encoding="utf-8")

        error = await call_error(
            client,
            "chartdb_export_diagram",
            diagram_id=diagram_id,
            format="dbml",
            path=str(target),
        )
        assert "exists" in error and "overwrite" in error
        missing = await call_error(
            client,
            "chartdb_export_diagram",
            diagram_id=diagram_id,
            format="dbml",
            path=str(tmp_path / "no" / "such" / "x.dbml"),
        )
        assert "does not exist" in missing
        relative = await call_error(
            client,
            "chartdb_export_diagram",
            diagram_id=diagram_id,
            format="dbml",
            path="blog.dbml",
        )
        assert "relative" in relative and not Path("blog.dbml").exists()
        replaced = await call_ok(
            client,
            "chartdb_export_diagram",
            diagram_id=diagram_id,
            format="mermaid",
            path=str(target),
            overwrite=True,
        )
        assert replaced["path"] == str(target.resolve())
        assert target.read_text(encoding="utf-8").startswith("erDiagram")
        assert sorted(p.name for p in tmp_path.iterdir()) == ["blog.db", "blog.dbml"]


async def test_an_export_over_budget_is_cut_and_says_so(blog_db: Path) -> None:
    async with in_memory_client() as client:
        diagram_id = await import_blog(client, blog_db)
        result = await client.call_tool(
            "chartdb_export_diagram",
            {"diagram_id": diagram_id, "format": "chartdb-json", "max_chars": 2_000},
        )
        assert not result.is_error
        payload = result.structured_content
        assert payload is not None and payload["truncated"] is True
        assert len(payload["content"]) < payload["chars"]
        assert "Pass `path`" in text_of(result)
        assert len(text_of(result)) + len(json.dumps(payload)) <= 2_000 + 1_000


async def test_mermaid_export_draws_every_table_with_its_status(blog_db: Path) -> None:
    async with in_memory_client() as client:
        diagram_id = await import_blog(client, blog_db)
        result = await call_ok(
            client, "chartdb_export_diagram", diagram_id=diagram_id, format="mermaid"
        )
        text = result["content"]
        assert text.startswith("erDiagram")
        for table in ("authors", "categories", "posts", "comments", "post_revisions"):
            assert f'{table}["{table} (EXISTS)"] {{' in text
        assert "classDef exists" in text and "posts }o..|| authors" in text
        assert result["warnings"] == ["1 view was left out: Mermaid draws tables only."]


async def test_dbml_import_creates_a_diagram_with_keys_enums_and_actions() -> None:
    async with in_memory_client() as client:
        result = await call_ok(client, "chartdb_import_diagram", format="dbml", content=SHOP_DBML)
        assert (result["diagram_name"], result["database_type"]) == ("shop", "postgresql")
        assert (result["tables"], result["relationships"], result["custom_types"]) == (2, 1, 1)
        schema = await schema_of(client, result["diagram_id"])
        [relationship] = schema["relationships"]
        assert relationship["on_delete"] == "CASCADE"
        orders = next(t for t in schema["tables"] if t["name"] == "orders")
        assert [p["column"] for p in orders["indexes"][0]["parts"]] == ["customer_id", "state"]
        assert orders["columns"][2]["default"] == "'open'"


async def test_smart_query_import_regroups_rows_into_tables_keys_and_indexes() -> None:
    async with in_memory_client() as client:
        result = await call_ok(
            client,
            "chartdb_import_diagram",
            format="chartdb-smart-query",
            content=json.dumps(SMART_QUERY),
        )
        assert (result["diagram_name"], result["database_type"]) == ("shop", "postgresql")
        schema = await schema_of(client, result["diagram_id"])
        tables = {t["name"]: t for t in schema["tables"]}
        assert tables["customers"]["primary_key"]["name"] == "customers_pkey"
        assert tables["customers"]["comment"] == "People who buy"
        assert [c["type"] for c in tables["orders"]["columns"]] == [
            "integer",
            "integer",
            "numeric(10,2)",
        ]
        [index] = tables["orders"]["indexes"]
        assert [(p["column"], p.get("descending", False)) for p in index["parts"]] == [
            ("customer_id", False),
            ("id", True),
        ]
        assert schema["relationships"][0]["on_delete"] == "CASCADE"


def chartdb_file(table_name: str = "b", field_name: str = "note") -> str:
    """Two tables as the app writes them; the second one's names as given."""

    def table(number: int, name: str, fields: list[str]) -> dict[str, object]:
        return {
            "id": f"t{number}",
            "name": name,
            "x": 0,
            "y": 0,
            "color": "#fff",
            "isView": False,
            "createdAt": 0,
            "indexes": [],
            "fields": [
                {
                    "id": f"f{number}_{n}",
                    "name": field,
                    "type": {"id": "integer", "name": "integer"},
                    "primaryKey": n == 0,
                    "unique": False,
                    "nullable": n > 0,
                    "createdAt": 0,
                }
                for n, field in enumerate(fields)
            ],
        }

    tables = [table(0, "a", ["id"]), table(1, table_name, ["id", field_name])]
    return json.dumps({"name": "x", "databaseType": "postgresql", "tables": tables})


@pytest.mark.parametrize(
    ("format", "content", "expected"),
    [
        ("chartdb-json", '{"name": "x", "tables": [', "not valid JSON"),
        ("chartdb-json", '{"name": "x",\n "databaseType": "postgresql",\n "tables": [}', "line 3"),
        ("chartdb-json", "[1, 2]", "holds a list"),
        ("chartdb-json", '{"name": "x"}', "databaseType: Field required"),
        (
            "chartdb-json",
            '{"name": "x", "databaseType": "postgresql", "tables": [{"id": "1", "name": "t"}]}',
            "tables[0].x: Field required",
        ),
        ("chartdb-json", '{"name": "x", "databaseType": "db2"}', "databaseType"),
        # The file's shape is right but a value breaks the diagram: the place is named.
        ("chartdb-json", chartdb_file(table_name=""), "tables[1] ('')"),
        ("chartdb-json", chartdb_file(field_name=""), "tables[1].fields[1] ('')"),
        ("dbml", "Table a {\n  id int\n  name varchar [pk\n}\n", "line 4"),
        ("dbml", "Table a {\n  id int\n}\nRef: a.id > b.id\n", "public.b"),
        ("dbml", "Table a {\n  id int [ref: > a.nope]\n}\n", "nope"),
        ("dbml", "Table lonely {\n}\n", "Table lonely at position 0 has no columns"),
        (
            "dbml",
            "Table a {\n  id int\n  x int\n}\nTable b {\n  id int\n}\nRef: a.(id, x) > b.id\n",
            "Reference a.(id, x) > b.(id) pairs 2 columns with 1",
        ),
        ("chartdb-smart-query", '{"tables": []}', "fk_info: Field required"),
        ("chartdb-smart-query", "   ", "empty"),
    ],
)
async def test_bad_documents_are_refused_with_where_they_break(
    format: str, content: str, expected: str
) -> None:
    async with in_memory_client() as client:
        error = await call_error(client, "chartdb_import_diagram", format=format, content=content)
        assert expected in error
        listing = await call_ok(client, "chartdb_list_diagrams")
        assert listing["diagrams"] == []


async def test_relationships_to_unknown_tables_or_fields_are_refused() -> None:
    document = {
        "name": "x",
        "databaseType": "postgresql",
        "tables": [
            {
                "id": "t1",
                "name": "a",
                "x": 0,
                "y": 0,
                "color": "#fff",
                "isView": False,
                "indexes": [],
                "fields": [
                    {
                        "id": "f1",
                        "name": "id",
                        "type": {"id": "int", "name": "int"},
                        "primaryKey": True,
                        "unique": False,
                        "nullable": False,
                    }
                ],
            },
        ],
        "relationships": [
            {
                "id": "r1",
                "name": "a_b",
                "sourceTableId": "t1",
                "targetTableId": "t9",
                "sourceFieldId": "f1",
                "targetFieldId": "f9",
                "sourceCardinality": "one",
                "targetCardinality": "many",
            }
        ],
    }
    async with in_memory_client() as client:
        error = await call_error(
            client, "chartdb_import_diagram", format="chartdb-json", content=json.dumps(document)
        )
        assert "'a_b'" in error and "unknown table id 't9'" in error
        document["relationships"][0]["targetTableId"] = "t1"  # type: ignore[index]
        error = await call_error(
            client, "chartdb_import_diagram", format="chartdb-json", content=json.dumps(document)
        )
        assert "field id 'f9'" in error


async def test_import_takes_content_or_a_path_but_not_both(tmp_path: Path) -> None:
    source = tmp_path / "shop.dbml"
    source.write_text(SHOP_DBML, encoding="utf-8")
    async with in_memory_client() as client:
        result = await call_ok(
            client, "chartdb_import_diagram", format="dbml", path=str(source), name="from file"
        )
        assert result["diagram_name"] == "from file" and result["tables"] == 2
        both = await call_error(
            client, "chartdb_import_diagram", format="dbml", path=str(source), content="x"
        )
        assert "either" in both
        assert "either" in await call_error(client, "chartdb_import_diagram", format="dbml")
        missing = await call_error(
            client, "chartdb_import_diagram", format="dbml", path=str(tmp_path / "none.dbml")
        )
        assert "No file exists" in missing
