"""ChartDB diagram JSON: the shape the app reads and writes, and what crosses in each way."""

import json

import pytest

from chartdb_mcp.core.formats.interchange import (
    ExportFormat,
    ImportFormat,
    export_diagram,
    import_document,
)
from chartdb_mcp.core.formats.interchange.common import split_type
from chartdb_mcp.core.model import (
    Area,
    Column,
    CustomType,
    CustomTypeKind,
    DatabaseType,
    Diagram,
    Index,
    IndexPart,
    Note,
    Position,
    PrimaryKey,
    ReferentialAction,
    Relationship,
    Table,
    View,
)


def col(name: str, type_: str = "integer", nullable: bool = False) -> Column:
    return Column(name=name, type=type_, normalized_type=type_, nullable=nullable)


def orders_diagram() -> Diagram:
    """orders(id, region) <- order_lines(order_id, order_region): a composite foreign key."""
    orders = Table(
        id="o",
        schema_name="shop",
        name="orders",
        columns=[col("id"), col("region", "character varying(20)"), col("total", "numeric(10,2)")],
        primary_key=PrimaryKey(name="orders_pkey", columns=["id", "region"]),
        color="#ff6363",
        position=Position(x=10, y=20),
    )
    lines = Table(
        id="l",
        schema_name="shop",
        name="order_lines",
        columns=[
            col("order_id"),
            col("order_region", "character varying(20)"),
            col("tags", "text[]"),
        ],
        position=Position(x=300, y=20),
    )
    return Diagram(
        name="shop",
        database_type=DatabaseType.POSTGRESQL,
        tables=[orders, lines],
        relationships=[
            Relationship(
                name="lines_order_fkey",
                source_table_id="l",
                source_columns=["order_id", "order_region"],
                target_table_id="o",
                target_columns=["id", "region"],
                on_delete=ReferentialAction.CASCADE,
            )
        ],
        views=[
            View(schema_name="shop", name="big_orders", definition="SELECT 1", columns=[col("id")])
        ],
        custom_types=[
            CustomType(schema_name="shop", name="mood", kind=CustomTypeKind.ENUM, values=["ok"])
        ],
        notes=[
            Note(
                content="Check totals",
                position=Position(x=5, y=6),
                width=100,
                height=50,
                color="#fff",
            )
        ],
        areas=[
            Area(name="Sales", position=Position(x=0, y=0), width=800, height=400, color="#eee")
        ],
    )


def test_a_composite_key_becomes_pairs_from_parent_to_child_under_one_name() -> None:
    exported = export_diagram(orders_diagram(), ExportFormat.CHARTDB_JSON)
    document = json.loads(exported.content)
    tables = {t["id"]: t for t in document["tables"]}
    fields = {f["id"]: (t["name"], f["name"]) for t in document["tables"] for f in t["fields"]}
    pairs = [
        (
            r["name"],
            fields[r["sourceFieldId"]],
            fields[r["targetFieldId"]],
            r["sourceCardinality"],
            r["targetCardinality"],
        )
        for r in document["relationships"]
    ]
    assert pairs == [
        ("lines_order_fkey", ("orders", "id"), ("order_lines", "order_id"), "one", "many"),
        ("lines_order_fkey", ("orders", "region"), ("order_lines", "order_region"), "one", "many"),
    ]
    assert {t["name"] for t in tables.values() if t["isView"]} == {"big_orders"}
    assert [sorted(d) for d in document["dependencies"]] == []
    warnings = " ".join(exported.warnings)
    assert "1 relationship has ON DELETE/ON UPDATE actions" in warnings
    assert (
        "1 composite foreign key was written as one ChartDB relationship per column pair"
        in warnings
    )
    assert "1 view lost the definition" in warnings
    assert "1 table had no color" in warnings


def test_types_are_split_into_name_and_sizes_the_way_the_app_keeps_them() -> None:
    document = json.loads(export_diagram(orders_diagram(), ExportFormat.CHARTDB_JSON).content)
    fields = {f["name"]: f for t in document["tables"] if not t["isView"] for f in t["fields"]}
    assert fields["region"]["type"] == {"id": "character_varying", "name": "character varying"}
    assert fields["region"]["characterMaximumLength"] == "20"
    assert (fields["total"]["precision"], fields["total"]["scale"]) == (10, 2)
    assert fields["tags"]["type"]["name"] == "text" and fields["tags"]["isArray"] is True
    assert fields["id"]["primaryKey"] is True and "increment" not in fields["id"]


@pytest.mark.parametrize(
    ("type_text", "name", "length", "precision", "scale"),
    [
        ("varchar(255)", "varchar", "255", None, None),
        ("nvarchar(max)", "nvarchar", "max", None, None),
        ("decimal(8)", "decimal", None, 8, None),
        ("numeric(10, 2)", "numeric(10, 2)", None, None, None),
        ("timestamp(6) with time zone", "timestamp(6) with time zone", None, None, None),
        ("enum('a','b')", "enum('a','b')", None, None, None),
        ("int(10) unsigned", "int(10) unsigned", None, None, None),
    ],
)
def test_a_type_is_split_only_when_joining_gives_it_back(
    type_text: str, name: str, length: str | None, precision: int | None, scale: int | None
) -> None:
    parts = split_type(type_text, is_array=False)
    assert (parts.name, parts.length, parts.precision, parts.scale) == (
        name,
        length,
        precision,
        scale,
    )


def test_import_regroups_pairs_and_keeps_canvas_notes_areas_and_types() -> None:
    original = orders_diagram()
    exported = export_diagram(original, ExportFormat.CHARTDB_JSON)
    back = import_document(exported.content, ImportFormat.CHARTDB_JSON, name="again").diagram
    assert back.name == "again" and back.database_type == DatabaseType.POSTGRESQL
    [relationship] = back.relationships
    lines, orders = back.find_table("shop.order_lines"), back.find_table("shop.orders")
    assert lines is not None and orders is not None
    assert (relationship.source_table_id, relationship.source_columns) == (
        lines.id,
        ["order_id", "order_region"],
    )
    assert (relationship.target_table_id, relationship.target_columns) == (
        orders.id,
        ["id", "region"],
    )
    assert relationship.on_delete == ReferentialAction.NO_ACTION
    assert orders.primary_key == PrimaryKey(name="orders_pkey", columns=["id", "region"])
    assert [c.type for c in orders.columns] == ["integer", "character varying(20)", "numeric(10,2)"]
    assert lines.columns[2].type == "text[]" and lines.columns[2].is_array
    assert (orders.color, orders.position) == ("#ff6363", Position(x=10, y=20))
    assert [(v.name, v.definition, [c.name for c in v.columns]) for v in back.views] == [
        ("big_orders", None, ["id"])
    ]
    assert [(n.content, n.position, n.width) for n in back.notes] == [
        ("Check totals", Position(x=5, y=6), 100)
    ]
    assert [(a.name, a.width, a.color) for a in back.areas] == [("Sales", 800, "#eee")]
    assert [(t.name, t.values) for t in back.custom_types] == [("mood", ["ok"])]


APP_FILE = {
    "id": "d1",
    "name": "from the app",
    "databaseType": "cockroachdb",
    "createdAt": "2025-01-01T00:00:00.000Z",
    "updatedAt": "2025-01-01T00:00:00.000Z",
    "tables": [
        {
            "id": "t1",
            "name": "users",
            "schema": "public",
            "x": 0,
            "y": 0,
            "color": "#8eb7ff",
            "isView": False,
            "createdAt": 1,
            "indexes": [
                {
                    "id": "i1",
                    "name": "users_email_key",
                    "unique": True,
                    "fieldIds": ["f2"],
                    "createdAt": 1,
                }
            ],
            "fields": [
                {
                    "id": "f1",
                    "name": "id",
                    "type": {"id": "uuid", "name": "uuid"},
                    "primaryKey": True,
                    "unique": True,
                    "nullable": False,
                    "createdAt": 1,
                },
                {
                    "id": "f2",
                    "name": "email",
                    "type": {"id": "varchar", "name": "varchar"},
                    "characterMaximumLength": "320",
                    "primaryKey": False,
                    "unique": True,
                    "nullable": False,
                    "createdAt": 1,
                    "someFutureKey": 1,
                },
                {
                    "id": "f5",
                    "name": "nick",
                    "type": {"id": "text", "name": "text"},
                    "primaryKey": False,
                    "unique": True,
                    "nullable": True,
                    "createdAt": 1,
                },
            ],
        },
        {
            "id": "t2",
            "name": "posts",
            "schema": "public",
            "x": 1,
            "y": 2,
            "color": "#ff6363",
            "isView": False,
            "createdAt": 1,
            "indexes": [],
            "fields": [
                {
                    "id": "f3",
                    "name": "id",
                    "type": {"id": "bigint", "name": "bigint"},
                    "primaryKey": True,
                    "unique": False,
                    "nullable": False,
                    "increment": True,
                    "createdAt": 1,
                },
                {
                    "id": "f4",
                    "name": "author",
                    "type": {"id": "uuid", "name": "uuid"},
                    "primaryKey": False,
                    "unique": False,
                    "nullable": True,
                    "createdAt": 1,
                },
            ],
        },
    ],
    "relationships": [
        {
            "id": "r1",
            "name": "posts_author_fkey",
            "sourceTableId": "t1",
            "sourceFieldId": "f1",
            "targetTableId": "t2",
            "targetFieldId": "f4",
            "sourceCardinality": "one",
            "targetCardinality": "many",
            "createdAt": 1,
        }
    ],
}


def test_a_file_as_the_app_writes_it() -> None:
    imported = import_document(json.dumps(APP_FILE), ImportFormat.CHARTDB_JSON)
    diagram = imported.diagram
    assert imported.warnings == ["CockroachDB is read as PostgreSQL."]
    assert diagram.database_type == DatabaseType.POSTGRESQL and diagram.schemas == ["public"]
    users, posts = diagram.tables
    # The key's unique flag and the email's own unique index say no more than they do.
    assert [u.columns for u in users.unique_constraints] == [["nick"]]
    assert [(i.name, i.columns, i.unique) for i in users.indexes] == [
        ("users_email_key", ["email"], True)
    ]
    assert users.columns[1].type == "varchar(320)"
    assert posts.columns[0].autoincrement is True
    [relationship] = diagram.relationships
    assert (relationship.source_table_id, relationship.source_columns) == (posts.id, ["author"])
    assert (relationship.target_table_id, relationship.target_columns) == (users.id, ["id"])


def test_an_index_field_the_table_lost_is_left_out_and_reported() -> None:
    document = json.loads(json.dumps(APP_FILE))
    document["databaseType"] = "postgresql"
    document["tables"][0]["indexes"].append(
        {"id": "i2", "name": "users_gone_idx", "unique": False, "fieldIds": ["f9"], "createdAt": 1}
    )
    imported = import_document(
        json.dumps(document), ImportFormat.CHARTDB_JSON, database_type=DatabaseType.MYSQL
    )
    assert [i.name for i in imported.diagram.tables[0].indexes] == ["users_email_key"]
    assert imported.warnings == [
        "1 index fields refer to fields their table does not have and were left out: "
        "Index 'users_gone_idx' of table 'users' (field id 'f9').",
        "The file describes a postgresql database; database_type 'mysql' was not used.",
    ]


# The keys ChartDB's own schema requires (its zod schemas mark the rest optional).
REQUIRED = {
    "diagram": {"id", "name", "databaseType", "createdAt", "updatedAt"},
    "table": {"id", "name", "x", "y", "fields", "indexes", "color", "isView", "createdAt"},
    "field": {"id", "name", "type", "primaryKey", "unique", "nullable", "createdAt"},
    "index": {"id", "name", "unique", "fieldIds", "createdAt"},
    "relationship": {
        "id", "name", "sourceTableId", "targetTableId", "sourceFieldId", "targetFieldId",
        "sourceCardinality", "targetCardinality", "createdAt",
    },
    "area": {"id", "name", "x", "y", "width", "height", "color"},
    "note": {"id", "content", "x", "y", "width", "height", "color"},
    "customType": {"id", "name", "kind"},
}  # fmt: skip


def test_every_object_carries_the_keys_the_app_requires_and_ids_count_up() -> None:
    document = json.loads(export_diagram(orders_diagram(), ExportFormat.CHARTDB_JSON).content)
    objects = [("diagram", document)]
    for table in document["tables"]:
        objects += [("table", table)]
        objects += [("field", f) for f in table["fields"]] + [
            ("index", i) for i in table["indexes"]
        ]
    objects += [("relationship", r) for r in document["relationships"]]
    objects += [("area", a) for a in document["areas"]] + [("note", n) for n in document["notes"]]
    objects += [("customType", c) for c in document["customTypes"]]
    for kind, item in objects:
        assert REQUIRED[kind] <= item.keys(), (kind, REQUIRED[kind] - item.keys())
    assert all(isinstance(t["createdAt"], int) for t in document["tables"])
    ids = [item["id"] for kind, item in objects if kind != "diagram"]
    assert sorted(ids, key=int) == [str(n) for n in range(len(ids))]


def test_index_types_are_only_those_the_app_accepts() -> None:
    # The app's schema takes a fixed list of index types and refuses the whole file
    # for any other, so other methods are left out and reported.
    table = Table(
        name="places",
        columns=[col("id"), col("name", "text"), col("area", "geometry")],
        primary_key=PrimaryKey(columns=["id"]),
        indexes=[
            Index(name="by_name", parts=[IndexPart(column="name")], method="BTREE"),
            Index(name="by_id_name", parts=[IndexPart(column="id")], method="b-tree"),
            Index(name="by_area", parts=[IndexPart(column="area")], method="rtree"),
            Index(name="by_text", parts=[IndexPart(column="name")], method="FULLTEXT"),
        ],
    )
    diagram = Diagram(name="geo", database_type=DatabaseType.MYSQL, tables=[table])
    exported = export_diagram(diagram, ExportFormat.CHARTDB_JSON)
    [written] = json.loads(exported.content)["tables"]
    assert [(i["name"], i.get("type")) for i in written["indexes"]] == [
        ("by_name", "btree"),
        ("by_id_name", "btree"),
        ("by_area", None),
        ("by_text", "fulltext"),
    ]
    assert any("places.by_area (rtree)" in warning for warning in exported.warnings)


def test_pairs_that_share_a_name_but_repeat_a_column_stay_apart() -> None:
    # Two single-column links the user gave one name: regrouped, they would make a key
    # that lists the parent's id twice, which no database accepts.
    def field(field_id: str, name: str) -> dict[str, object]:
        return {
            "id": field_id,
            "name": name,
            "type": {"id": "integer", "name": "integer"},
            "primaryKey": name == "id",
            "unique": False,
            "nullable": name != "id",
            "createdAt": 0,
        }

    def pair(pair_id: str, child_field: str) -> dict[str, object]:
        return {
            "id": pair_id,
            "name": "people_fk",
            "sourceTableId": "people",
            "sourceFieldId": "people.id",
            "targetTableId": "moves",
            "targetFieldId": child_field,
            "sourceCardinality": "one",
            "targetCardinality": "many",
            "createdAt": 0,
        }

    tables = [
        ("people", [field("people.id", "id")]),
        (
            "moves",
            [field("moves.id", "id"), field("moves.from", "from_id"), field("moves.to", "to_id")],
        ),
    ]
    document = {
        "name": "moves",
        "databaseType": "postgresql",
        "tables": [
            {"id": name, "name": name, "x": 0, "y": 0, "fields": fields, "indexes": [],
             "color": "#fff", "isView": False, "createdAt": 0}
            for name, fields in tables
        ],
        "relationships": [pair("r1", "moves.from"), pair("r2", "moves.to")],
    }  # fmt: skip
    diagram = import_document(json.dumps(document), ImportFormat.CHARTDB_JSON).diagram
    assert [(r.name, r.source_columns, r.target_columns) for r in diagram.relationships] == [
        ("people_fk", ["from_id"], ["id"]),
        (None, ["to_id"], ["id"]),
    ]


def test_a_link_drawn_from_the_many_side_puts_the_key_on_its_source() -> None:
    # The app's own SQL export reads source many / target one as a foreign key on the
    # source table, and skips many-to-many links.
    def field(field_id: str, name: str) -> dict[str, object]:
        return {
            "id": field_id,
            "name": name,
            "type": {"id": "integer", "name": "integer"},
            "primaryKey": name == "id",
            "unique": False,
            "nullable": name != "id",
            "createdAt": 0,
        }

    def link(link_id: str, source: str, target: str, sides: tuple[str, str]) -> dict[str, object]:
        return {
            "id": link_id,
            "name": link_id,
            "sourceTableId": source.split(".", maxsplit=1)[0],
            "sourceFieldId": source,
            "targetTableId": target.split(".", maxsplit=1)[0],
            "targetFieldId": target,
            "sourceCardinality": sides[0],
            "targetCardinality": sides[1],
            "createdAt": 0,
        }

    tables = [
        ("customers", [field("customers.id", "id")]),
        ("orders", [field("orders.id", "id"), field("orders.customer", "customer_id")]),
        ("tags", [field("tags.id", "id")]),
    ]
    document = {
        "name": "shop",
        "databaseType": "postgresql",
        "tables": [
            {"id": name, "name": name, "x": 0, "y": 0, "fields": fields, "indexes": [],
             "color": "#fff", "isView": False, "createdAt": 0}
            for name, fields in tables
        ],
        "relationships": [
            link("orders_customer_fk", "orders.customer", "customers.id", ("many", "one")),
            link("orders_tags", "orders.id", "tags.id", ("many", "many")),
        ],
    }  # fmt: skip
    imported = import_document(json.dumps(document), ImportFormat.CHARTDB_JSON)
    diagram = imported.diagram
    [relationship] = diagram.relationships
    child = diagram.table_by_id(relationship.source_table_id)
    parent = diagram.table_by_id(relationship.target_table_id)
    assert child is not None and parent is not None
    assert (child.name, relationship.source_columns) == ("orders", ["customer_id"])
    assert (parent.name, relationship.target_columns) == ("customers", ["id"])
    assert any("1 many-to-many relationships were not imported" in w for w in imported.warnings)
