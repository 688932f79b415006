"""Each lint rule on a diagram that breaks it and on one that does not."""

import pytest

from chartdb_mcp.core.lint import RULES, lint
from chartdb_mcp.core.model import (
    Column,
    DatabaseType,
    Diagram,
    Index,
    IndexPart,
    PrimaryKey,
    Relationship,
    Table,
    UniqueConstraint,
)
from chartdb_mcp.errors import InvalidInput


def col(name: str, type_: str = "integer", nullable: bool = False) -> Column:
    return Column(name=name, type=type_, normalized_type=type_, nullable=nullable)


def parent() -> Table:
    return Table(
        id="p", name="parents", columns=[col("id")], primary_key=PrimaryKey(columns=["id"])
    )


def child(**changes: object) -> Table:
    table = Table(
        id="c",
        name="children",
        columns=[col("id"), col("parent_id"), col("code", "text", nullable=True)],
        primary_key=PrimaryKey(columns=["id"]),
        indexes=[Index(name="children_parent_idx", parts=[IndexPart(column="parent_id")])],
    )
    return table.model_copy(update=changes)


def diagram(
    *tables: Table, related: bool = True, kind: DatabaseType = DatabaseType.POSTGRESQL
) -> Diagram:
    link = Relationship(
        name="children_parent_fkey",
        source_table_id="c",
        source_columns=["parent_id"],
        target_table_id="p",
        target_columns=["id"],
    )
    relationships = [link] if related else []
    return Diagram(name="d", database_type=kind, tables=list(tables), relationships=relationships)


def found(
    d: Diagram, rule: str, dialect: DatabaseType | None = None
) -> list[tuple[str, str | None]]:
    return [(f.table, f.column) for f in lint(d, dialect, include=[rule])]


CLEAN = diagram(parent(), child())


def test_the_clean_diagram_has_no_findings_at_all() -> None:
    assert lint(CLEAN) == []


def test_no_primary_key() -> None:
    keyless = child(primary_key=None)
    assert found(diagram(parent(), keyless), "no-primary-key") == [("children", None)]


def test_nullable_unique() -> None:
    unique = child(unique_constraints=[UniqueConstraint(columns=["code"])])
    assert found(diagram(parent(), unique), "nullable-unique") == [("children", "code")]
    not_null = child(
        columns=[col("id"), col("parent_id"), col("code", "text")],
        unique_constraints=[UniqueConstraint(columns=["code"])],
    )
    assert found(diagram(parent(), not_null), "nullable-unique") == []


def test_fk_without_index_looks_at_leading_columns() -> None:
    unindexed = child(indexes=[])
    assert found(diagram(parent(), unindexed), "fk-without-index") == [("children", "parent_id")]
    trailing = child(
        indexes=[Index(name="i", parts=[IndexPart(column="code"), IndexPart(column="parent_id")])]
    )
    assert found(diagram(parent(), trailing), "fk-without-index") == [("children", "parent_id")]
    leading = child(
        indexes=[Index(name="i", parts=[IndexPart(column="parent_id"), IndexPart(column="code")])]
    )
    assert found(diagram(parent(), leading), "fk-without-index") == []


def test_a_partial_index_does_not_support_a_foreign_key() -> None:
    # Deletes in the parent look for every child row, and a partial index holds only some.
    partial = child(
        indexes=[Index(name="i", parts=[IndexPart(column="parent_id")], where="code IS NOT NULL")]
    )
    assert found(diagram(parent(), partial), "fk-without-index") == [("children", "parent_id")]


def test_fk_type_mismatch() -> None:
    wide = child(
        columns=[col("id"), col("parent_id", "bigint"), col("code", "text", nullable=True)]
    )
    findings = lint(diagram(parent(), wide), include=["fk-type-mismatch"])
    assert [(f.table, f.column) for f in findings] == [("children", "parent_id")]
    assert "bigint" in findings[0].message and "integer" in findings[0].suggestion


def test_duplicate_index_against_another_index_and_the_primary_key() -> None:
    twice = child(
        indexes=[
            Index(name="a", parts=[IndexPart(column="parent_id")]),
            Index(name="b", parts=[IndexPart(column="parent_id")]),
            Index(name="on_key", parts=[IndexPart(column="id")]),
        ]
    )
    messages = [f.message for f in lint(diagram(parent(), twice), include=["duplicate-index"])]
    assert messages == [
        "Index 'b' (parent_id) repeats index 'a'.",
        "Index 'on_key' (id) repeats the primary key.",
    ]
    partial = child(
        indexes=[
            Index(name="a", parts=[IndexPart(column="parent_id")]),
            Index(name="b", parts=[IndexPart(column="parent_id")], where="code IS NULL"),
        ]
    )
    assert found(diagram(parent(), partial), "duplicate-index") == []


def test_redundant_index_is_a_prefix_of_a_longer_one() -> None:
    prefix = child(
        indexes=[
            Index(name="short", parts=[IndexPart(column="parent_id")]),
            Index(name="long", parts=[IndexPart(column="parent_id"), IndexPart(column="code")]),
        ]
    )
    findings = lint(diagram(parent(), prefix), include=["redundant-index"])
    assert [f.message.split(" is ")[0] for f in findings] == ["Index 'short' (parent_id)"]
    unique = prefix.model_copy(
        update={
            "indexes": [prefix.indexes[0].model_copy(update={"unique": True}), prefix.indexes[1]]
        }
    )
    assert found(diagram(parent(), unique), "redundant-index") == []


@pytest.mark.parametrize(
    ("dialect", "name", "reserved"),
    [
        (DatabaseType.POSTGRESQL, "user", True),
        (DatabaseType.POSTGRESQL, "comment", False),
        (DatabaseType.ORACLE, "comment", True),
        (DatabaseType.MYSQL, "key", True),
        (DatabaseType.MYSQL, "rank", True),
        # MariaDB takes MySQL 8's window-function words as plain names, and reserves a few
        # of its own.
        (DatabaseType.MARIADB, "rank", False),
        (DatabaseType.MARIADB, "system", False),
        (DatabaseType.MARIADB, "key", True),
        (DatabaseType.MARIADB, "returning", True),
        (DatabaseType.SQLITE, "action", True),
        (DatabaseType.SQLSERVER, "percent", True),
        (DatabaseType.SQLSERVER, "title", False),
    ],
)
def test_reserved_word_per_dialect(dialect: DatabaseType, name: str, reserved: bool) -> None:
    named = child(columns=[col("id"), col("parent_id"), col(name, "text", nullable=True)])
    expected = [("children", name)] if reserved else []
    assert found(diagram(parent(), named), "reserved-word", dialect) == expected


@pytest.mark.parametrize(
    ("dialect", "length", "findings"),
    [
        (DatabaseType.POSTGRESQL, 63, 0),
        (DatabaseType.POSTGRESQL, 64, 1),
        (DatabaseType.MYSQL, 64, 0),
        (DatabaseType.MARIADB, 65, 1),
        (DatabaseType.SQLSERVER, 128, 0),
        (DatabaseType.SQLSERVER, 129, 1),
        (DatabaseType.ORACLE, 30, 0),
        (DatabaseType.ORACLE, 31, 1),
        (DatabaseType.ORACLE, 129, 1),
        (DatabaseType.SQLITE, 500, 0),
    ],
)
def test_identifier_too_long_per_dialect(dialect: DatabaseType, length: int, findings: int) -> None:
    long_name = "c" * length
    named = child(columns=[col("id"), col("parent_id"), col(long_name, "text", nullable=True)])
    assert len(found(diagram(parent(), named), "identifier-too-long", dialect)) == findings


def test_postgres_counts_bytes_not_characters() -> None:
    named = child(columns=[col("id"), col("parent_id"), col("é" * 32, "text", nullable=True)])
    assert len(found(diagram(parent(), named), "identifier-too-long")) == 1


def test_no_relations() -> None:
    assert found(diagram(parent(), child(), related=False), "no-relations") == [
        ("children", None),
        ("parents", None),
    ]


def test_rules_can_be_chosen_and_unknown_ones_are_refused() -> None:
    messy = diagram(parent(), child(primary_key=None, indexes=[]), related=True)
    rules = {f.rule for f in lint(messy, exclude=["no-primary-key"])}
    assert rules == {"fk-without-index"}
    with pytest.raises(InvalidInput, match="'no-such'"):
        lint(messy, include=["no-such"])
    assert len(RULES) == 9


def test_findings_are_ordered_the_same_way_every_time() -> None:
    messy = diagram(parent(), child(primary_key=None, indexes=[]), related=False)
    first = lint(messy)
    assert [f.rule for f in first] == ["no-primary-key", "no-relations", "no-relations"]
    assert lint(messy) == first
