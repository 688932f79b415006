"""The sync comparison: what differs between a diagram table and the live one, and verdicts."""

from datetime import UTC, datetime

import pytest

from chartdb_mcp.core.model import (
    Column,
    DatabaseType,
    Diagram,
    Index,
    IndexPart,
    PrimaryKey,
    Relationship,
    Table,
    TableStatus,
)
from chartdb_mcp.core.sync.compare import compare_schemas
from chartdb_mcp.core.sync.status import record_verification


def table(name: str, *columns: Column, **fields: object) -> Table:
    return Table(name=name, schema_name="public", columns=list(columns), **fields)  # type: ignore[arg-type]


def col(name: str, type_: str = "integer", nullable: bool = True) -> Column:
    return Column(name=name, type=type_, nullable=nullable)


def base() -> Table:
    return table(
        "item",
        col("id", nullable=False),
        col("name", "varchar(20)"),
        primary_key=PrimaryKey(columns=["id"]),
        indexes=[Index(name="idx_name", parts=[IndexPart(column="name")])],
    )


CASES = [
    ("equal", base(), set()),
    (
        "type aliases agree",
        table(
            "item",
            col("id", "int4", nullable=False),
            col("name", "character varying(20)"),
            primary_key=PrimaryKey(columns=["id"]),
            indexes=[Index(name="idx_name", parts=[IndexPart(column="name")])],
        ),
        set(),
    ),
    (
        "type, nullability, key and index",
        table(
            "item",
            col("id", "bigint", nullable=False),
            col("name", "varchar(20)", nullable=False),
            col("extra"),
            indexes=[Index(name="idx_name", parts=[IndexPart(column="name")], unique=True)],
        ),
        {
            ("column_type", "'id'", "integer", "bigint"),
            ("column_nullable", "'name'", "NULL", "NOT NULL"),
            ("column_only_in_database", "'extra'", None, None),
            ("primary_key", "the table", "(id)", "none"),
            ("index_definition", "'idx_name'", "(name)", "unique (name)"),
        },
    ),
]


@pytest.mark.parametrize(("label", "live", "expected"), CASES, ids=[c[0] for c in CASES])
def test_differences_of_one_table(
    label: str, live: Table, expected: set[tuple[object, ...]]
) -> None:
    desired = Diagram(name="d", database_type=DatabaseType.POSTGRESQL, tables=[base()])
    result = compare_schemas(desired, [live], [], database_type=DatabaseType.POSTGRESQL)
    [compared] = result.tables
    assert {d.as_tuple() for d in compared.differences} == expected


def test_foreign_keys_match_by_columns_and_target_name_and_statuses_follow() -> None:
    parent, child, planned = table("parent", col("id")), table("child", col("pid")), table("new")
    link = Relationship(
        source_table_id=child.id,
        source_columns=["pid"],
        target_table_id=parent.id,
        target_columns=["id"],
    )
    desired = Diagram(
        name="d",
        database_type=DatabaseType.POSTGRESQL,
        tables=[parent, child, planned],
        relationships=[link],
    )
    live_parent, live_child = table("parent", col("id")), table("child", col("pid"))
    extra = table("only_live")
    result = compare_schemas(
        desired, [live_parent, live_child, extra], [], database_type=DatabaseType.POSTGRESQL
    )
    by_name = {c.desired.name: c for c in result.tables}
    assert [d.as_tuple() for d in by_name["child"].differences] == [
        ("foreign_key_only_in_diagram", "(pid) -> public.parent(id)", None, None)
    ]
    assert [t.name for t in result.live_only] == ["only_live"]

    when = datetime(2026, 1, 1, tzinfo=UTC)
    updated, changes = record_verification(desired, result, source="db", verified_at=when)
    statuses = {t.name: t.status for t in updated.tables}
    assert statuses == {
        "parent": TableStatus.SYNCED,
        "child": TableStatus.DRIFT,
        "new": TableStatus.PLANNED,
    }
    assert {c.table for c in changes} == {"public.parent", "public.child", "public.new"}
    new = next(t for t in updated.tables if t.name == "new")
    assert new.sync is not None and new.sync.drift == ["Not found in db."]
    again, none = record_verification(updated, result, source="db", verified_at=when)
    assert none == [] and again.tables == updated.tables
