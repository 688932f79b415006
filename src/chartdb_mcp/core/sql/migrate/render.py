"""Change ops as ALTER statements for PostgreSQL and MySQL/MariaDB.

Each op of the diff becomes zero or more `Step`s. Ops that take something away read
the old side (names as they are in the database before the step); ops that add or
change read the new side. CREATE, DROP and constraint statements come from SQLAlchemy's
DDL constructs; column changes, which SQLAlchemy has no construct for, are written
around the dialect compiler's own column specification and identifier quoting.
"""

from collections.abc import Callable
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql
from sqlalchemy.schema import (
    AddConstraint,
    CreateIndex,
    CreateTable,
    DropConstraint,
    DropIndex,
    DropTable,
    SetColumnComment,
    SetTableComment,
)

from chartdb_mcp.core.edit import ops as change
from chartdb_mcp.core.model import CustomType, CustomTypeKind, DatabaseType
from chartdb_mcp.core.sql.ddl.targets import Target
from chartdb_mcp.core.sql.ddl.types import SpelledType
from chartdb_mcp.core.sql.ddl.warnings import Warnings
from chartdb_mcp.core.sql.migrate import risk
from chartdb_mcp.core.sql.migrate.context import SchemaSide
from chartdb_mcp.core.sql.migrate.plan import Risk, Step

MYSQL_FAMILY = {DatabaseType.MYSQL, DatabaseType.MARIADB}
# Op kinds that change only the canvas or the design status: no SQL.
NO_SQL = {"set_table_status", "set_color", "set_position"}


class Renderer:
    """Turns one change op into steps, given the old and new sides of the migration."""

    def __init__(self, old: SchemaSide, new: SchemaSide, target: Target, warnings: Warnings):
        self.old = old
        self.new = new
        self.target = target
        self.warnings = warnings
        self.mysql = target.database_type in MYSQL_FAMILY
        # MySQL commits every DDL statement on its own; PostgreSQL DDL is transactional.
        self.transactional = target.transactional_ddl

    def step(self, sql: str, op: Any, **fields: Any) -> Step:
        """A step for `op`, transactional when the target's DDL is."""
        fields.setdefault("transactional", self.transactional)
        table = getattr(op, "table", None)
        return Step(
            sql=sql, change=op.kind, table=table if isinstance(table, str) else None, **fields
        )

    def risky(self, step: Step, reason: tuple[Risk, str]) -> Step:
        """The step with the given risk and reason, if riskier than it is."""
        return step.riskier(*reason)

    def render(self, op: Any) -> list[Step]:
        """The steps of one op; unknown kinds raise KeyError."""
        if op.kind in NO_SQL:
            return []
        handler: Callable[[Any], list[Step]] = getattr(self, f"render_{op.kind}")
        return handler(op)

    # tables

    def render_create_table(self, op: change.CreateTable) -> list[Step]:
        """CREATE TABLE, its indexes and comments; foreign keys come as their own ops."""
        table_id = op.table.id
        sa_table = self.new.sa_table(table_id)
        drop = self.new.compile(DropTable(sa_table))
        steps = [self.step(self.new.compile(CreateTable(sa_table)), op, inverse=drop)]
        for index in sa_table.indexes:
            inverse = self.new.compile(DropIndex(index))
            steps.append(self.step(self.new.compile(CreateIndex(index)), op, inverse=inverse))
        steps += self.comments_of_new_table(op, table_id)
        return steps

    def comments_of_new_table(self, op: Any, table_id: str) -> list[Step]:
        """COMMENT ON statements where comments are not written inside CREATE TABLE."""
        if self.target.database_type != DatabaseType.POSTGRESQL:
            return []
        sa_table = self.new.sa_table(table_id)
        steps = []
        if sa_table.comment is not None:
            steps.append(self.step(self.new.compile(SetTableComment(sa_table)), op))
        for column in sa_table.columns:
            if column.comment is not None:
                steps.append(self.step(self.new.compile(SetColumnComment(column)), op))
        return steps

    def render_restore_table(self, op: change.RestoreTable) -> list[Step]:
        """A restored table is created like a new one."""
        return self.render_create_table(change.CreateTable(table=op.table))

    def render_drop_table(self, op: change.DropTable) -> list[Step]:
        """DROP TABLE; the inverse recreates it empty."""
        sa_table = self.old.sa_table(op.table_id)
        create = self.old.compile(CreateTable(sa_table))
        step = self.step(self.old.compile(DropTable(sa_table)), op, inverse=create)
        return [self.risky(step, risk.DROP_TABLE)]

    def render_rename_table(self, op: change.RenameTable) -> list[Step]:
        """ALTER TABLE ... RENAME TO ..."""
        old_name = self.old.table_name(op.table_id)
        new_table = self.new.table(op.table_id)
        new_name = self.new.table_name(op.table_id)
        bare_old = self.old.quote(self.old.table(op.table_id).name)
        sql = f"ALTER TABLE {old_name} RENAME TO {self.new.quote(new_table.name)}"
        return [self.step(sql, op, inverse=f"ALTER TABLE {new_name} RENAME TO {bare_old}")]

    # columns

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
        steps = [step]
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
        """ALTER TABLE ... DROP COLUMN; the inverse adds it back, empty."""
        table_name = self.old.table_name(op.table_id)
        sql = f"ALTER TABLE {table_name} DROP COLUMN {self.old.quote(op.column)}"
        inverse = (
            f"ALTER TABLE {table_name} ADD COLUMN {self.old.column_spec(op.table_id, op.column)}"
        )
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

    # keys, indexes, checks

    def render_set_primary_key(self, op: change.SetPrimaryKey) -> list[Step]:
        """Drop the old primary key (if any), then add the new one (if any)."""
        steps: list[Step] = []
        old_table = self.old.tables.get(op.table_id or "")
        table_name = self.new.table_name(op.table_id)
        if old_table is not None and old_table.primary_key is not None:
            steps.append(self.step(self.drop_primary_key(table_name, old_table), op))
        new_table = self.new.table(op.table_id)
        if new_table.primary_key is not None:
            constraint = self.new.sa_table(op.table_id).primary_key
            step = self.step(self.new.compile(AddConstraint(constraint)), op)
            steps.append(self.risky(step, risk.PRIMARY_KEY_ON_DATA))
        return steps

    def drop_primary_key(self, table_name: str, old_table: Any) -> str:
        """ALTER TABLE ... DROP PRIMARY KEY (MySQL) or DROP CONSTRAINT <name>."""
        if self.mysql:
            return f"ALTER TABLE {table_name} DROP PRIMARY KEY"
        # https://www.postgresql.org/docs/current/ddl-constraints.html: default <table>_pkey
        name = old_table.primary_key.name or f"{old_table.name}_pkey"
        return f"ALTER TABLE {table_name} DROP CONSTRAINT {self.new.quote(name)}"

    def render_add_unique(self, op: change.AddUnique) -> list[Step]:
        """ALTER TABLE ... ADD CONSTRAINT ... UNIQUE."""
        constraint = self.find_constraint(self.new, op.table_id, op.constraint.name, "unique")
        sql = self.new.compile(AddConstraint(constraint))
        step = self.step(sql, op, inverse=self.new.compile(DropConstraint(constraint)))
        return [self.risky(step, risk.UNIQUE_ON_DATA)]

    def render_drop_unique(self, op: change.DropUnique) -> list[Step]:
        """ALTER TABLE ... DROP CONSTRAINT (DROP INDEX on MySQL)."""
        table = self.old.table(op.table_id)
        unique = next(u for u in table.unique_constraints if op.constraint in (u.id, u.name))
        constraint = self.find_constraint(self.old, op.table_id, unique.name, "unique")
        sql = self.old.compile(DropConstraint(constraint))
        return [self.step(sql, op, inverse=self.old.compile(AddConstraint(constraint)))]

    def render_add_check(self, op: change.AddCheck) -> list[Step]:
        """ALTER TABLE ... ADD CONSTRAINT ... CHECK."""
        constraint = self.find_constraint(
            self.new, op.table_id, op.check.name, "check", op.check.expression
        )
        step = self.step(self.new.compile(AddConstraint(constraint)), op)
        return [self.risky(step, risk.CHECK_ON_DATA)]

    def render_drop_check(self, op: change.DropCheck) -> list[Step]:
        """ALTER TABLE ... DROP CONSTRAINT (DROP CHECK on MySQL)."""
        table = self.old.table(op.table_id)
        check = next(c for c in table.checks if op.check in (c.id, c.name))
        if check.name is None:
            self.warnings.add(
                f"{table.qualified_name}: an unnamed CHECK ({check.expression}) cannot be "
                "dropped by name; drop it by hand."
            )
            return []
        table_name = self.old.table_name(op.table_id)
        word = "CHECK" if self.target.database_type == DatabaseType.MYSQL else "CONSTRAINT"
        return [self.step(f"ALTER TABLE {table_name} DROP {word} {self.old.quote(check.name)}", op)]

    def find_constraint(
        self, side: SchemaSide, table_id: str | None, name: str | None, kind: str, text: str = ""
    ) -> Any:
        """The SQLAlchemy unique or check constraint of the table with that name or text."""
        wanted = sa.UniqueConstraint if kind == "unique" else sa.CheckConstraint
        for constraint in side.sa_table(table_id).constraints:
            if not isinstance(constraint, wanted):
                continue
            if name is not None and constraint.name == name:
                return constraint
            if name is None and kind == "check" and text in str(getattr(constraint, "sqltext", "")):
                return constraint
        raise KeyError(name or text)

    def render_add_index(self, op: change.AddIndex) -> list[Step]:
        """CREATE INDEX; on PostgreSQL without CONCURRENTLY, which a warning says."""
        model, built = self.new.index(op.table_id, op.index.id)
        if built is None:
            return []  # the builder warned why the target cannot have it
        step = self.step(
            self.new.compile(CreateIndex(built)), op, inverse=self.new.compile(DropIndex(built))
        )
        if self.target.database_type == DatabaseType.POSTGRESQL:
            step = self.risky(step, risk.INDEX_NOT_CONCURRENT)
        if model.unique:
            step = self.risky(step, risk.UNIQUE_ON_DATA)
        return [step]

    def render_drop_index(self, op: change.DropIndex) -> list[Step]:
        """DROP INDEX; the inverse builds it again."""
        _, built = self.old.index(op.table_id, op.index)
        if built is None:
            return []
        return [
            self.step(
                self.old.compile(DropIndex(built)), op, inverse=self.old.compile(CreateIndex(built))
            )
        ]

    # relationships

    def render_add_relationship(self, op: change.AddRelationship) -> list[Step]:
        """ALTER TABLE ... ADD CONSTRAINT ... FOREIGN KEY."""
        constraint = self.new.foreign_keys.get(op.id)
        if constraint is None:
            return []
        sql = self.new.compile(AddConstraint(constraint))
        step = self.step(sql, op, inverse=self.new.compile(DropConstraint(constraint)))
        return [self.risky(step, risk.FOREIGN_KEY_ON_DATA)]

    def render_drop_relationship(self, op: change.DropRelationship) -> list[Step]:
        """ALTER TABLE ... DROP CONSTRAINT (DROP FOREIGN KEY on MySQL)."""
        relationship = self.old.relationship(op.relationship)
        constraint = self.old.foreign_keys.get(relationship.id)
        if constraint is None:
            return []
        if relationship.name is None:
            self.warnings.add(
                f"foreign key {relationship.id!r} has no name, so it cannot be dropped by name."
            )
            return []
        sql = self.old.compile(DropConstraint(constraint))
        return [self.step(sql, op, inverse=self.old.compile(AddConstraint(constraint)))]

    # comments

    def render_set_table_comment(self, op: change.SetTableComment) -> list[Step]:
        """COMMENT ON TABLE (PostgreSQL) or ALTER TABLE ... COMMENT (MySQL)."""
        sa_table = self.new.sa_table(op.table_id)
        if self.mysql:
            text = (op.comment or "").replace("'", "''")
            return [
                self.step(f"ALTER TABLE {self.new.table_name(op.table_id)} COMMENT = '{text}'", op)
            ]
        if not self.target.comments:
            return []
        sa_table.comment = op.comment
        return [self.step(self.new.compile(SetTableComment(sa_table)), op)]

    # custom types

    def render_create_type(self, op: change.CreateType) -> list[Step]:
        """CREATE TYPE ... AS ENUM or CREATE DOMAIN (PostgreSQL; elsewhere types are inline)."""
        if self.target.database_type != DatabaseType.POSTGRESQL:
            return []
        element = postgres_type(op.type)
        if element is None:
            self.warnings.add(f"composite type {op.type.qualified_name!r} is not written.")
            return []
        create, drop = element
        return [self.step(self.new.compile(create), op, inverse=self.new.compile(drop))]

    def render_drop_type(self, op: change.DropType) -> list[Step]:
        """DROP TYPE / DROP DOMAIN (PostgreSQL)."""
        if self.target.database_type != DatabaseType.POSTGRESQL:
            return []
        custom = next(
            t for t in self.old.diagram.custom_types if op.type in (t.id, t.qualified_name, t.name)
        )
        element = postgres_type(custom)
        if element is None:
            return []
        create, drop = element
        step = self.step(self.old.compile(drop), op, inverse=self.old.compile(create))
        return [self.risky(step, risk.DROP_TYPE)]

    def render_alter_type(self, op: change.AlterType) -> list[Step]:
        """Enum labels added at the end or in place, and renames; anything else is blocked."""
        if self.target.database_type != DatabaseType.POSTGRESQL:
            return []
        old = next(
            t for t in self.old.diagram.custom_types if op.type in (t.id, t.qualified_name, t.name)
        )
        new = next(t for t in self.new.diagram.custom_types if t.id == old.id)
        name = self.old.quote(old.name)
        steps: list[Step] = []
        if new.name != old.name:
            steps.append(self.step(f"ALTER TYPE {name} RENAME TO {self.new.quote(new.name)}", op))
            name = self.new.quote(new.name)
        if new.values != old.values:
            steps += self.enum_labels(op, name, old, new)
        if (new.base_type, new.default, new.nullable, new.checks) != (
            old.base_type,
            old.default,
            old.nullable,
            old.checks,
        ) and old.kind == CustomTypeKind.DOMAIN:
            steps.append(
                self.step(
                    f"-- domain {old.name} changes are not written",
                    op,
                    risk=Risk.BLOCKED,
                    reason="changing a domain's base type, default or checks is not generated",
                )
            )
        return steps

    def enum_labels(self, op: Any, name: str, old: CustomType, new: CustomType) -> list[Step]:
        """ALTER TYPE ... ADD VALUE for each new label; removal or reordering is blocked."""
        kept = [label for label in new.values if label in old.values]
        if kept != old.values:
            reason = "PostgreSQL cannot remove or reorder enum labels; recreate the type by hand"
            return [
                self.step(
                    f"-- enum {old.name} keeps its labels", op, risk=Risk.BLOCKED, reason=reason
                )
            ]
        steps = []
        for position, label in enumerate(new.values):
            if label in old.values:
                continue
            literal = "'" + label.replace("'", "''") + "'"
            sql = f"ALTER TYPE {name} ADD VALUE {literal}"
            if position + 1 < len(new.values):
                following = "'" + new.values[position + 1].replace("'", "''") + "'"
                sql += f" BEFORE {following}"
            # https://www.postgresql.org/docs/current/sql-altertype.html: a new label cannot
            # be used in the transaction that adds it.
            steps.append(self.step(sql, op, transactional=False))
        return steps


def postgres_type(custom: CustomType) -> tuple[Any, Any] | None:
    """The CREATE and DROP statements of an enum or a domain."""
    if custom.kind == CustomTypeKind.ENUM:
        enum = postgresql.ENUM(*custom.values, name=custom.name, schema=custom.schema_name)
        return postgresql.CreateEnumType(enum), postgresql.DropEnumType(enum)
    if custom.kind == CustomTypeKind.DOMAIN and custom.base_type:
        check = " AND ".join(f"({text})" for text in custom.checks) or None
        domain = postgresql.DOMAIN(
            custom.name,
            SpelledType(custom.base_type),
            default=custom.default,
            not_null=not custom.nullable or None,
            check=check,
            schema=custom.schema_name,
        )
        return postgresql.CreateDomainType(domain), postgresql.DropDomainType(domain)
    return None
