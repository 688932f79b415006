"""SQLite: what ALTER TABLE can do natively, and the table rebuild for everything else.

SQLite's ALTER TABLE renames tables and columns, adds a column at the end (not a key,
not STORED, with a constant default when NOT NULL) and drops a column no key uses. Any
other change rebuilds the table as SQLite documents
(https://www.sqlite.org/lang_altertable.html#otheralter): with foreign keys off, outside
the transaction, create the new table under a temporary name, copy the rows, drop the
old table, rename the new one, recreate its indexes, then check the foreign keys. Column
renames run natively before the rebuild, so SQLite rewrites the views and triggers that
name them; the table's own triggers go with the old table (the plan warns).
"""

import re
from typing import Any

from sqlalchemy.schema import CreateIndex, CreateTable

from chartdb_mcp.core.model import Column, Diagram, Table
from chartdb_mcp.core.sql.migrate import risk
from chartdb_mcp.core.sql.migrate.context import SchemaSide
from chartdb_mcp.core.sql.migrate.plan import Risk, Step

# Op kinds SQLite's ALTER TABLE (or CREATE/DROP INDEX) can carry out on a kept table.
NATIVE = {
    "rename_table",
    "rename_column",
    "add_index",
    "drop_index",
    "create_table",
    "restore_table",
    "drop_table",
    "set_table_status",
    "set_color",
    "set_position",
    "create_type",
    "alter_type",
    "drop_type",
}
CONSTANT = re.compile(r"^(NULL|-?\d+(\.\d+)?|'([^']|'')*'|TRUE|FALSE)$", re.IGNORECASE)
TEMPORARY_PREFIX = "_chartdb_new_"


def tables_to_rebuild(ops: list[Any], old: Diagram, new: Diagram) -> set[str]:
    """Ids of the kept tables whose changes SQLite's ALTER TABLE cannot make."""
    created = {op.table.id for op in ops if op.kind in ("create_table", "restore_table")}
    kept = {table.id for table in old.tables} & {table.id for table in new.tables}
    rebuild: set[str] = set()
    for op in ops:
        if op.kind in ("add_relationship", "drop_relationship"):
            source = relationship_source(op, old, new)
            if source in kept and source not in created:
                rebuild.add(source)
            continue
        table_id = getattr(op, "table_id", None)
        if table_id not in kept or op.kind in NATIVE:
            continue
        if op.kind == "add_column" and can_add(op, new, table_id):
            continue
        if op.kind == "drop_column" and can_drop(op.column, old, table_id):
            continue
        rebuild.add(table_id)
    return rebuild


def relationship_source(op: Any, old: Diagram, new: Diagram) -> str | None:
    """The id of the table that holds the foreign key the op adds or drops."""
    if op.kind == "add_relationship":
        return str(op.source_table_id) if op.source_table_id else None
    found = next((r for r in old.relationships if op.relationship in (r.id, r.name)), None)
    return found.source_table_id if found else None


def can_add(op: Any, new: Diagram, table_id: str) -> bool:
    """Whether ALTER TABLE ADD COLUMN can add this column where the diagram wants it."""
    table = new.table_by_id(table_id)
    column: Column = op.column
    if table is None or table.columns[-1].id != column.id:
        return False
    keyed = table.primary_key and column.name in table.primary_key.columns
    unique = any(column.name in u.columns for u in table.unique_constraints)
    if keyed or unique or column.generated is not None:
        return False
    default = (column.default or "").strip()
    return column.nullable or CONSTANT.match(default) is not None


def can_drop(name: str, old: Diagram, table_id: str) -> bool:
    """Whether ALTER TABLE DROP COLUMN can drop it (no key or foreign key uses it)."""
    table = old.table_by_id(table_id)
    if table is None:
        return False
    in_key = bool(table.primary_key and name in table.primary_key.columns)
    in_unique = any(name in u.columns for u in table.unique_constraints)
    in_check = any(re.search(rf"\b{re.escape(name)}\b", c.expression) for c in table.checks)
    in_fk = any(
        (r.source_table_id == table_id and name in r.source_columns)
        or (r.target_table_id == table_id and name in r.target_columns)
        for r in old.relationships
    )
    return not (in_key or in_unique or in_check or in_fk)


def rebuild_steps(old: SchemaSide, new: SchemaSide, table_id: str) -> list[Step]:
    """The documented rebuild of one table: create, copy, drop, rename, index."""
    old_table, new_table = old.table(table_id), new.table(table_id)
    sa_table = new.sa_table(table_id)
    final_name = new.table_name(table_id)
    temporary = TEMPORARY_PREFIX + new_table.name
    create = new.compile(CreateTable(sa_table))
    create = create.replace(f"CREATE TABLE {final_name}", f"CREATE TABLE {new.quote(temporary)}", 1)
    label = new_table.qualified_name

    def step(sql: str) -> Step:
        return Step(sql=sql, change="rebuild_table", table=label)

    lost = lost_columns(old_table, new_table)
    drop = step(f"DROP TABLE {final_name}").riskier(*risk.REBUILD)
    if lost:
        reason = f"the rebuild leaves out column(s) {', '.join(lost)}, whose values are lost"
        drop = drop.riskier(Risk.DESTRUCTIVE, reason)
    steps = [
        step(create).riskier(*risk.REBUILD),
        copy_risk(step(copy_rows(new, old_table, new_table, temporary)), old_table, new_table),
        # With the legacy behaviour the rename neither checks nor rewrites the views that
        # name the table, which would otherwise fail while the table is missing.
        # https://www.sqlite.org/pragma.html#pragma_legacy_alter_table
        step("PRAGMA legacy_alter_table = ON"),
        drop,
        step(f"ALTER TABLE {new.quote(temporary)} RENAME TO {new.quote(new_table.name)}"),
        step("PRAGMA legacy_alter_table = OFF"),
    ]
    for index in new.indexes_in_order(table_id):
        steps.append(step(new.compile(CreateIndex(index))))
    return steps


def lost_columns(old_table: Table, new_table: Table) -> list[str]:
    """Names of the old columns the new table no longer has (matched by id)."""
    kept = {column.id for column in new_table.columns}
    return [column.name for column in old_table.columns if column.id not in kept]


def copy_risk(step: Step, old_table: Table, new_table: Table) -> Step:
    """The copy fails on rows that break a new NOT NULL, key or unique: say which."""
    old_columns = {column.id: column for column in old_table.columns}
    for column in new_table.columns:
        before = old_columns.get(column.id)
        if before is None and not column.nullable and column.default is None:
            step = step.riskier(*risk.NOT_NULL_NO_DEFAULT)
        elif before is not None and before.nullable and not column.nullable:
            step = step.riskier(*risk.SET_NOT_NULL)
    old_uniques = {tuple(u.columns) for u in old_table.unique_constraints}
    if any(tuple(u.columns) not in old_uniques for u in new_table.unique_constraints):
        step = step.riskier(*risk.UNIQUE_ON_DATA)
    if new_table.primary_key != old_table.primary_key and new_table.primary_key is not None:
        step = step.riskier(*risk.PRIMARY_KEY_ON_DATA)
    return step


def copy_rows(side: SchemaSide, old_table: Table, new_table: Table, temporary: str) -> str:
    """INSERT INTO the new table SELECT the columns both versions share (matched by id).

    Renamed columns were renamed in place before the rebuild, so both sides use the new
    names.
    """
    old_ids = {column.id for column in old_table.columns}
    shared = ", ".join(side.quote(c.name) for c in new_table.columns if c.id in old_ids)
    return (
        f"INSERT INTO {side.quote(temporary)} ({shared}) "
        f"SELECT {shared} FROM {side.table_name(new_table.id)}"
    )


def foreign_keys_off() -> Step:
    """PRAGMA foreign_keys=OFF: a no-op inside a transaction, so it runs outside one."""
    return Step(sql="PRAGMA foreign_keys = OFF", change="rebuild_table", transactional=False)


def foreign_key_check() -> Step:
    """PRAGMA foreign_key_check: returns the rows that break a foreign key (none expected)."""
    return Step(
        sql="PRAGMA foreign_key_check",
        change="rebuild_table",
        reason="must return no rows; any row it returns breaks a foreign key",
    )


def foreign_keys_on() -> Step:
    """PRAGMA foreign_keys=ON, after the transaction."""
    return Step(sql="PRAGMA foreign_keys = ON", change="rebuild_table", transactional=False)
