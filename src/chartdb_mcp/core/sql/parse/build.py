"""Turn the drafts into model tables and relationships with ids.

Here the script gets what the database itself would add: columns a partition or an
inheriting table takes from its parent, NOT NULL on primary-key columns (except in
SQLite, which allows NULL there), the index MySQL adds for a foreign key and InnoDB's
names for unnamed ones, and foreign keys resolved to table ids (a key with no target
columns points at the target's primary key). Foreign keys to tables the script never
creates, and tables the model refuses, are left out with a warning.
"""

from dataclasses import dataclass

from sqlglot import TokenType

from chartdb_mcp.core.model import (
    Column,
    DatabaseType,
    Index,
    IndexPart,
    Relationship,
    Table,
    TableKey,
    TableStatus,
    new_id,
)
from chartdb_mcp.core.sql.parse.columns import strip_parens
from chartdb_mcp.core.sql.parse.drafts import (
    ForeignKeyDraft,
    ScriptState,
    TableDraft,
    postgres_name,
)
from chartdb_mcp.core.sql.parse.tables import qualified
from chartdb_mcp.core.sql.parse.tokens import ReadError, tokenize

NAME_TOKENS = frozenset({TokenType.VAR, TokenType.IDENTIFIER})


@dataclass
class Built:
    """The tables and relationships of one script, with ids."""

    tables: list[Table]
    relationships: list[Relationship]


def build(state: ScriptState) -> Built:
    """Model tables and relationships from `state`, adding warnings to it."""
    drafts = list(state.tables.values())
    for draft in drafts:
        inherit_columns(draft, state)
        if draft.partition_of is not None:
            drop_inherited(draft, state)
        if state.database != DatabaseType.SQLITE and draft.primary_key is not None:
            require_key_columns(draft)
        if state.database == DatabaseType.POSTGRESQL:
            name_checks(draft, state)
        elif state.database in (DatabaseType.MYSQL, DatabaseType.MARIADB):
            name_mysql_checks(draft, state.database)
    if state.database in (DatabaseType.MYSQL, DatabaseType.MARIADB):
        add_foreign_key_indexes(state)
        name_foreign_keys(state)
    ids = {draft.key: new_id() for draft in drafts}
    tables: list[Table] = []
    for draft in drafts:
        table = table_of(draft, ids, state)
        if table is None:
            del ids[draft.key]
        else:
            tables.append(table)
    by_id = {table.id: table for table in tables}
    relationships = [
        relationship
        for key in state.foreign_keys
        if (relationship := relationship_of(key, state, ids, by_id)) is not None
    ]
    return Built(tables=tables, relationships=relationships)


def inherit_columns(draft: TableDraft, state: ScriptState) -> None:
    """A partition or INHERITS child starts with its parents' columns, as in PostgreSQL."""
    parents = list(draft.inherits)
    if draft.partition_of is not None and not draft.columns:
        parents.append(draft.partition_of)
    inherited: list[Column] = []
    for key in parents:
        parent = state.find_table(key)
        if parent is None:
            state.warn(
                f"Table {draft.name!r} inherits from {qualified(key)!r}, which the script "
                "does not create."
            )
            continue
        inherit_columns(parent, state)
        # PostgreSQL up to 16 keeps an identity on the parent; its partitions have none.
        inherited += [
            c.model_copy(
                update={
                    "id": new_id(),
                    "identity": None,
                    "autoincrement": c.autoincrement and c.identity is None,
                }
            )
            for c in parent.columns
        ]
    if not inherited:
        return
    own = {column.name for column in draft.columns}
    taken = [column for column in inherited if column.name not in own]
    draft.columns = list({c.name: c for c in taken}.values()) + draft.columns
    draft.inherits = []


def add_foreign_key_indexes(state: ScriptState) -> None:
    """The index MySQL creates for a foreign key whose columns lead no index yet."""
    # https://dev.mysql.com/doc/refman/8.0/en/create-table-foreign-keys.html (Conditions)
    for key in state.foreign_keys:
        table = state.find_table(key.source)
        if table is None:
            continue
        leading = [table.primary_key.columns] if table.primary_key else []
        leading += [[part.column or "" for part in index.parts] for index in table.indexes]
        width = len(key.source_columns)
        if any(columns[:width] == key.source_columns for columns in leading):
            continue
        parts = [IndexPart(column=column) for column in key.source_columns]
        name = key.name or key.source_columns[0]
        table.indexes.append(Index(name=name, parts=parts, method="btree"))


def drop_inherited(draft: TableDraft, state: ScriptState) -> None:
    """What a partition takes from its parent is listed once, on the parent (as live).

    pg_dump writes a partition's clones of its parent's keys and indexes as its own and
    then attaches them (`ALTER INDEX parent ATTACH PARTITION clone`), and repeats the
    parent's checks in the partition's CREATE TABLE.
    """
    parent = state.find_table(draft.partition_of) if draft.partition_of else None
    cloned = state.cloned_indexes
    if draft.primary_key is not None and draft.primary_key.name in cloned:
        draft.primary_key = None
    draft.unique_constraints = [u for u in draft.unique_constraints if u.name not in cloned]
    draft.indexes = [index for index in draft.indexes if index.name not in cloned]
    if parent is not None:
        names = {check.name for check in parent.checks if check.name}
        texts = {strip_parens(check.expression) for check in parent.checks}
        draft.checks = [
            check
            for check in draft.checks
            if not (check.name in names if check.name else strip_parens(check.expression) in texts)
        ]


def name_foreign_keys(state: ScriptState) -> None:
    """InnoDB's names for unnamed foreign keys: `table_ibfk_1`, `_2`, ... in order."""
    # https://dev.mysql.com/doc/refman/8.0/en/create-table-foreign-keys.html (Identifiers)
    taken = {key.name for key in state.foreign_keys if key.name}
    numbers: dict[TableKey, int] = {}
    for key in state.foreign_keys:
        if key.name:
            continue
        number = numbers.get(key.source, 0)
        while True:
            number += 1
            candidate = f"{key.source[1]}_ibfk_{number}"
            if candidate not in taken:
                break
        numbers[key.source] = number
        key.name = candidate
        taken.add(candidate)


def name_checks(draft: TableDraft, state: ScriptState) -> None:
    """PostgreSQL's names for unnamed checks: `table_column_check` when the expression
    uses one column, `table_check` otherwise, numbered on a clash (`table_check1`)."""
    taken = {check.name for check in draft.checks if check.name}
    taken |= {u.name for u in draft.unique_constraints if u.name}
    if draft.primary_key is not None and draft.primary_key.name:
        taken.add(draft.primary_key.name)
    named = []
    for check in draft.checks:
        if check.name is not None:
            named.append(check)
            continue
        used = referenced_columns(check.expression, draft, state)
        base = postgres_name(draft.name, used[0] if len(used) == 1 else None, "check")
        name, number = base, 0
        while name in taken:
            number += 1
            name = f"{base}{number}"
        taken.add(name)
        named.append(check.model_copy(update={"name": name}))
    draft.checks = named


def name_mysql_checks(draft: TableDraft, database: DatabaseType) -> None:
    """Names for unnamed checks: MySQL's `table_chk_1`, ...; MariaDB's column name for a
    column's check and `CONSTRAINT_1`, ... for the table's."""
    # https://dev.mysql.com/doc/refman/8.0/en/create-table-check-constraints.html and
    # https://mariadb.com/kb/en/constraint/#check-constraints
    number, named = 0, []
    for check in draft.checks:
        if check.name is not None:
            named.append(check)
            continue
        column = draft.check_columns.get(check.id)
        if database == DatabaseType.MARIADB and column is not None:
            name = column
        else:
            number += 1
            name = (
                f"CONSTRAINT_{number}"
                if database == DatabaseType.MARIADB
                else (f"{draft.name}_chk_{number}")
            )
        named.append(check.model_copy(update={"name": name}))
    draft.checks = named


def referenced_columns(expression: str, draft: TableDraft, state: ScriptState) -> list[str]:
    """The table's columns an expression names, each once, in order."""
    try:
        tokens = tokenize(expression, state.database)
    except ReadError:
        return []
    names: list[str] = []
    for token in tokens:
        column = draft.column(token.text) if token.token_type in NAME_TOKENS else None
        if column is not None and column.name not in names:
            names.append(column.name)
    return names


def require_key_columns(draft: TableDraft) -> None:
    """Primary-key columns are NOT NULL (every dialect here but SQLite)."""
    assert draft.primary_key is not None
    key_columns = set(draft.primary_key.columns)
    draft.columns = [
        column.model_copy(update={"nullable": False}) if column.name in key_columns else column
        for column in draft.columns
    ]


def table_of(draft: TableDraft, ids: dict[TableKey, str], state: ScriptState) -> Table | None:
    """The model table, or None (with a warning) when the model refuses it."""
    parent_id = ids.get(draft.partition_of) if draft.partition_of is not None else None
    try:
        return Table(
            id=ids[draft.key],
            schema_name=draft.schema,
            name=draft.name,
            columns=draft.columns,
            primary_key=draft.primary_key,
            unique_constraints=draft.unique_constraints,
            indexes=draft.indexes,
            checks=draft.checks,
            comment=draft.comment,
            status=TableStatus.PLANNED,
            partition_by=draft.partition_by,
            partition_of=parent_id,
            partition_bound=draft.partition_bound,
        )
    except ValueError as error:
        reason = str(error).splitlines()[1 if "\n" in str(error) else 0].strip()
        state.warn(f"Table {qualified(draft.key)!r} (line {draft.line}) is left out: {reason}")
        return None


def relationship_of(
    key: ForeignKeyDraft,
    state: ScriptState,
    ids: dict[TableKey, str],
    tables: dict[str, Table],
) -> Relationship | None:
    """The relationship for one foreign key, or None (with a warning) when it cannot be."""
    label = key.name or f"{qualified(key.source)}({', '.join(key.source_columns)})"
    source_draft, target_draft = state.find_table(key.source), state.find_table(key.target)
    if target_draft is None or target_draft.key not in ids:
        state.warn(
            f"Foreign key {label} (line {key.line}) references table {qualified(key.target)!r}, "
            "which the script does not create; it is left out."
        )
        return None
    if source_draft is None or source_draft.key not in ids:
        return None
    source, target = tables[ids[source_draft.key]], tables[ids[target_draft.key]]
    target_columns = key.target_columns
    if target_columns is None:
        if target.primary_key is None:
            state.warn(
                f"Foreign key {label} names no columns and {target.name!r} has no primary "
                "key; it is left out."
            )
            return None
        target_columns = target.primary_key.columns
    source_columns = [resolve(source, name) for name in key.source_columns]
    resolved_targets = [resolve(target, name) for name in target_columns]
    if (
        None in source_columns
        or None in resolved_targets
        or len(source_columns) != len(resolved_targets)
    ):
        state.warn(
            f"Foreign key {label} (line {key.line}) names columns its tables lack; it is left out."
        )
        return None
    return Relationship(
        name=key.name,
        source_table_id=source.id,
        source_columns=[name for name in source_columns if name is not None],
        target_table_id=target.id,
        target_columns=[name for name in resolved_targets if name is not None],
        on_delete=key.on_delete,
        on_update=key.on_update,
    )


def resolve(table: Table, name: str) -> str | None:
    """The column's name as the table spells it (unquoted names match any case)."""
    if table.column(name) is not None:
        return name
    folded = name.lower()
    return next((c.name for c in table.columns if c.name.lower() == folded), None)
