"""Foreign keys from specs: the add-relationship tool and inline column `references`."""

from collections.abc import Sequence
from dataclasses import dataclass

from chartdb_mcp.core.edit.ops import AddRelationship, ChangeOp
from chartdb_mcp.core.edit.specs.common import FreshNames, find_table, joined, taken_names
from chartdb_mcp.core.edit.specs.inputs import ColumnSpec, RelationshipSpec
from chartdb_mcp.core.model import Diagram, Table
from chartdb_mcp.errors import InvalidChange, InvalidInput


@dataclass(frozen=True)
class Owner:
    """The table whose columns carry `references`, as it will be once its ops are applied.

    `address` and `table_id` are how ops reach it, `aliases` the names a reference may
    use for it (a self-reference), `columns` its column names after the change.
    """

    address: str
    table_id: str
    name: str
    aliases: frozenset[str]
    columns: frozenset[str]


def add_relationship_ops(spec: RelationshipSpec, diagram: Diagram) -> list[ChangeOp]:
    """One add_relationship op for the spec, named `{source}_{columns}_fkey` when unnamed.

    Raises TableNotFound for an unknown table, InvalidChange for columns a table lacks,
    InvalidInput when the column lists do not pair up or no target key can be inferred.
    """
    source = find_table(spec.source_table, diagram)
    target = find_table(spec.target_table, diagram)
    target_columns = spec.target_columns or target_key(target, spec.target_table)
    if len(target_columns) != len(spec.source_columns):
        raise InvalidInput(
            f"The relationship pairs {len(spec.source_columns)} source columns "
            f"{spec.source_columns} with {len(target_columns)} target columns {target_columns}."
        )
    require_columns(source, spec.source_columns, spec.source_table)
    require_columns(target, target_columns, spec.target_table)
    names = FreshNames(taken_names(diagram))
    op = AddRelationship(
        name=names.given_or_claim(spec.name, f"{source.name}_{joined(spec.source_columns)}_fkey"),
        source_table=spec.source_table,
        source_table_id=source.id,
        source_columns=spec.source_columns,
        target_table=spec.target_table,
        target_table_id=target.id,
        target_columns=target_columns,
        on_delete=spec.on_delete,
        on_update=spec.on_update,
    )
    return [op]


def target_key(target: Table, given: str) -> list[str]:
    """The target's primary key columns, which a relationship refers to by default."""
    if target.primary_key is None:
        raise InvalidInput(
            f"Table {given!r} has no primary key; give the target_columns to refer to."
        )
    return list(target.primary_key.columns)


def require_columns(table: Table, columns: Sequence[str], given: str) -> None:
    """Refuse column names the table does not have, quoting the table as the caller did."""
    missing = [name for name in columns if table.column(name) is None]
    if missing:
        raise InvalidChange(f"Table {given!r} has no columns named {missing}.")


def reference_ops(
    columns: Sequence[ColumnSpec], owner: Owner, diagram: Diagram, names: FreshNames
) -> list[ChangeOp]:
    """One add_relationship per column with `references`, named `{table}_{column}_fkey`."""
    ops: list[ChangeOp] = []
    for column in columns:
        if column.references is None:
            continue
        table, target_column = split_reference(column.references, column.name)
        if table in owner.aliases:
            address, table_id, known = owner.address, owner.table_id, owner.columns
        else:
            target = find_table(table, diagram)
            address, table_id = table, target.id
            known = frozenset(c.name for c in target.columns)
        if target_column not in known:
            raise InvalidChange(
                f"Column {column.name!r} references {column.references!r}, but table "
                f"{table!r} has no column named {target_column!r}."
            )
        add = AddRelationship(
            name=names.claim(f"{owner.name}_{column.name}_fkey"),
            source_table=owner.address,
            source_table_id=owner.table_id,
            source_columns=[column.name],
            target_table=address,
            target_table_id=table_id,
            target_columns=[target_column],
        )
        ops.append(add)
    return ops


def split_reference(reference: str, column: str) -> tuple[str, str]:
    """(`table` or `schema.table`, column) from `references` text; InvalidInput if malformed."""
    parts = [part.strip() for part in reference.split(".")]
    if len(parts) not in (2, 3) or not all(parts):
        raise InvalidInput(
            f"Column {column!r} references {reference!r}; write table.column or "
            "schema.table.column."
        )
    return ".".join(parts[:-1]), parts[-1]
