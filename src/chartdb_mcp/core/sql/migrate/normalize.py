"""Make two diagrams differ only where their databases would: what merely looks different
is copied from the old side into the new one before the diff.

- types that are aliases in the dialect (`int4`/`integer`, `varchar`/`character
  varying`, `bool`/`tinyint(1)`), by `normalize_type`;
- defaults and generated expressions that differ only by casts of literals, outer
  parentheses, identifier quotes, case or spacing (`('x'::text)` and `'x'`,
  `CURRENT_TIMESTAMP` and `current_timestamp()`);
- NOT NULL on primary key columns, which every database implies;
- primary keys, uniques, indexes, checks and foreign keys with the same columns (and
  expression, for checks) but another name or id: matched by columns, not names;
- indexes MySQL and MariaDB create for a foreign key, kept while the key stays;
- SQLite's own `sqlite_autoindex_*` indexes, dropped from both sides.
"""

from collections.abc import Callable, Sequence
from typing import Any, TypeVar

from chartdb_mcp.core.model import (
    Column,
    DatabaseType,
    Diagram,
    Index,
    ReferentialAction,
    Relationship,
    Table,
    UniqueConstraint,
)
from chartdb_mcp.core.sql.migrate.spelling import (
    bare_expression,
    expression_of,
    same_default,
    same_type,
)

Item = TypeVar("Item")
MYSQL_FAMILY = {DatabaseType.MYSQL, DatabaseType.MARIADB}
SQLITE_AUTOINDEX = "sqlite_autoindex_"


def normalize_pair(old: Diagram, new: Diagram, dialect: DatabaseType) -> tuple[Diagram, Diagram]:
    """`old` and `new` with look-alike differences removed (see the module docstring)."""
    old = without_autoindexes(old, dialect)
    new = without_autoindexes(new, dialect)
    old = old.model_copy(update={"tables": [key_not_null(table) for table in old.tables]})
    old_tables = {table.id: table for table in old.tables}
    tables = []
    for table in new.tables:
        keyed = key_not_null(table)
        match = old_tables.get(table.id)
        tables.append(keyed if match is None else settle_table(match, keyed, dialect, new))
    relationships = match_items(
        old.relationships, new.relationships, lambda r: relationship_shape(r, dialect)
    )
    relationships = ordered_like(old.relationships, relationships)
    return old, new.model_copy(update={"tables": tables, "relationships": relationships})


def without_autoindexes(diagram: Diagram, dialect: DatabaseType) -> Diagram:
    """The diagram without the indexes SQLite makes for its own constraints."""
    if dialect != DatabaseType.SQLITE:
        return diagram
    tables = [
        table.model_copy(
            update={
                "indexes": [i for i in table.indexes if not i.name.startswith(SQLITE_AUTOINDEX)]
            }
        )
        for table in diagram.tables
    ]
    return diagram.model_copy(update={"tables": tables})


def key_not_null(table: Table) -> Table:
    """The table with its primary key columns marked NOT NULL, as the database has them."""
    if table.primary_key is None:
        return table
    keyed = set(table.primary_key.columns)
    columns = [
        column.model_copy(update={"nullable": False}) if column.name in keyed else column
        for column in table.columns
    ]
    return table.model_copy(update={"columns": columns})


def settle_table(old: Table, new: Table, dialect: DatabaseType, new_diagram: Diagram) -> Table:
    """`new` with the old spelling of each type, default and constraint that means the same."""
    if dialect in MYSQL_FAMILY:
        new = uniques_as_old(old, new)
    old_columns = {column.id: column for column in old.columns}
    columns = [settle_column(old_columns.get(c.id), c, dialect) for c in new.columns]
    primary_key = new.primary_key
    if (
        old.primary_key
        and new.primary_key
        and column_ids(old, old.primary_key.columns) == column_ids(new, new.primary_key.columns)
    ):
        # the old name, but the new side's column names: a renamed column is renamed
        primary_key = new.primary_key.model_copy(update={"name": old.primary_key.name})
    indexes = match_items(
        old.indexes,
        new.indexes,
        lambda index: index_shape(old, index, dialect),
        lambda index: index_shape(new, index, dialect),
    )
    indexes = [with_new_columns(index, new.indexes) for index in indexes]
    indexes = indexes + implicit_indexes(old, new, indexes, dialect, new_diagram)
    indexes = [i for i in indexes if not made_by_mysql(old, new, i, dialect, new_diagram)]
    uniques = match_items(
        old.unique_constraints, new.unique_constraints, lambda u: tuple(u.columns)
    )
    checks = match_items(old.checks, new.checks, lambda c: bare_expression(c.expression, dialect))
    return new.model_copy(
        update={
            "columns": columns,
            "primary_key": primary_key,
            "indexes": ordered_like(old.indexes, indexes),
            "unique_constraints": ordered_like(old.unique_constraints, uniques),
            "checks": ordered_like(old.checks, checks),
            "sync": old.sync,  # where and when a table was read is not schema
        }
    )


def settle_column(old: Column | None, new: Column, dialect: DatabaseType) -> Column:
    """`new` with `old`'s type and default text where the two mean the same."""
    if old is None:
        return new
    changes: dict[str, Any] = {}
    if same_type(old.type, new.type, dialect):
        changes.update(type=old.type, normalized_type=old.normalized_type)
    if old.default != new.default and same_default(old.default, new.default, dialect):
        changes["default"] = old.default
    if old.on_update != new.on_update and same_default(old.on_update, new.on_update, dialect):
        changes["on_update"] = old.on_update
    if (
        old.generated is not None
        and new.generated is not None
        and bare_expression(old.generated, dialect) == bare_expression(new.generated, dialect)
    ):
        changes["generated"] = old.generated
    if old.comment != new.comment and not (old.comment or new.comment):
        changes["comment"] = old.comment  # an empty comment and none are the same
    return new.model_copy(update=changes) if changes else new


def column_ids(table: Table, names: Sequence[str]) -> list[str]:
    """The ids of the named columns, in order."""
    by_name = {column.name: column.id for column in table.columns}
    return [by_name.get(name, name) for name in names]


def index_shape(table: Table, index: Index, dialect: DatabaseType) -> Any:
    """An index as its columns by id, expressions, order, uniqueness, predicate and method."""
    parts = tuple(
        (
            column_ids(table, [part.column])[0]
            if part.column
            else expression_of(part.expression, dialect),
            part.descending,
        )
        for part in index.parts
    )
    method = (index.method or "btree").lower()
    include = tuple(column_ids(table, index.include))
    where = bare_expression(index.where, dialect) if index.where else ""
    return parts, index.unique, where, method, include


def with_new_columns(index: Index, new_indexes: Sequence[Index]) -> Index:
    """An index matched to its old self, naming its columns as the new side does.

    The match is by column id, so a column renamed since is the same column; the old
    spelling of expressions stays, the new column names are taken.
    """
    twin = next((i for i in new_indexes if i.id == index.id), None)
    if twin is None or twin is index or len(twin.parts) != len(index.parts):
        return index
    parts = [
        part.model_copy(update={"column": other.column}) if part.column else part
        for part, other in zip(index.parts, twin.parts, strict=True)
    ]
    return index.model_copy(update={"parts": parts, "include": twin.include})


def relationship_shape(relationship: Relationship, dialect: DatabaseType) -> Any:
    """A foreign key as its two ends, columns and actions (its name does not matter)."""
    actions = [relationship.on_delete, relationship.on_update]
    if dialect in MYSQL_FAMILY:
        # https://dev.mysql.com/doc/refman/8.0/en/create-table-foreign-keys.html: in
        # InnoDB NO ACTION is RESTRICT, and the server reports it as RESTRICT.
        actions = [
            ReferentialAction.NO_ACTION if a == ReferentialAction.RESTRICT else a for a in actions
        ]
    return (
        relationship.source_table_id,
        tuple(relationship.source_columns),
        relationship.target_table_id,
        tuple(relationship.target_columns),
        *actions,
    )


def ordered_like(old: Sequence[Item], items: Sequence[Item]) -> list[Item]:
    """`items` with those the old side has in the old order, then the new ones.

    A database has no order among indexes, keys or foreign keys; the diff does.
    """
    place = {item.id: number for number, item in enumerate(old)}  # type: ignore[attr-defined]
    return sorted(items, key=lambda item: place.get(item.id, len(place)))  # type: ignore[attr-defined]


def match_items(
    old: Sequence[Item],
    new: Sequence[Item],
    shape: Callable[[Item], Any],
    new_shape: Callable[[Item], Any] | None = None,
) -> list[Item]:
    """`new` where each item that has the shape of an old one becomes that old item: by
    id first, then, for items the old side lacks, by an unmatched old item's shape
    (`new_shape` reads the new side, if given)."""
    read_new = new_shape or shape
    by_id = {item.id: item for item in old}  # type: ignore[attr-defined]
    new = [
        by_id[item.id]  # type: ignore[attr-defined]
        if item.id in by_id and shape(by_id[item.id]) == read_new(item)  # type: ignore[attr-defined]
        else item
        for item in new
    ]
    new_ids = {item.id for item in new}  # type: ignore[attr-defined]
    old_ids = {item.id for item in old}  # type: ignore[attr-defined]
    spare: dict[Any, Any] = {}
    for item in old:
        if item.id not in new_ids:  # type: ignore[attr-defined]
            spare.setdefault(shape(item), item)
    result = []
    for item in new:
        twin = None
        if item.id not in old_ids:  # type: ignore[attr-defined]
            twin = spare.pop(read_new(item), None)
        if twin is None:
            result.append(item)
        else:
            result.append(item.model_copy(update={"id": twin.id, "name": twin.name}))  # type: ignore[attr-defined]
    return result


def implicit_indexes(
    old: Table, new: Table, kept: list[Index], dialect: DatabaseType, new_diagram: Diagram
) -> list[Index]:
    """Old indexes MySQL made for a foreign key that `new` still has: kept, not dropped."""
    if dialect not in MYSQL_FAMILY:
        return []
    kept_ids = {index.id for index in kept}
    keys = [
        column_ids(new, relationship.source_columns)
        for relationship in new_diagram.relationships
        if relationship.source_table_id == new.id
    ]
    found = []
    for index in old.indexes:
        if index.id in kept_ids or any(part.column is None for part in index.parts):
            continue
        leading = column_ids(old, [part.column or "" for part in index.parts])
        if (
            any(leading[: len(key)] == key for key in keys)
            and covered_elsewhere(new, leading, kept) is False
        ):
            found.append(index)
    return found


def made_by_mysql(
    old: Table, new: Table, index: Index, dialect: DatabaseType, new_diagram: Diagram
) -> bool:
    """A new-side index MySQL made itself for a foreign key: named as the key, on its
    columns, and absent from the old side. Creating it would repeat MySQL's own."""
    if dialect not in MYSQL_FAMILY or index.unique or any(i.id == index.id for i in old.indexes):
        return False
    if any(i.name == index.name for i in old.indexes):
        return False
    return any(
        r.source_table_id == new.id and r.name == index.name and r.source_columns == index.columns
        for r in new_diagram.relationships
    )


def covered_elsewhere(table: Table, columns: list[str], indexes: list[Index]) -> bool:
    """Whether another index of `table` already leads with `columns`."""
    for index in indexes:
        if any(part.column is None for part in index.parts):
            continue
        if (
            column_ids(table, [part.column or "" for part in index.parts])[: len(columns)]
            == columns
        ):
            return True
    return False


def uniques_as_old(old: Table, new: Table) -> Table:
    """MySQL keeps a UNIQUE constraint as a unique index: spell each one as `old` does."""
    old_index = {tuple(i.columns): i for i in old.indexes if plain_unique(i)}
    old_unique = {tuple(u.columns): u for u in old.unique_constraints}
    uniques: list[UniqueConstraint] = []
    indexes = list(new.indexes)
    for unique in new.unique_constraints:
        twin = old_index.get(tuple(unique.columns))
        if twin is not None and tuple(unique.columns) not in old_unique:
            indexes.append(twin)
        else:
            uniques.append(unique)
    for index in new.indexes:
        columns = tuple(index.columns)
        if plain_unique(index) and columns in old_unique and columns not in old_index:
            indexes.remove(index)
            uniques.append(old_unique[columns])
    return new.model_copy(update={"unique_constraints": uniques, "indexes": indexes})


def plain_unique(index: Index) -> bool:
    """A unique index over plain ascending columns, with no predicate."""
    return (
        index.unique
        and index.where is None
        and all(part.column is not None and not part.descending for part in index.parts)
    )


# https://www.postgresql.org/docs/current/sql-createtable.html: names are cut at 63 bytes.
POSTGRES_NAME_LENGTH = 63


def named_uniques(diagram: Diagram, dialect: DatabaseType) -> Diagram:
    """The diagram with each unnamed UNIQUE (and, on PostgreSQL, foreign key) given the
    name its database gives it, so that a later ALTER can drop it by name:
    `<table>_<columns>_key` and `<table>_<columns>_fkey` on PostgreSQL, the first column
    for a MySQL UNIQUE. SQLite names none (its constraints change by rebuild); MySQL
    numbers unnamed foreign keys by creation order, which a diagram cannot know."""
    if dialect == DatabaseType.SQLITE:
        return diagram
    tables = []
    for table in diagram.tables:
        uniques = [
            unique
            if unique.name is not None
            else unique.model_copy(update={"name": default_unique_name(table, unique, dialect)})
            for unique in table.unique_constraints
        ]
        tables.append(table.model_copy(update={"unique_constraints": uniques}))
    relationships = diagram.relationships
    if dialect == DatabaseType.POSTGRESQL:
        names = {table.id: table.name for table in diagram.tables}
        relationships = [
            r
            if r.name is not None
            else r.model_copy(
                update={
                    "name": f"{names[r.source_table_id]}_{'_'.join(r.source_columns)}_fkey"[
                        :POSTGRES_NAME_LENGTH
                    ]
                }
            )
            for r in relationships
        ]
    return diagram.model_copy(update={"tables": tables, "relationships": relationships})


def default_unique_name(table: Table, unique: UniqueConstraint, dialect: DatabaseType) -> str:
    """The name the database gives an unnamed UNIQUE constraint."""
    if dialect == DatabaseType.POSTGRESQL:
        return f"{table.name}_{'_'.join(unique.columns)}_key"[:POSTGRES_NAME_LENGTH]
    return unique.columns[0]
