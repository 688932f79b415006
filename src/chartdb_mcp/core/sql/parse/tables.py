"""CREATE TABLE and the table constraints it shares with ALTER TABLE ... ADD.

A MySQL UNIQUE key is an index there (the live reader lists it as a unique index), so
it becomes one here too; elsewhere UNIQUE is a constraint. Index methods are filled in
as the databases report them when the script names none: btree on PostgreSQL and
MySQL/MariaDB.
"""

from sqlglot import TokenType

from chartdb_mcp.core.model import (
    CheckConstraint,
    DatabaseType,
    Index,
    IndexPart,
    PrimaryKey,
    UniqueConstraint,
)
from chartdb_mcp.core.sql.parse.columns import (
    MYSQL_FAMILY,
    plain_text,
    read_column,
    read_references,
    strip_parens,
)
from chartdb_mcp.core.sql.parse.drafts import ScriptState, TableDraft, postgres_name
from chartdb_mcp.core.sql.parse.tokens import Cursor, ReadError

DEFAULT_METHODS = {
    DatabaseType.POSTGRESQL: "btree",
    DatabaseType.MYSQL: "btree",
    DatabaseType.MARIADB: "btree",
}
ORDER_WORDS = frozenset({"ASC", "DESC", "NULLS", "COLLATE"})


def read_create_table(cursor: Cursor, state: ScriptState, line: int) -> None:
    """`CREATE [TEMP|UNLOGGED] TABLE [IF NOT EXISTS] name (...) [options]`."""
    cursor.expect("CREATE")
    cursor.accept("OR", "REPLACE")
    while cursor.accept("GLOBAL") or cursor.accept("LOCAL"):
        pass
    temporary = cursor.accept("TEMPORARY") or cursor.accept("TEMP")
    cursor.accept("UNLOGGED")
    cursor.expect("TABLE")
    if_not_exists = cursor.accept("IF", "NOT", "EXISTS")
    name = cursor.name()
    table = TableDraft(schema=None, name=name.name, line=line)
    table.schema = state.key_of(name.schema, name.name)[0]
    existing = state.find_table(table.key)
    if existing is not None:
        state.skipped["duplicate table"] += 1
        if not if_not_exists:
            state.warn(
                f"Table {qualified(table.key)!r} is created again on line {line}; the first "
                f"definition (line {existing.line}) is kept."
            )
        return
    if temporary:
        state.skipped["temporary table"] += 1
        return
    if state.database == DatabaseType.SQLITE and table.name.lower().startswith("sqlite_"):
        # https://www.sqlite.org/fileformat2.html#intschema (sqlite_sequence, sqlite_stat1)
        state.skipped["SQLite internal table"] += 1
        return
    if cursor.accept("PARTITION", "OF"):
        parent = cursor.name()
        table.partition_of = state.key_of(parent.schema, parent.name)
    elif cursor.is_word("AS") or cursor.is_word("LIKE"):
        state.skipped["table from a query or LIKE"] += 1
        state.warn(
            f"Table {table.name!r} (line {line}) is made from a query or LIKE; its columns "
            "are unknown, so it is left out."
        )
        return
    keys_before = len(state.foreign_keys)
    try:
        if cursor.is_type(TokenType.L_PAREN):
            start, stop = cursor.group()
            for item_start, item_stop in cursor.split_items(start, stop):
                read_element(cursor.sub(item_start, item_stop), state, table)
        read_table_options(cursor, state, table)
    except ReadError:
        del state.foreign_keys[keys_before:]  # a table left out takes its keys with it
        raise
    state.add_table(table)
    state.used["table"] += 1


def read_table_options(cursor: Cursor, state: ScriptState, table: TableDraft) -> None:
    """What follows the column list: partitions, inheritance, MySQL options."""
    while not cursor.done():
        if cursor.accept("PARTITION", "BY"):
            method = cursor.take().text.upper()
            start, stop = cursor.group()
            table.partition_by = f"{method} ({cursor.source(start, stop)})"
            cursor.skip_group()  # MySQL's partition list
        elif cursor.accept("FOR", "VALUES"):
            start = cursor.pos - 2
            while not cursor.done() and not cursor.is_word("PARTITION"):
                cursor.take()
            table.partition_bound = cursor.source(start, cursor.pos)
        elif cursor.accept("DEFAULT") and table.partition_of is not None:
            table.partition_bound = "DEFAULT"
        elif cursor.accept("INHERITS"):
            start, stop = cursor.group()
            for item_start, item_stop in cursor.split_items(start, stop):
                parent = cursor.sub(item_start, item_stop).name()
                table.inherits.append(state.key_of(parent.schema, parent.name))
        elif cursor.accept("COMMENT"):
            cursor.accept_type(TokenType.EQ)
            table.comment = cursor.string()
        elif state.database == DatabaseType.SQLITE and cursor.accept("WITHOUT", "ROWID"):
            # https://www.sqlite.org/withoutrowid.html: NOT NULL is enforced on the key.
            without_rowid_key(table)
        else:
            cursor.take()


def without_rowid_key(table: TableDraft) -> None:
    """The primary key columns of a WITHOUT ROWID table, made NOT NULL."""
    key = set(table.primary_key.columns) if table.primary_key is not None else set()
    table.columns = [
        column.model_copy(update={"nullable": False}) if column.name in key else column
        for column in table.columns
    ]


def read_element(cursor: Cursor, state: ScriptState, table: TableDraft) -> None:
    """One item of a table's parenthesized list: a column or a table constraint."""
    if read_constraint(cursor, state, table):
        return
    column, extras = read_column(cursor, state, table)
    if table.column(column.name) is not None:
        raise ReadError(f"table {table.name!r} repeats column {column.name!r}")
    table.columns.append(column)
    if extras.primary_key is not None:
        set_primary_key(state, table, [column.name], extras.primary_key or None)
    for name in extras.unique:
        add_unique(state, table, [column.name], name, index_name=None)
    table.checks += extras.checks
    table.check_columns.update({check.id: column.name for check in extras.checks})
    for key in extras.foreign_keys:
        if state.database == DatabaseType.MYSQL:
            # https://dev.mysql.com/doc/refman/8.0/en/ansi-diff-foreign-keys.html
            state.warn(
                f"MySQL ignores REFERENCES written on a column ({table.name}.{column.name}); "
                "so does this import. Write FOREIGN KEY (...) REFERENCES ... instead."
            )
            continue
        key.name = key.name or default_name(state, table, column.name, "fkey")
        state.foreign_keys.append(key)


def read_constraint(cursor: Cursor, state: ScriptState, table: TableDraft) -> bool:
    """A table constraint or MySQL index at the cursor; False when it is a column."""
    name: str | None = None
    if cursor.accept("CONSTRAINT"):
        name = (
            cursor.name_part()
            if not cursor.is_word("PRIMARY", "UNIQUE", "CHECK", "FOREIGN")
            else None
        )
    if cursor.accept("PRIMARY", "KEY"):
        skip_index_words(cursor)
        set_primary_key(state, table, cursor.name_list(), name)
    elif cursor.accept("UNIQUE"):
        index_name = None
        if cursor.accept("KEY") or cursor.accept("INDEX") or not cursor.is_type(TokenType.L_PAREN):
            skip_index_words(cursor)
            if not cursor.is_type(TokenType.L_PAREN):
                index_name = cursor.name_part()
        skip_index_words(cursor)
        add_unique(state, table, cursor.name_list(), name, index_name=index_name)
    elif cursor.accept("FOREIGN", "KEY"):
        if not cursor.is_type(TokenType.L_PAREN):
            name = name or cursor.name_part()
        columns = cursor.name_list()
        cursor.expect("REFERENCES")
        key = read_references(cursor, state, table, columns, name)
        key.name = key.name or default_name(state, table, "_".join(columns), "fkey")
        state.foreign_keys.append(key)
    elif cursor.accept("CHECK"):
        start, stop = cursor.group()
        expression = plain_text(cursor.source(start, stop), state)
        table.checks.append(CheckConstraint(name=name, expression=expression))
    elif starts_index(cursor, state):
        method = cursor.take().text.lower()
        cursor.accept("KEY") or cursor.accept("INDEX")
        index_name = (
            None
            if cursor.is_type(TokenType.L_PAREN) or cursor.is_word("USING")
            else cursor.name_part()
        )
        skip_index_words(cursor)
        using = read_using(cursor)
        parts = read_index_parts(cursor, state)
        using = read_using(cursor) or using
        kind = (
            method
            if method in ("fulltext", "spatial")
            else using or DEFAULT_METHODS.get(state.database)
        )
        table.indexes.append(
            Index(name=index_name or (parts[0].column or "index"), parts=parts, method=kind)
        )
    elif cursor.accept("DEFAULT"):
        set_default_for(cursor, state, table)
    elif starts_unrepresented(cursor):
        state.warn(f"{cursor.take().text.upper()} in table {table.name!r} is not represented.")
    elif name is not None:
        raise ReadError(f"constraint {name!r} of table {table.name!r} has an unknown kind")
    else:
        return False
    return True


def starts_unrepresented(cursor: Cursor) -> bool:
    """`EXCLUDE [USING m] (...)`, `LIKE other` or `PERIOD FOR name (...)` at the cursor.

    `period` and `exclude` are not reserved in PostgreSQL, so a column may bear either
    name; only the words that follow tell the clause from the column.
    """
    if cursor.is_word("EXCLUDE"):
        return cursor.is_word("USING", ahead=1) or cursor.is_type(TokenType.L_PAREN, ahead=1)
    if cursor.is_word("PERIOD"):
        return cursor.is_word("FOR", ahead=1)
    return cursor.is_word("LIKE")


def set_default_for(cursor: Cursor, state: ScriptState, table: TableDraft) -> None:
    """SQL Server's `ADD [CONSTRAINT name] DEFAULT expr FOR column` (as SSMS scripts it)."""
    start, stop = cursor.until(frozenset({"FOR"}))
    cursor.expect("FOR")
    name = cursor.name_part()
    column = table.column(name)
    if column is None:
        raise ReadError(f"table {table.name!r} has no column {name!r} for the default")
    position = table.columns.index(column)
    default = plain_text(cursor.source(start, stop), state)
    table.columns[position] = column.model_copy(update={"default": default})


def starts_index(cursor: Cursor, state: ScriptState) -> bool:
    """MySQL's KEY/INDEX/FULLTEXT/SPATIAL items and SQL Server's inline INDEX."""
    if state.database in MYSQL_FAMILY:
        return cursor.is_word("KEY", "INDEX", "FULLTEXT", "SPATIAL")
    return state.database == DatabaseType.SQLSERVER and cursor.is_word("INDEX")


def skip_index_words(cursor: Cursor) -> None:
    """CLUSTERED, NONCLUSTERED and similar words that do not change the key."""
    while cursor.accept("CLUSTERED") or cursor.accept("NONCLUSTERED"):
        pass


def read_using(cursor: Cursor) -> str | None:
    """`USING method` (MySQL BTREE/HASH, PostgreSQL gin/gist/...), lowercased."""
    if cursor.accept("USING"):
        return cursor.take().text.lower()
    return None


def set_primary_key(
    state: ScriptState, table: TableDraft, columns: list[str], name: str | None
) -> None:
    """The table's primary key; PostgreSQL names an unnamed one `table_pkey`."""
    if state.database == DatabaseType.POSTGRESQL and name is None:
        name = postgres_name(table.name, None, "pkey")
    table.primary_key = PrimaryKey(name=name, columns=columns)


def add_unique(
    state: ScriptState,
    table: TableDraft,
    columns: list[str],
    name: str | None,
    *,
    index_name: str | None,
) -> None:
    """A UNIQUE key: an index on MySQL/MariaDB, a constraint elsewhere."""
    if state.database in MYSQL_FAMILY:
        label = index_name or name or columns[0]
        parts = [IndexPart(column=column) for column in columns]
        table.indexes.append(Index(name=label, parts=parts, unique=True, method="btree"))
        return
    if state.database == DatabaseType.POSTGRESQL and name is None:
        name = postgres_name(table.name, "_".join(columns), "key")
    table.unique_constraints.append(UniqueConstraint(name=name or index_name, columns=columns))


def default_name(state: ScriptState, table: TableDraft, column: str, suffix: str) -> str | None:
    """PostgreSQL's name for an unnamed constraint (`table_column_fkey`); None elsewhere."""
    if state.database == DatabaseType.POSTGRESQL:
        return postgres_name(table.name, column, suffix)
    return None


def read_index_parts(cursor: Cursor, state: ScriptState) -> list[IndexPart]:
    """The parenthesized key parts of an index: columns or expressions, with their order."""
    start, stop = cursor.group()
    parts = []
    for item_start, item_stop in cursor.split_items(start, stop):
        parts.append(read_index_part(cursor.sub(item_start, item_stop), state))
    if not parts:
        raise ReadError("an index needs at least one key part")
    return parts


def read_index_part(cursor: Cursor, state: ScriptState) -> IndexPart:
    """`column [(length)] [opclass] [ASC|DESC] [NULLS ...]`, or an expression."""
    start = cursor.pos
    end = len(cursor.tokens)
    order_at = next(
        (
            index
            for index in range(start, end)
            if cursor.tokens[index].token_type != TokenType.IDENTIFIER
            and cursor.tokens[index].text.upper() in ORDER_WORDS
        ),
        end,
    )
    descending = any(cursor.tokens[index].text.upper() == "DESC" for index in range(order_at, end))
    body = cursor.sub(start, order_at)
    if is_plain_column(body, state):
        return IndexPart(column=body.name_part(), descending=descending)
    expression = plain_text(strip_parens(body.rest()), state)
    return IndexPart(expression=expression, descending=descending)


def is_plain_column(body: Cursor, state: ScriptState) -> bool:
    """A lone name, maybe with a MySQL prefix length or a PostgreSQL operator class."""
    tokens = body.tokens
    if not tokens or tokens[0].token_type in (
        TokenType.L_PAREN,
        TokenType.STRING,
        TokenType.NUMBER,
    ):
        return False
    if len(tokens) == 1:
        return True
    if tokens[1].token_type == TokenType.L_PAREN:
        is_prefix = len(tokens) == 4 and tokens[2].token_type == TokenType.NUMBER
        return state.database in MYSQL_FAMILY and is_prefix
    return len(tokens) == 2 and tokens[1].token_type != TokenType.DOT


def qualified(key: tuple[str | None, str]) -> str:
    """`schema.name` or the name."""
    return f"{key[0]}.{key[1]}" if key[0] else key[1]
