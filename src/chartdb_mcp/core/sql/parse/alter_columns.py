"""ALTER TABLE actions that redefine, retype, rename or move a column.

Migration scripts change columns after creating them: MySQL `MODIFY` and `CHANGE`
(with `FIRST` / `AFTER x`), PostgreSQL `ALTER COLUMN x TYPE t` and `RENAME COLUMN a TO
b`. A renamed column is renamed in the keys, indexes and foreign keys that name it, as
the database does; the column keeps its place (or moves where the script says).
"""

from chartdb_mcp.core.model import Column
from chartdb_mcp.core.sql.parse.columns import MYSQL_FAMILY, plain_text, read_type
from chartdb_mcp.core.sql.parse.drafts import ScriptState, TableDraft
from chartdb_mcp.core.sql.parse.tables import read_element
from chartdb_mcp.core.sql.parse.tokens import Cursor, ReadError
from chartdb_mcp.core.sql.types import normalize_type

TYPE_ENDS = frozenset({"USING", "COLLATE"})


def placement(cursor: Cursor, state: ScriptState) -> tuple[Cursor, str | None]:
    """The action without a trailing MySQL `FIRST` / `AFTER col`, and where it puts the column.

    The place is "" for FIRST, the column's name for AFTER, None when the script says none.
    """
    end = len(cursor.tokens)
    if state.database not in MYSQL_FAMILY or end - cursor.pos < 2:
        return cursor, None
    last = cursor.sub(end - 1, end)
    if last.is_word("FIRST"):
        return cursor.sub(cursor.pos, end - 1), ""
    if cursor.sub(end - 2, end - 1).is_word("AFTER"):
        return cursor.sub(cursor.pos, end - 2), last.name_part()
    return cursor, None


def add_placed_column(cursor: Cursor, state: ScriptState, table: TableDraft) -> None:
    """`ADD [COLUMN] definition [FIRST | AFTER col]`: a new column where it is put."""
    definition, place = placement(cursor, state)
    read_element(definition, state, table)
    move_column(table, table.columns[-1].name, place)


def redefine_column(
    cursor: Cursor, state: ScriptState, table: TableDraft, *, renames: bool
) -> None:
    """MySQL `MODIFY [COLUMN] definition` or `CHANGE [COLUMN] old definition`.

    The new definition replaces the old one in its place; the column keeps its id.
    """
    cursor.accept("COLUMN")
    old_name = cursor.name_part() if renames else cursor.sub(cursor.pos, cursor.pos + 1).name_part()
    old = existing_column(table, old_name)
    definition, place = placement(cursor, state)
    position = table.columns.index(old)
    del table.columns[position]
    try:
        read_element(definition, state, table)
    except ReadError:
        table.columns.insert(position, old)
        raise
    new = table.columns.pop()
    table.columns.insert(position, new.model_copy(update={"id": old.id}))
    if new.name != old.name:
        rename_references(state, table, old.name, new.name)
    move_column(table, new.name, place)


def retype_column(cursor: Cursor, state: ScriptState, table: TableDraft, column: Column) -> None:
    """PostgreSQL `ALTER COLUMN x [SET DATA] TYPE t [COLLATE c] [USING expr]`."""
    start = cursor.pos
    cursor.until(TYPE_ENDS)
    cursor.pos, stop = start, cursor.pos
    type_text = plain_text(read_type(cursor.sub(start, stop)), state)
    if not type_text:
        raise ReadError(f"ALTER COLUMN {table.name}.{column.name} TYPE names no type")
    update: dict[str, object] = {
        "type": type_text,
        "normalized_type": normalize_type(type_text, state.database),
        "is_array": type_text.endswith("]") or type_text.upper().startswith("ARRAY"),
    }
    cursor.pos = stop
    if cursor.accept("COLLATE"):
        update["collation"] = cursor.name().name
    position = table.columns.index(column)
    table.columns[position] = column.model_copy(update=update)


def restate_column(cursor: Cursor, state: ScriptState, table: TableDraft, column: Column) -> None:
    """SQL Server's `ALTER COLUMN c type [NULL | NOT NULL]`: new type and nullability.

    The default, identity and computed expression stay; a column without NOT NULL
    becomes nullable, as SQL Server does.
    """
    position = table.columns.index(column)
    del table.columns[position]
    try:
        read_element(cursor, state, table)
    except ReadError:
        table.columns.insert(position, column)
        raise
    new = table.columns.pop()
    update = {
        "type": new.type,
        "normalized_type": new.normalized_type,
        "is_array": new.is_array,
        "nullable": new.nullable,
        "collation": new.collation or column.collation,
    }
    table.columns.insert(position, column.model_copy(update=update))


def rename_column(cursor: Cursor, state: ScriptState, table: TableDraft) -> None:
    """`RENAME [COLUMN] a TO b`."""
    cursor.accept("COLUMN")
    old = existing_column(table, cursor.name_part())
    cursor.expect("TO")
    new_name = cursor.name_part()
    if table.column(new_name) is not None and table.column(new_name) is not old:
        raise ReadError(f"table {table.name!r} already has a column {new_name!r}")
    position = table.columns.index(old)
    table.columns[position] = old.model_copy(update={"name": new_name})
    rename_references(state, table, old.name, new_name)


def existing_column(table: TableDraft, name: str) -> Column:
    """The table's column of this name; ReadError naming both when it has none."""
    column = table.column(name)
    if column is None:
        raise ReadError(f"table {table.name!r} has no column {name!r}")
    return column


def move_column(table: TableDraft, name: str, place: str | None) -> None:
    """Put the column first (""), after another column, or leave it (None)."""
    if place is None:
        return
    column = existing_column(table, name)
    table.columns.remove(column)
    if place == "":
        table.columns.insert(0, column)
        return
    anchor = existing_column(table, place)
    table.columns.insert(table.columns.index(anchor) + 1, column)


def rename_references(state: ScriptState, table: TableDraft, old: str, new: str) -> None:
    """Rename a column wherever the table's keys, indexes and foreign keys name it."""

    def renamed(names: list[str]) -> list[str]:
        return [new if name == old else name for name in names]

    if table.primary_key is not None:
        table.primary_key = table.primary_key.model_copy(
            update={"columns": renamed(table.primary_key.columns)}
        )
    table.unique_constraints = [
        u.model_copy(update={"columns": renamed(u.columns)}) for u in table.unique_constraints
    ]
    table.indexes = [
        index.model_copy(
            update={
                "parts": [
                    p.model_copy(update={"column": new}) if p.column == old else p
                    for p in index.parts
                ],
                "include": renamed(index.include),
            }
        )
        for index in table.indexes
    ]
    table.check_columns = {
        check: new if column == old else column for check, column in table.check_columns.items()
    }
    for key in state.foreign_keys:
        if key.source == table.key:
            key.source_columns = renamed(key.source_columns)
        if key.target == table.key and key.target_columns is not None:
            key.target_columns = renamed(key.target_columns)
