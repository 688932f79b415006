"""Column ops as ALTER TABLE: add, drop, rename, and type/NULL/default/identity changes.

PostgreSQL changes one property per ALTER COLUMN clause; MySQL restates the whole
column with MODIFY COLUMN, built from the dialect compiler's column specification.
"""

from typing import Any

from sqlalchemy.schema import SetColumnComment

from chartdb_mcp.core.edit import ops as change
from chartdb_mcp.core.model import DatabaseType
from chartdb_mcp.core.sql.migrate import risk
from chartdb_mcp.core.sql.migrate.plan import Step
from chartdb_mcp.core.sql.migrate.render_base import RendererBase


class ColumnRenderer(RendererBase):
    """The column ops."""

    def render_add_column(self, op: change.AddColumn) -> list[Step]:
        """ALTER TABLE ... ADD COLUMN; MySQL places it, PostgreSQL appends it."""
        table = self.new.table(op.table_id)
        name = op.column.name
        sql = f"ALTER TABLE {self.new.table_name(op.table_id)} ADD COLUMN "
        sql += self.new.column_spec(op.table_id, name)
        sql += self.placement(op)
        inverse = (
            f"ALTER TABLE {self.new.table_name(op.table_id)} DROP COLUMN {self.new.quote(name)}"
        )
        step = self.step(sql, op, inverse=inverse)
        old_table = self.old.tables.get(table.id)
        if old_table is not None and any(c.id == op.column.id for c in old_table.columns):
            step = self.risky(step, risk.REBUILT_COLUMN)
        column = op.column
        auto = column.autoincrement or column.identity is not None
        if not column.nullable and column.default is None and not auto and not column.generated:
            step = self.risky(step, risk.NOT_NULL_NO_DEFAULT)
        steps = [*self.sequences_for(op, [column]), step]
        if column.comment is not None and self.target.database_type == DatabaseType.POSTGRESQL:
            sa_column = self.new.sa_table(op.table_id).c[name]
            steps.append(self.step(self.new.compile(SetColumnComment(sa_column)), op))
        return steps

    def placement(self, op: change.AddColumn) -> str:
        """MySQL's FIRST / AFTER; elsewhere a warning when the column is not the last."""
        table = self.new.table(op.table_id)
        position = next(i for i, c in enumerate(table.columns) if c.id == op.column.id)
        if position == len(table.columns) - 1:
            return ""
        if self.mysql:
            if position == 0:
                return " FIRST"
            return f" AFTER {self.new.quote(table.columns[position - 1].name)}"
        self.warnings.add(
            f"{table.qualified_name}.{op.column.name}: {self.target.database_type.value} "
            "adds columns at the end, so the column order will differ from the diagram."
        )
        return ""

    def render_drop_column(self, op: change.DropColumn) -> list[Step]:
        """ALTER TABLE ... DROP COLUMN; the inverse adds it back, empty, at its place
        (none on PostgreSQL for a column that was not the last, which it cannot place)."""
        table_name = self.old.table_name(op.table_id)
        sql = f"ALTER TABLE {table_name} DROP COLUMN {self.old.quote(op.column)}"
        inverse: str | None = (
            f"ALTER TABLE {table_name} ADD COLUMN {self.old.column_spec(op.table_id, op.column)}"
        )
        columns = self.old.table(op.table_id).columns
        position = next(i for i, c in enumerate(columns) if c.name == op.column)
        kept = {c.id for c in self.new.tables[op.table_id or ""].columns}
        before = [c for c in columns[:position] if c.id in kept]
        if self.mysql:
            inverse = (
                f"{inverse} AFTER {self.old.quote(before[-1].name)}"
                if before
                else f"{inverse} FIRST"
            )
        elif position != len(columns) - 1:
            inverse = None
        return [self.risky(self.step(sql, op, inverse=inverse), risk.DROP_COLUMN)]

    def render_rename_column(self, op: change.RenameColumn) -> list[Step]:
        """ALTER TABLE ... RENAME COLUMN ... TO ..."""
        table_name = self.new.table_name(op.table_id)
        old, new = self.new.quote(op.column), self.new.quote(op.new_name)
        sql = f"ALTER TABLE {table_name} RENAME COLUMN {old} TO {new}"
        inverse = f"ALTER TABLE {table_name} RENAME COLUMN {new} TO {old}"
        return [self.step(sql, op, inverse=inverse)]

    def render_alter_column(self, op: change.AlterColumn) -> list[Step]:
        """Type, NULL, default, identity and comment changes of one column."""
        old_table = self.old.table(op.table_id)
        new_column = self.new.column(op.table_id, op.column)
        old_column = next(c for c in old_table.columns if c.id == new_column.id)
        if self.mysql:
            return self.mysql_modify(op, old_column.name)
        return self.postgres_alter(op, old_column.name)

    def mysql_modify(self, op: change.AlterColumn, old_name: str) -> list[Step]:
        """MySQL restates the whole column: ALTER TABLE ... MODIFY COLUMN <definition>."""
        table_name = self.new.table_name(op.table_id)
        sql = (
            f"ALTER TABLE {table_name} MODIFY COLUMN {self.new.column_spec(op.table_id, op.column)}"
        )
        inverse = None
        if old_name == op.column:
            inverse = (
                f"ALTER TABLE {table_name} MODIFY COLUMN "
                f"{self.old.column_spec(op.table_id, old_name)}"
            )
        return [self.assess_alter(self.step(sql, op, inverse=inverse), op, old_name)]

    def assess_alter(self, step: Step, op: change.AlterColumn, old_name: str) -> Step:
        """The risk of a column change: type narrowing, NOT NULL on existing rows."""
        old_column = self.old.column(op.table_id, old_name)
        new_column = self.new.column(op.table_id, op.column)
        if "type" in op.model_fields_set:
            found = risk.type_change(old_column, new_column, self.target.database_type)
            if found is not None:
                step = self.risky(step, found)
        if old_column.nullable and not new_column.nullable:
            step = self.risky(step, risk.SET_NOT_NULL)
        return step

    def postgres_alter(self, op: change.AlterColumn, old_name: str) -> list[Step]:
        """PostgreSQL changes one property per ALTER COLUMN clause."""
        table_name = self.new.table_name(op.table_id)
        column = self.new.quote(op.column)
        prefix = f"ALTER TABLE {table_name} ALTER COLUMN {column}"
        old_column = self.old.column(op.table_id, old_name)
        new_column = self.new.column(op.table_id, op.column)
        given = op.model_fields_set
        steps: list[Step] = []
        if "type" in given:
            new_type = self.new.column_type(op.table_id, op.column)
            old_type = self.old.column_type(op.table_id, old_name)
            sql = f"{prefix} TYPE {new_type} USING {column}::{new_type}"
            inverse = f"{prefix} TYPE {old_type} USING {column}::{old_type}"
            steps.append(self.assess_alter(self.step(sql, op, inverse=inverse), op, old_name))
        if "nullable" in given:
            set_it, drop_it = f"{prefix} SET NOT NULL", f"{prefix} DROP NOT NULL"
            if new_column.nullable:
                steps.append(self.step(drop_it, op, inverse=set_it))
            else:
                steps.append(self.risky(self.step(set_it, op, inverse=drop_it), risk.SET_NOT_NULL))
        if "default" in given or "identity" in given or "autoincrement" in given:
            steps += self.postgres_default(op, prefix, old_column, new_column)
        if "comment" in given:
            sa_column = self.new.sa_table(op.table_id).c[op.column]
            steps.append(self.step(self.new.compile(SetColumnComment(sa_column)), op))
        if "on_update" in given and new_column.on_update is not None:
            self.warnings.add(
                f"{op.table}.{op.column}: ON UPDATE {new_column.on_update} is MySQL's own; "
                "PostgreSQL needs a trigger for it."
            )
        return steps

    def postgres_default(
        self, op: Any, prefix: str, old_column: Any, new_column: Any
    ) -> list[Step]:
        """SET/DROP DEFAULT and ADD/DROP identity."""
        steps: list[Step] = []
        if old_column.identity is not None and new_column.identity != old_column.identity:
            steps.append(self.step(f"{prefix} DROP IDENTITY IF EXISTS", op))
        if new_column.default != old_column.default:
            if new_column.default is None:
                inverse = (
                    f"{prefix} SET DEFAULT {old_column.default}" if old_column.default else None
                )
                steps.append(self.step(f"{prefix} DROP DEFAULT", op, inverse=inverse))
            else:
                written = self.new.expressions.default(
                    f"{op.table}.{op.column}", new_column.default
                )
                inverse = (
                    f"{prefix} SET DEFAULT {old_column.default}"
                    if old_column.default
                    else f"{prefix} DROP DEFAULT"
                )
                steps.append(self.step(f"{prefix} SET DEFAULT {written}", op, inverse=inverse))
        if new_column.identity is not None and new_column.identity != old_column.identity:
            how = new_column.identity.value
            steps.append(
                self.step(
                    f"{prefix} ADD GENERATED {how} AS IDENTITY",
                    op,
                    inverse=f"{prefix} DROP IDENTITY",
                )
            )
        changed = new_column.autoincrement != old_column.autoincrement
        if changed and new_column.identity is None and new_column.default == old_column.default:
            self.warnings.add(
                f"{op.table}.{op.column}: auto-increment without an identity or a "
                "sequence default cannot be written for PostgreSQL; use an identity."
            )
        return steps
