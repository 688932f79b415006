"""Migrations: the ordered statements that turn one version of a schema into another.

`plan_migration(old, new, dialect)` normalizes the two diagrams (aliases, casts, implied
NOT NULL, constraints matched by columns, MySQL's foreign key indexes, SQLite's
autoindexes: see `normalize`), diffs them with the diagram diff (so renames are renames,
matched by id, never a drop and an add), and writes each change op as statements for
PostgreSQL, MySQL, MariaDB or SQLite. SQLite changes its ALTER TABLE cannot make
rebuild the table. Every statement carries its risk, the reason, whether it may run in a
transaction and, where SQL can undo it, its inverse. Views, notes and areas are not
migrated; the plan's warnings say so when they differ.
"""

from typing import Any

from chartdb_mcp.core.edit.diff import diff_diagrams, unsupported_differences
from chartdb_mcp.core.model import DatabaseType, Diagram
from chartdb_mcp.core.sql.ddl.targets import target_for
from chartdb_mcp.core.sql.ddl.warnings import Warnings
from chartdb_mcp.core.sql.migrate import sqlite
from chartdb_mcp.core.sql.migrate.context import SchemaSide
from chartdb_mcp.core.sql.migrate.normalize import named_uniques, normalize_pair
from chartdb_mcp.core.sql.migrate.plan import MigrationPlan, Risk, Step
from chartdb_mcp.core.sql.migrate.render import Renderer

__all__ = ["MigrationPlan", "Risk", "Step", "plan_migration", "supported_dialects"]

MIGRATION_DIALECTS = (
    DatabaseType.POSTGRESQL,
    DatabaseType.MYSQL,
    DatabaseType.MARIADB,
    DatabaseType.SQLITE,
)


def supported_dialects() -> tuple[DatabaseType, ...]:
    """The databases migrations are written for."""
    return MIGRATION_DIALECTS


def plan_migration(
    old: Diagram, new: Diagram, dialect: DatabaseType | str | None = None
) -> MigrationPlan:
    """The statements that turn `old`'s schema into `new`'s (empty when they match).

    `dialect` defaults to `new`'s database type. Raises ValueError for a dialect
    migrations are not written for (SQL Server, Oracle, generic).
    """
    database = DatabaseType(dialect or new.database_type)
    if database not in MIGRATION_DIALECTS:
        raise ValueError(f"migrations are not written for {database.value!r}")
    target = target_for(database)
    old, new = normalize_pair(old, new, database)
    old, new = named_uniques(old, database), named_uniques(new, database)
    ops = diff_diagrams(old, new)
    warnings = Warnings()
    old_side = SchemaSide(old, target, Warnings())
    new_warnings = Warnings()
    new_side = SchemaSide(new, target, new_warnings)
    renderer = Renderer(old_side, new_side, target, warnings)
    if database == DatabaseType.SQLITE:
        steps = sqlite_steps(ops, old_side, new_side, renderer)
    else:
        steps = [step for op in ops for step in renderer.render(op)]
    touched = {touched_table(op) for op in ops} - {None}
    for sentence in new_warnings.render():
        if any(str(name) in sentence for name in touched):
            warnings.add(sentence)
    for sentence in unsupported_differences(old, new):
        warnings.add(sentence)
    return MigrationPlan(dialect=database, steps=steps, warnings=warnings.render())


def sqlite_steps(
    ops: list[Any], old: SchemaSide, new: SchemaSide, renderer: Renderer
) -> list[Step]:
    """Native ALTERs where SQLite has them; a rebuild for each table that needs one."""
    rebuild = sqlite.tables_to_rebuild(ops, old.diagram, new.diagram)
    steps: list[Step] = []
    for op in ops:
        if op.kind in ("add_relationship", "drop_relationship"):
            continue  # inside CREATE TABLE of a new table, or carried by a rebuild
        # A rebuilt table's column renames still run natively first, since SQLite then
        # rewrites the views, triggers and indexes that name the column.
        if getattr(op, "table_id", None) in rebuild and op.kind != "rename_column":
            continue
        steps += renderer.render(op)
    for table_id in [t.id for t in new.diagram.tables if t.id in rebuild]:
        steps += sqlite.rebuild_steps(old, new, table_id)
        renderer.warnings.add(
            f"{new.table(table_id).qualified_name} is rebuilt: SQLite drops its triggers with "
            "the old table, and the diagram holds no triggers to recreate; recreate them."
        )
    if not rebuild:
        return steps
    return [sqlite.foreign_keys_off(), *steps, sqlite.foreign_key_check(), sqlite.foreign_keys_on()]


def touched_table(op: Any) -> str | None:
    """The qualified name of the table an op changes, if it changes one."""
    table = getattr(op, "table", None)
    if isinstance(table, str):
        return table
    return getattr(table, "qualified_name", None)
