"""The modify-table spec as ops, ordered so that each op finds what it needs.

Drops come first (indexes, unique constraints, checks, a replaced primary key, then
columns), then column renames, alterations and additions, the new primary key, unique
constraints, indexes and checks, the foreign keys of added columns, comment, status and
color, and the table's rename last. Every op also carries the table's id, which wins
over its name, so the order follows dependencies rather than names.
"""

from dataclasses import dataclass
from typing import Any

from chartdb_mcp.core.edit.ops import (
    AddCheck,
    AddColumn,
    AddIndex,
    AddUnique,
    AlterColumn,
    ChangeOp,
    DropCheck,
    DropColumn,
    DropIndex,
    DropUnique,
    RenameColumn,
    RenameTable,
    SetColor,
    SetPrimaryKey,
    SetTableComment,
    SetTableStatus,
)
from chartdb_mcp.core.edit.specs.common import (
    FreshNames,
    build_column,
    check_distinct,
    find_table,
    joined,
    quoted,
    taken_names,
)
from chartdb_mcp.core.edit.specs.inputs import ColumnChange, TableChangesSpec
from chartdb_mcp.core.edit.specs.relate import Owner, reference_ops
from chartdb_mcp.core.model import (
    CheckConstraint,
    Diagram,
    Index,
    IndexPart,
    Table,
    UniqueConstraint,
)
from chartdb_mcp.errors import InvalidChange, InvalidInput


@dataclass(frozen=True)
class Target:
    """The table being changed: how ops address it, and its names before and after."""

    address: dict[str, Any]
    table: Table
    given: str
    final_name: str


@dataclass(frozen=True)
class ColumnPlan:
    """The table's columns once the change applies, and what the alterations address."""

    altered: list[tuple[str, ColumnChange]]
    final: list[str]
    nullable: dict[str, bool]


def modify_table_ops(spec: TableChangesSpec, diagram: Diagram) -> list[ChangeOp]:
    """The ops that make the requested changes to one table, in an order that applies.

    `drop_columns`, `rename_columns` and `alter_columns` name columns as they are now
    (an alteration may also use a column's new name); keys and indexes name them as they
    will be. Raises InvalidInput when nothing is asked or the spec contradicts itself,
    TableNotFound for an unknown table, InvalidChange for a column it does not have.
    Problems only applying reveals (e.g. dropping an indexed column) raise from apply_all.
    """
    if not spec.model_dump(exclude_defaults=True).keys() - {"table"}:
        raise InvalidInput(f"Nothing was asked for table {spec.table!r}; give at least one change.")
    table = find_table(spec.table, diagram)
    target = Target(
        {"table": spec.table, "table_id": table.id}, table, spec.table, spec.rename_to or table.name
    )
    key = new_key(spec, target)
    plan = plan_columns(spec, target, key)
    explicit = {index.name for index in spec.add_indexes if index.name}
    explicit |= {check.name for check in spec.add_checks if check.name}
    dropped = set(spec.drop_indexes) | set(spec.drop_unique) | set(spec.drop_checks)
    fresh = FreshNames((taken_names(diagram) - dropped) | explicit)
    return [
        *drop_ops(spec, target, key),
        *column_ops(spec, target, plan, key, diagram),
        *key_ops(target, plan, key, fresh),
        *constraint_ops(spec, target, fresh),
        *reference_ops(spec.add_columns, owner_of(spec, target, plan), diagram, fresh),
        *table_ops(spec, target),
    ]


def plan_columns(spec: TableChangesSpec, target: Target, key: list[str] | None) -> ColumnPlan:
    """Check the column names the spec uses and work out the columns after the change."""
    current = [column.name for column in target.table.columns]
    check_distinct(spec.drop_columns, "dropped columns", target.given)
    require(spec.drop_columns, current, "drop", target.given)
    kept = [name for name in current if name not in spec.drop_columns]
    renamed = [rename.column for rename in spec.rename_columns]
    check_distinct(renamed, "renamed columns", target.given)
    require(renamed, kept, "rename", target.given)
    renames = {rename.column: rename.new_name for rename in spec.rename_columns}
    final = [renames.get(name, name) for name in kept] + [c.name for c in spec.add_columns]
    check_distinct(final, "columns", target.given)
    altered = resolve_alterations(spec, target, kept, renames)

    if key is None and target.table.primary_key is not None:
        key = [renames.get(name, name) for name in target.table.primary_key.columns]
    in_key = set(key or [])
    refused = [name for name, change in altered if change.nullable and name in in_key]
    if refused:
        raise InvalidInput(
            f"Columns {quoted(refused)} of table {target.given!r} are in the primary key, "
            "which cannot be nullable."
        )
    nullable = {renames.get(c.name, c.name): c.nullable for c in target.table.columns}
    nullable |= {name: change.nullable for name, change in altered if change.nullable is not None}
    nullable |= {c.name: c.nullable and c.name not in in_key for c in spec.add_columns}
    return ColumnPlan(altered, final, nullable)


def resolve_alterations(
    spec: TableChangesSpec, target: Target, kept: list[str], renames: dict[str, str]
) -> list[tuple[str, ColumnChange]]:
    """Each alteration with the name its column has once renamed."""
    altered = []
    for change in spec.alter_columns:
        if change.column in kept:
            altered.append((renames.get(change.column, change.column), change))
        elif change.column in renames.values():
            altered.append((change.column, change))
        else:
            raise InvalidChange(
                f"Table {target.given!r} has no column named {change.column!r} to alter."
            )
    check_distinct([name for name, _ in altered], "altered columns", target.given)
    return altered


def require(names: list[str], known: list[str], verb: str, table: str) -> None:
    """Refuse names of columns the table does not have (or no longer has)."""
    missing = [name for name in names if name not in known]
    if missing:
        raise InvalidChange(f"Table {table!r} has no column named {quoted(missing)} to {verb}.")


def new_key(spec: TableChangesSpec, target: Target) -> list[str] | None:
    """The primary key the change sets: None leaves it alone, [] drops it."""
    flagged = [column.name for column in spec.add_columns if column.primary_key]
    current = target.table.primary_key
    if spec.primary_key is None and flagged and current is not None:
        raise InvalidInput(
            f"Table {target.given!r} already has primary key {current.columns}; give "
            f"primary_key to replace it with {flagged}."
        )
    if spec.primary_key is None:
        return flagged or None
    if not set(flagged) <= set(spec.primary_key):
        raise InvalidInput(
            f"Table {target.given!r} gets primary key {spec.primary_key} but flags columns "
            f"{flagged} as primary_key; give the key one way only."
        )
    check_distinct(spec.primary_key, "primary key columns", target.given)
    return list(spec.primary_key)


def drop_ops(spec: TableChangesSpec, target: Target, key: list[str] | None) -> list[ChangeOp]:
    """Drop indexes, constraints, the key when it goes or loses columns, then columns."""
    at = target.address
    ops: list[ChangeOp] = [DropIndex(**at, index=name) for name in spec.drop_indexes]
    ops += [DropUnique(**at, constraint=name) for name in spec.drop_unique]
    ops += [DropCheck(**at, check=name) for name in spec.drop_checks]
    current = target.table.primary_key
    loses = current is not None and bool(set(current.columns) & set(spec.drop_columns))
    if key == [] or (key and loses):
        ops.append(SetPrimaryKey(**at, columns=None))
    ops += [DropColumn(**at, column=name) for name in spec.drop_columns]
    return ops


def column_ops(
    spec: TableChangesSpec,
    target: Target,
    plan: ColumnPlan,
    key: list[str] | None,
    diagram: Diagram,
) -> list[ChangeOp]:
    """Rename, then alter (by the new names), then add columns at the end."""
    at = target.address
    ops: list[ChangeOp] = [
        RenameColumn(**at, column=rename.column, new_name=rename.new_name)
        for rename in spec.rename_columns
    ]
    ops += [alter_op(change, name, target) for name, change in plan.altered]
    in_key = set(key or [])
    ops += [
        AddColumn(**at, column=build_column(c, diagram.database_type, c.name in in_key))
        for c in spec.add_columns
    ]
    return ops


def alter_op(change: ColumnChange, column: str, target: Target) -> AlterColumn:
    """An alter_column op carrying only the fields the change sets (null removes)."""
    for field, drop in (("default", change.drop_default), ("comment", change.drop_comment)):
        if drop and getattr(change, field) is not None:
            raise InvalidInput(
                f"Column {change.column!r} of table {target.given!r} both sets and drops "
                f"its {field}."
            )
    fields: dict[str, object] = {
        name: getattr(change, name)
        for name in ("type", "nullable", "default", "comment")
        if getattr(change, name) is not None
    }
    if change.drop_default:
        fields["default"] = None
    if change.drop_comment:
        fields["comment"] = None
    if not fields:
        raise InvalidInput(
            f"The alteration of column {change.column!r} of table {target.given!r} changes nothing."
        )
    return AlterColumn.model_validate({**target.address, "column": column, **fields})


def key_ops(
    target: Target, plan: ColumnPlan, key: list[str] | None, fresh: FreshNames
) -> list[ChangeOp]:
    """Make the new key's columns NOT NULL, then set the key (keeping its name if it had one)."""
    if not key:
        return []
    at = target.address
    ops: list[ChangeOp] = [
        AlterColumn(**at, column=name, nullable=False)
        for name in key
        if plan.nullable.get(name, False)
    ]
    current = target.table.primary_key
    name = current.name if current is not None and current.name else None
    name = fresh.given_or_claim(name, f"{target.final_name}_pkey")
    ops.append(SetPrimaryKey(**at, columns=key, name=name))
    return ops


def constraint_ops(spec: TableChangesSpec, target: Target, fresh: FreshNames) -> list[ChangeOp]:
    """Add unique constraints (flagged added columns first), indexes and checks."""
    at, table = target.address, target.final_name
    uniques = [[c.name] for c in spec.add_columns if c.unique] + spec.add_unique
    ops: list[ChangeOp] = [
        AddUnique(
            **at,
            constraint=UniqueConstraint(
                name=fresh.claim(f"{table}_{joined(columns)}_key"), columns=columns
            ),
        )
        for columns in uniques
    ]
    ops += [
        AddIndex(
            **at,
            index=Index(
                name=fresh.given_or_claim(index.name, f"idx_{table}_{joined(index.columns)}"),
                parts=[IndexPart(column=name) for name in index.columns],
                unique=index.unique,
                method=index.method,
            ),
        )
        for index in spec.add_indexes
    ]
    ops += [
        AddCheck(
            **at,
            check=CheckConstraint(
                name=fresh.given_or_claim(check.name, f"{table}_check"),
                expression=check.expression,
            ),
        )
        for check in spec.add_checks
    ]
    return ops


def owner_of(spec: TableChangesSpec, target: Target, plan: ColumnPlan) -> Owner:
    """The changed table as the source of its added columns' references."""
    table = target.table
    aliases = {target.given, table.name, table.qualified_name}
    if spec.rename_to:
        renamed = table.model_copy(update={"name": spec.rename_to})
        aliases |= {renamed.name, renamed.qualified_name}
    return Owner(
        address=target.given,
        table_id=table.id,
        name=target.final_name,
        aliases=frozenset(aliases),
        columns=frozenset(plan.final),
    )


def table_ops(spec: TableChangesSpec, target: Target) -> list[ChangeOp]:
    """Comment, status and color, then the rename."""
    at = target.address
    if spec.comment is not None and spec.drop_comment:
        raise InvalidInput(f"Table {target.given!r} both sets and drops its comment.")
    ops: list[ChangeOp] = []
    if spec.comment is not None or spec.drop_comment:
        ops.append(SetTableComment(**at, comment=spec.comment))
    if spec.status is not None:
        ops.append(SetTableStatus(**at, status=spec.status))
    if spec.color is not None:
        ops.append(SetColor(**at, color=spec.color))
    if spec.rename_to is not None:
        ops.append(RenameTable(**at, new_name=spec.rename_to))
    return ops
