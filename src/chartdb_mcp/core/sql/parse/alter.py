"""Statements that change a table created earlier: ALTER TABLE, CREATE INDEX, COMMENT ON,
and ALTER SEQUENCE ... OWNED BY (which makes a nextval default a serial-like column).
"""

import re
from typing import Any

from chartdb_mcp.core.model import DatabaseType, IdentityGeneration, Index, IndexPart
from chartdb_mcp.core.sql.parse.alter_columns import (
    add_placed_column,
    redefine_column,
    rename_column,
    restate_column,
    retype_column,
)
from chartdb_mcp.core.sql.parse.columns import (
    MYSQL_FAMILY,
    plain_text,
    read_expression,
    set_identity,
    strip_parens,
)
from chartdb_mcp.core.sql.parse.drafts import ScriptState, TableDraft, postgres_name
from chartdb_mcp.core.sql.parse.tables import (
    DEFAULT_METHODS,
    qualified,
    read_constraint,
    read_index_parts,
    read_using,
)
from chartdb_mcp.core.sql.parse.tokens import Cursor, Name, ReadError

INDEX_TAIL = frozenset({"WITH", "ON"})
FUNCTION_CALL = re.compile(r"\s*([A-Za-z_][A-Za-z0-9_]*)\s*\(")


def table_named(state: ScriptState, name: Name, line: int, what: str) -> TableDraft | None:
    """The table a statement changes; a warning (and None) when the script lacks it."""
    table = state.find_table(state.key_of(name.schema, name.name))
    if table is None:
        state.skipped[f"{what} of a table the script does not create"] += 1
        state.warn(
            f"Line {line}: {what} names table {'.'.join(name.parts)!r}, which the script does "
            "not create; it is left out."
        )
    return table


def read_alter_table(cursor: Cursor, state: ScriptState, line: int) -> str:
    """ALTER TABLE [ONLY] [IF EXISTS] name action, ...; returns the kind for the report."""
    cursor.expect("ALTER", "TABLE")
    cursor.accept("IF", "EXISTS")
    cursor.accept("ONLY")
    name = cursor.name()
    if cursor.accept("OWNER", "TO"):
        return "ownership"
    # https://learn.microsoft.com/sql/t-sql/statements/alter-table-transact-sql (WITH CHECK)
    _ = cursor.accept("WITH", "CHECK") or cursor.accept("WITH", "NOCHECK")
    if cursor.is_word(
        "ENABLE", "DISABLE", "SET", "RESET", "CLUSTER", "REPLICA", "CHECK", "NOCHECK"
    ):
        return "table setting"
    table = table_named(state, name, line, "ALTER TABLE")
    if table is None:
        return ""
    start = cursor.pos
    for item_start, item_stop in cursor.split_items(start, len(cursor.tokens)):
        read_alter_action(cursor.sub(item_start, item_stop), state, table, line)
    state.used["table change"] += 1
    return ""


def read_alter_action(cursor: Cursor, state: ScriptState, table: TableDraft, line: int) -> None:
    """One action of an ALTER TABLE."""
    if cursor.accept("ADD"):
        if cursor.is_word("GENERATED"):
            raise ReadError("ADD GENERATED needs ALTER COLUMN")
        if not read_constraint(cursor, state, table):
            cursor.accept("COLUMN")
            cursor.accept("IF", "NOT", "EXISTS")
            add_placed_column(cursor, state, table)
    elif cursor.accept("ALTER"):
        cursor.accept("COLUMN")
        column = table.column(cursor.name_part())
        if column is None:
            raise ReadError(f"table {table.name!r} has no such column")
        alter_column(cursor, state, table, column.name)
    elif state.database in MYSQL_FAMILY and cursor.accept("MODIFY"):
        redefine_column(cursor, state, table, renames=False)
    elif state.database in MYSQL_FAMILY and cursor.accept("CHANGE"):
        redefine_column(cursor, state, table, renames=True)
    elif cursor.is_word("RENAME") and not cursor.is_word("TO", "AS", ahead=1):
        cursor.expect("RENAME")
        rename_column(cursor, state, table)
    elif cursor.accept("ATTACH", "PARTITION"):
        child_name = cursor.name()
        child = state.find_table(state.key_of(child_name.schema, child_name.name))
        if child is None:
            raise ReadError(
                f"partition {'.'.join(child_name.parts)!r} is not created by the script"
            )
        child.partition_of = table.key
        child.partition_bound = cursor.rest()
    else:
        token = cursor.peek()
        word = token.text.upper() if token is not None else "?"
        state.warn(
            f"Line {line}: ALTER TABLE {qualified(table.key)} {word} ... is not applied; "
            "only ADD, ALTER COLUMN, RENAME COLUMN, MODIFY, CHANGE and ATTACH PARTITION are."
        )


def alter_column(cursor: Cursor, state: ScriptState, table: TableDraft, name: str) -> None:
    """SET/DROP DEFAULT, SET/DROP NOT NULL, ADD GENERATED ... AS IDENTITY, TYPE."""
    index = next(i for i, column in enumerate(table.columns) if column.name == name)
    column = table.columns[index]
    fields: dict[str, Any] = {}
    if cursor.accept("SET", "DEFAULT"):
        default = plain_text(read_expression(cursor), state)
        fields = {
            "default": default,
            "autoincrement": column.autoincrement or default.startswith("nextval("),
        }
    elif cursor.accept("DROP", "DEFAULT"):
        fields = {"default": None}
    elif cursor.accept("SET", "NOT", "NULL"):
        fields = {"nullable": False}
    elif cursor.accept("DROP", "NOT", "NULL"):
        fields = {"nullable": True}
    elif cursor.accept("ADD", "GENERATED", "ALWAYS", "AS", "IDENTITY"):
        set_identity(cursor, fields, IdentityGeneration.ALWAYS)
        fields["nullable"] = False
    elif cursor.accept("ADD", "GENERATED", "BY", "DEFAULT", "AS", "IDENTITY"):
        set_identity(cursor, fields, IdentityGeneration.BY_DEFAULT)
        fields["nullable"] = False
    elif cursor.accept("SET", "DATA", "TYPE") or cursor.accept("TYPE"):
        retype_column(cursor, state, table, column)
        return
    elif state.database == DatabaseType.SQLSERVER and not cursor.is_word("ADD", "DROP"):
        # T-SQL `ALTER COLUMN c type [COLLATE x] [NULL | NOT NULL]` restates the column.
        cursor.pos -= 1
        restate_column(cursor, state, table, column)
        return
    else:
        state.warn(f"ALTER COLUMN {table.name}.{name} {cursor.rest()[:40]!r} is not applied.")
        return
    table.columns[index] = column.model_copy(update=fields)


def read_create_index(cursor: Cursor, state: ScriptState, line: int) -> None:
    """CREATE [UNIQUE] [kind] INDEX [CONCURRENTLY] [IF NOT EXISTS] name ON table ..."""
    cursor.expect("CREATE")
    unique = cursor.accept("UNIQUE")
    kind = None
    for word in ("FULLTEXT", "SPATIAL", "BITMAP", "CLUSTERED", "NONCLUSTERED"):
        if cursor.accept(word):
            kind = word.lower() if word in ("FULLTEXT", "SPATIAL", "BITMAP") else None
    cursor.expect("INDEX")
    cursor.accept("CONCURRENTLY")
    cursor.accept("IF", "NOT", "EXISTS")
    # PostgreSQL lets the name out and makes one up (`CREATE INDEX ON t (a)`).
    unnamed = state.database == DatabaseType.POSTGRESQL and cursor.is_word("ON")
    index_name = "" if unnamed else cursor.name().name
    cursor.expect("ON")
    cursor.accept("ONLY")
    table_name = cursor.name()
    table = state.find_table(state.key_of(table_name.schema, table_name.name))
    using = read_using(cursor)
    parts = read_index_parts(cursor, state)
    if unnamed:
        index_name = chosen_index_name(state, table_name.name, table, parts)
    include: list[str] = []
    where = None
    while not cursor.done():
        if cursor.accept("INCLUDE"):
            include = cursor.name_list()
        elif cursor.accept("WHERE"):
            # SQL Server writes index options and the filegroup after the filter.
            stops = INDEX_TAIL if state.database == DatabaseType.SQLSERVER else frozenset()
            start, stop = cursor.until(stops, stop_at_comma=False)
            where = plain_text(strip_parens(cursor.source(start, stop)), state)
        elif cursor.accept("USING"):
            using = cursor.take().text.lower()
        else:
            cursor.take()
            cursor.skip_group()
    index = Index(
        name=index_name,
        parts=parts,
        unique=unique,
        method=kind or using or DEFAULT_METHODS.get(state.database),
        where=where,
        include=include,
    )
    view = next((v for v in state.views if v.name == table_name.name), None)
    if table is None and view is None:
        table_named(state, table_name, line, "CREATE INDEX")
        return
    state.used["index"] += 1
    if table is not None:
        table.indexes.append(index)
    elif view is not None:
        view.indexes.append(index)


def chosen_index_name(
    state: ScriptState, table_name: str, table: TableDraft | None, parts: list[IndexPart]
) -> str:
    """The name PostgreSQL gives an unnamed index: `table_columns_idx`, numbered if taken.

    As ChooseIndexName in its source: the key columns joined by `_` (a function's name
    for a call such as `lower(x)`, `expr` for other expressions, a repeated name
    numbered), then `idx1`, `idx2`, ... until the name is free among the schema's
    tables, indexes and index-backed constraints.
    """
    columns: list[str] = []
    for part in parts:
        call = FUNCTION_CALL.match(part.expression or "")
        base = part.column or (call.group(1).lower() if call else "expr")
        name, count = base, 0
        while name in columns:
            count += 1
            name = f"{base}{count}"
        columns.append(name)
    schema = table.schema if table is not None else None
    taken = {
        name
        for draft in state.tables.values()
        if draft.schema == schema
        for name in names_of(draft)
    }
    label, count = "idx", 0
    while (name := postgres_name(table_name, "_".join(columns), label)) in taken:
        count += 1
        label = f"idx{count}"
    return name


def names_of(table: TableDraft) -> list[str]:
    """The relation names a table takes in its schema: itself and its indexes."""
    names = [table.name] + [index.name for index in table.indexes]
    if table.primary_key is not None and table.primary_key.name:
        names.append(table.primary_key.name)
    return names + [u.name for u in table.unique_constraints if u.name]


def read_comment(cursor: Cursor, state: ScriptState, line: int) -> str:
    """COMMENT ON TABLE/COLUMN/VIEW ... IS '...'; returns the kind for the report."""
    cursor.expect("COMMENT", "ON")
    kind = cursor.take().text.upper()
    if kind == "MATERIALIZED":
        cursor.expect("VIEW")
        kind = "VIEW"
    if kind not in ("TABLE", "COLUMN", "VIEW"):
        return f"comment on {kind.lower()}"
    name = cursor.name()
    cursor.expect("IS")
    text = None if cursor.accept("NULL") else cursor.string()
    if kind == "COLUMN":
        owner = Name(name.parts[:-1])
        table = table_named(state, owner, line, "COMMENT ON COLUMN")
        if table is None:
            return ""
        column = table.column(name.name)
        if column is None:
            state.warn(f"Line {line}: COMMENT ON COLUMN names a column {table.name!r} lacks.")
            return "comment on a missing column"
        position = table.columns.index(column)
        table.columns[position] = column.model_copy(update={"comment": text})
        return "comment"
    table = state.find_table(state.key_of(name.schema, name.name))
    if table is not None:
        table.comment = text
        return "comment"
    for position, view in enumerate(state.views):
        if view.name == name.name:
            state.views[position] = view.model_copy(update={"comment": text})
            return "comment"
    table_named(state, name, line, "COMMENT ON")
    return ""


def read_sequence_owner(cursor: Cursor, state: ScriptState, line: int) -> str:
    """ALTER SEQUENCE s OWNED BY t.c: the column draws from it (serial-like)."""
    cursor.expect("ALTER", "SEQUENCE")
    cursor.accept("IF", "EXISTS")
    cursor.name()
    if not cursor.accept("OWNED", "BY"):
        return "sequence"
    owner = cursor.name()
    if owner.name.upper() == "NONE" or len(owner.parts) < 2:
        return "sequence"
    table = table_named(state, Name(owner.parts[:-1]), line, "ALTER SEQUENCE ... OWNED BY")
    if table is None:
        return ""
    column = table.column(owner.name)
    if column is not None:
        position = table.columns.index(column)
        table.columns[position] = column.model_copy(update={"autoincrement": True})
    return "sequence (folded into its column)"
