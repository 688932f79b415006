"""Design rules for the ops a person or the assistant proposes, beyond what can apply.

An op that applies cleanly can still describe a schema that a database would refuse or
that is surely a mistake. These rules hold proposals to the standard of a strict
database (PostgreSQL's, unless the diagram's dialect says otherwise):

refused
    a table without columns, or dropping its last column; dropping a column that a
    check, an index predicate or expression, or a generated column mentions; an
    `alter_column` or `alter_type` that gives no field; an enum with repeated labels; a
    relationship, unique constraint or index identical to one the table has; a
    relationship whose target columns are not a key of the target table (allowed with a
    warning on MySQL/MariaDB); SET NULL on a NOT NULL column; removing a key that
    relationships refer to; a colour that is not `#rgb`, `#rrggbb` or `#rrggbbaa`; a
    name or type with a line break or a control character (see `ops.names`); a new
    name equal to a neighbour's but for case where the dialect ignores case (see
    `ops.case_names`; elsewhere a warning).
warned
    a unique constraint on exactly the primary key's columns (it adds nothing).

They run where proposals are checked (propose, revise, apply), not when the diff
replays the changes between two stored versions: those versions are what they are.
"""

import re
from collections import Counter
from collections.abc import Callable
from typing import Any

from chartdb_mcp.core.edit.ops.base import resolve_table
from chartdb_mcp.core.edit.ops.case_names import check_case_clashes
from chartdb_mcp.core.edit.ops.checks import AddCheck
from chartdb_mcp.core.edit.ops.columns import ALTERABLE, AlterColumn, DropColumn
from chartdb_mcp.core.edit.ops.custom_types import AlterType, CreateType, given_changes
from chartdb_mcp.core.edit.ops.indexes import AddIndex
from chartdb_mcp.core.edit.ops.keys import AddUnique
from chartdb_mcp.core.edit.ops.labels import check_label, columns_text, relationship_label
from chartdb_mcp.core.edit.ops.lookup import link_of, relationship_maps, table_with_id
from chartdb_mcp.core.edit.ops.names import check_printable_names
from chartdb_mcp.core.edit.ops.presentation import SetColor
from chartdb_mcp.core.edit.ops.relationships import AddRelationship, built
from chartdb_mcp.core.edit.ops.tables import CreateTable
from chartdb_mcp.core.edit.ops.union import ChangeOp
from chartdb_mcp.core.model import (
    CustomTypeKind,
    DatabaseType,
    Diagram,
    Index,
    ReferentialAction,
    Relationship,
    Table,
)
from chartdb_mcp.errors import InvalidChange

Rule = Callable[[Any, Diagram, Diagram], list[str]]

COLOR = re.compile(r"#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6}|[0-9a-fA-F]{8})")
# InnoDB lets a foreign key reference any indexed columns, not only a key; it is legal
# there, though discouraged: https://dev.mysql.com/doc/refman/8.0/en/create-table-foreign-keys.html
NON_KEY_TARGETS_ALLOWED = {DatabaseType.MYSQL, DatabaseType.MARIADB}


def check_design(op: ChangeOp, before: Diagram, after: Diagram) -> list[str]:
    """Warnings about the op under the design rules; InvalidChange for what they refuse.

    `before` and `after` are the diagram just before and just after the op.
    """
    check_printable_names(op.model_dump())
    warnings = check_case_clashes(op, before, after)
    rule = RULES.get(op.kind)
    return warnings + (rule(op, before, after) if rule is not None else [])


# tables and columns


def create_table_rule(op: CreateTable, before: Diagram, after: Diagram) -> list[str]:
    """A new table needs a column, a valid colour, and no repeated keys or indexes."""
    table = op.table
    if not table.columns:
        raise InvalidChange(
            f"Table {table.qualified_name!r} has no columns; a table needs at least one."
        )
    check_color(table.color, table.qualified_name)
    for number, unique in enumerate(table.unique_constraints):
        repeated = unique_twin(table.unique_constraints[:number], unique.columns)
        if repeated:
            raise InvalidChange(
                f"Table {table.qualified_name!r} repeats the unique constraint on "
                f"{columns_text(unique.columns)}."
            )
    for number, index in enumerate(table.indexes):
        if index_twin(table.indexes[:number], index) is not None:
            raise InvalidChange(
                f"Table {table.qualified_name!r} repeats index {index.name!r} "
                f"{columns_text(index.columns)}."
            )
    return pk_unique_warnings(table)


def drop_column_rule(op: DropColumn, before: Diagram, after: Diagram) -> list[str]:
    """Refuse dropping the last column, or one that SQL text in the table mentions."""
    table = resolve_table(op, before)
    if len(table.columns) == 1:
        raise InvalidChange(
            f"Column {op.column!r} is the last column of table {op.table!r}; a table needs "
            "at least one. Drop the table instead."
        )
    mentions = sql_mentions(table, op.column)
    if mentions:
        raise InvalidChange(
            f"Column {op.column!r} of table {op.table!r} cannot be dropped; "
            f"{', '.join(mentions)} {'mentions' if len(mentions) == 1 else 'mention'} it. "
            "Drop or change those first."
        )
    return []


def sql_mentions(table: Table, column: str) -> list[str]:
    """What in the table names the column in SQL text: checks, index predicates and
    expressions, generated columns."""
    word = re.compile(rf"(?<!\w){re.escape(column)}(?!\w)")
    found = [check_label(check) for check in table.checks if word.search(check.expression)]
    for index in table.indexes:
        if index.where and word.search(index.where):
            found.append(f"the predicate of index {index.name!r}")
        if any(part.expression and word.search(part.expression) for part in index.parts):
            found.append(f"an expression of index {index.name!r}")
    found += [
        f"generated column {other.name!r}"
        for other in table.columns
        if other.name != column and other.generated and word.search(other.generated)
    ]
    return found


def alter_column_rule(op: AlterColumn, before: Diagram, after: Diagram) -> list[str]:
    """Refuse an alter that gives no field, or NOT NULL under a SET NULL relationship."""
    if not any(name in op.model_fields_set for name in ALTERABLE):
        raise InvalidChange(
            f"The alter_column of column {op.column!r} of table {op.table!r} gives no field "
            f"to change; give at least one of {', '.join(ALTERABLE)}."
        )
    if op.nullable is False:
        table = resolve_table(op, before)
        for relationship in before.relationships_of(table.id):
            if relationship.source_table_id == table.id and op.column in set_null_columns(
                relationship
            ):
                raise InvalidChange(
                    f"Column {op.column!r} of table {op.table!r} cannot be NOT NULL: "
                    f"{relationship_label(relationship, before)} sets it to NULL "
                    f"{set_null_events(relationship)}."
                )
    return []


# keys, indexes, relationships


def add_unique_rule(op: AddUnique, before: Diagram, after: Diagram) -> list[str]:
    """Refuse a unique constraint the table already has; warn when it repeats the key."""
    table = resolve_table(op, before)
    twin = unique_twin(table.unique_constraints, op.constraint.columns)
    if twin:
        raise InvalidChange(
            f"Table {op.table!r} already has a unique constraint on "
            f"{columns_text(op.constraint.columns)}: {twin}."
        )
    key = table.primary_key
    if key is not None and set(key.columns) == set(op.constraint.columns):
        return [
            f"The unique constraint on {columns_text(op.constraint.columns)} of table "
            f"{op.table!r} repeats its primary key and adds nothing."
        ]
    return []


def unique_twin(existing: list[Any], columns: list[str]) -> str | None:
    """The label of a unique constraint in `existing` over the same columns, if any."""
    for unique in existing:
        if unique.columns == columns:
            return str(unique.name or columns_text(unique.columns))
    return None


def pk_unique_warnings(table: Table) -> list[str]:
    """A warning per unique constraint of the new table that repeats its primary key."""
    key = table.primary_key
    if key is None:
        return []
    return [
        f"The unique constraint on {columns_text(unique.columns)} of table "
        f"{table.qualified_name!r} repeats its primary key and adds nothing."
        for unique in table.unique_constraints
        if set(unique.columns) == set(key.columns)
    ]


def add_index_rule(op: AddIndex, before: Diagram, after: Diagram) -> list[str]:
    """Refuse an index identical to one the table already has."""
    table = resolve_table(op, before)
    twin = index_twin(table.indexes, op.index)
    if twin is not None:
        raise InvalidChange(
            f"Table {op.table!r} already has index {twin.name!r} on "
            f"{columns_text(twin.columns)}, the same as {op.index.name!r}."
        )
    return []


def index_twin(existing: list[Index], index: Index) -> Index | None:
    """An index in `existing` with the same definition (name aside), if any."""
    shape = index_shape(index)
    return next((other for other in existing if index_shape(other) == shape), None)


def index_shape(index: Index) -> tuple[Any, ...]:
    """What makes two indexes the same, whatever they are called."""
    parts = tuple((p.column, p.expression, p.descending) for p in index.parts)
    return (parts, index.unique, (index.method or "btree").lower(), index.where, index.include)


def add_relationship_rule(op: AddRelationship, before: Diagram, after: Diagram) -> list[str]:
    """Refuse a repeated relationship, a target that is not a key, SET NULL on NOT NULL."""
    added = built(op, before)
    twin = relationship_maps(before).links.get(link_of(added))
    if twin is not None:
        raise InvalidChange(
            f"The relationship repeats {relationship_label(twin, before)}, which already "
            "links the same columns."
        )
    source = table_with_id(after, added.source_table_id)
    target = table_with_id(after, added.target_table_id)
    assert source is not None and target is not None  # the op resolved both ends
    warnings = []
    if set(added.target_columns) not in target.unique_column_sets():
        problem = (
            f"The target columns {columns_text(added.target_columns)} are not the primary "
            f"key or a unique key of table {target.qualified_name!r}"
        )
        if after.database_type not in NON_KEY_TARGETS_ALLOWED:
            raise InvalidChange(
                f"{problem}; a foreign key must reference one. Add a unique constraint on "
                "them first, or reference the key."
            )
        warnings.append(
            f"{problem}; {after.database_type.value} allows it, other databases do not."
        )
    not_null = [
        name
        for name in set_null_columns(added)
        if (column := source.column(name)) is not None and not column.nullable
    ]
    if not_null:
        raise InvalidChange(
            f"The relationship sets {not_null} of table {source.qualified_name!r} to NULL "
            f"{set_null_events(added)}, but they are NOT NULL. Make them nullable, or choose "
            "another action."
        )
    return warnings


def set_null_columns(relationship: Relationship) -> list[str]:
    """The source columns the relationship sets to NULL on a delete or an update."""
    actions = {relationship.on_delete, relationship.on_update}
    return list(relationship.source_columns) if ReferentialAction.SET_NULL in actions else []


def set_null_events(relationship: Relationship) -> str:
    """`ON DELETE`, `ON UPDATE` or both, for the events that set NULL."""
    events = [
        f"ON {event}"
        for event, action in (
            ("DELETE", relationship.on_delete),
            ("UPDATE", relationship.on_update),
        )
        if action is ReferentialAction.SET_NULL
    ]
    return " and ".join(events)


def key_removal_rule(op: Any, before: Diagram, after: Diagram) -> list[str]:
    """Refuse a change to a table's keys that leaves a relationship without its key."""
    table = resolve_table(op, before)
    changed = table_with_id(after, table.id)
    assert changed is not None  # key ops never remove the table
    before_keys, after_keys = table.unique_column_sets(), changed.unique_column_sets()
    for relationship in after.relationships:
        if relationship.target_table_id != table.id:
            continue
        columns = set(relationship.target_columns)
        if columns in before_keys and columns not in after_keys:
            raise InvalidChange(
                f"The key {columns_text(relationship.target_columns)} of table {op.table!r} "
                f"cannot go: {relationship_label(relationship, after)} refers to it. Drop "
                "that relationship first."
            )
    return []


# presentation and custom types


def set_color_rule(op: SetColor, before: Diagram, after: Diagram) -> list[str]:
    """Refuse a colour that is not a hex colour."""
    check_color(op.color, op.table)
    return []


def check_color(color: str | None, table: str) -> None:
    """Refuse a colour other than `#rgb`, `#rrggbb` or `#rrggbbaa` (none is fine)."""
    if color is not None and not COLOR.fullmatch(color):
        raise InvalidChange(
            f"The colour {color!r} for table {table!r} is not a hex colour such as '#4dabf7'."
        )


def create_type_rule(op: CreateType, before: Diagram, after: Diagram) -> list[str]:
    """Refuse an enum that repeats a label."""
    if op.type.kind is CustomTypeKind.ENUM:
        repeated = [label for label, count in Counter(op.type.values).items() if count > 1]
        if repeated:
            raise InvalidChange(f"Enum {op.type.qualified_name!r} repeats labels {repeated}.")
    return []


def alter_type_rule(op: AlterType, before: Diagram, after: Diagram) -> list[str]:
    """Refuse an alter_type that gives neither a field nor a new name."""
    if not given_changes(op) and op.new_name is None:
        raise InvalidChange(
            f"The alter_type of {op.type!r} gives nothing to change; give a new name or at "
            "least one of values, base_type, nullable, default, checks, fields."
        )
    return []


def add_check_rule(op: AddCheck, before: Diagram, after: Diagram) -> list[str]:
    """Refuse a check whose expression the table already checks."""
    table = resolve_table(op, before)
    twin = next((c for c in table.checks if c.expression == op.check.expression), None)
    if twin is not None:
        raise InvalidChange(f"Table {op.table!r} already has {check_label(twin)}.")
    return []


RULES: dict[str, Rule] = {
    "create_table": create_table_rule,
    "drop_column": drop_column_rule,
    "alter_column": alter_column_rule,
    "add_unique": add_unique_rule,
    "add_index": add_index_rule,
    "add_check": add_check_rule,
    "add_relationship": add_relationship_rule,
    "set_primary_key": key_removal_rule,
    "drop_unique": key_removal_rule,
    "drop_index": key_removal_rule,
    "set_color": set_color_rule,
    "create_type": create_type_rule,
    "alter_type": alter_type_rule,
}

__all__ = ["RULES", "check_design"]
