"""The create-table spec as ops: one create_table, then the foreign keys of its columns."""

from chartdb_mcp.core.edit.ops import ChangeOp, CreateTable
from chartdb_mcp.core.edit.ops.tables import check_name_free
from chartdb_mcp.core.edit.specs.common import (
    FreshNames,
    build_column,
    check_distinct,
    default_schema,
    joined,
    quoted,
    taken_names,
)
from chartdb_mcp.core.edit.specs.inputs import TableSpec
from chartdb_mcp.core.edit.specs.relate import Owner, reference_ops
from chartdb_mcp.core.model import (
    Diagram,
    Index,
    IndexPart,
    PrimaryKey,
    Table,
    UniqueConstraint,
)
from chartdb_mcp.errors import InvalidInput


def create_table_ops(spec: TableSpec, diagram: Diagram) -> list[ChangeOp]:
    """A create_table op for the spec, then one add_relationship per column `references`.

    Unnamed keys and indexes get generated names. Raises InvalidInput for a spec that
    contradicts itself (repeated columns, keys on unknown columns, two primary keys),
    InvalidChange for a taken table name or a reference to a missing column, and
    TableNotFound for a reference to a missing table.
    """
    columns = [column.name for column in spec.columns]
    check_distinct(columns, "columns", spec.name)
    check_distinct([i.name for i in spec.indexes if i.name], "index names", spec.name)
    key = primary_key_columns(spec)
    for what, names in [
        ("primary key", key),
        *[("unique constraint", unique) for unique in spec.unique],
        *[("index", index.columns) for index in spec.indexes],
    ]:
        check_known(names, columns, what, spec.name)

    schema_name = spec.schema_name or default_schema(diagram)
    check_name_free(schema_name, spec.name, diagram)
    explicit = {index.name for index in spec.indexes if index.name}
    fresh = FreshNames(taken_names(diagram) | explicit)
    table = Table(
        schema_name=schema_name,
        name=spec.name,
        columns=[build_column(c, diagram.database_type, c.name in key) for c in spec.columns],
        primary_key=PrimaryKey(name=fresh.claim(f"{spec.name}_pkey"), columns=key) if key else None,
        unique_constraints=[
            UniqueConstraint(name=fresh.claim(f"{spec.name}_{joined(unique)}_key"), columns=unique)
            for unique in [[c.name] for c in spec.columns if c.unique] + spec.unique
        ],
        indexes=[
            Index(
                name=fresh.given_or_claim(index.name, f"idx_{spec.name}_{joined(index.columns)}"),
                parts=[IndexPart(column=name) for name in index.columns],
                unique=index.unique,
                method=index.method,
            )
            for index in spec.indexes
        ],
        comment=spec.comment,
        status=spec.status,
    )
    owner = Owner(
        address=table.qualified_name,
        table_id=table.id,
        name=table.name,
        aliases=frozenset({table.name, table.qualified_name}),
        columns=frozenset(columns),
    )
    return [CreateTable(table=table), *reference_ops(spec.columns, owner, diagram, fresh)]


def primary_key_columns(spec: TableSpec) -> list[str]:
    """The key's columns: the explicit list, else the flagged columns (which it must include)."""
    flagged = [column.name for column in spec.columns if column.primary_key]
    if spec.primary_key is None:
        return flagged
    if not set(flagged) <= set(spec.primary_key):
        raise InvalidInput(
            f"Table {spec.name!r} gets primary key {spec.primary_key} but flags columns "
            f"{flagged} as primary_key; give the key one way only."
        )
    check_distinct(spec.primary_key, "primary key columns", spec.name)
    return list(spec.primary_key)


def check_known(names: list[str], columns: list[str], what: str, table: str) -> None:
    """Refuse a key or index over columns the spec does not define."""
    unknown = [name for name in names if name not in columns]
    if unknown:
        raise InvalidInput(
            f"The {what} of table {table!r} names columns it does not define: {quoted(unknown)}."
        )
