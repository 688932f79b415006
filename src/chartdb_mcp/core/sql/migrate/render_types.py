"""Custom type ops for PostgreSQL: CREATE/DROP TYPE and DOMAIN, enum labels, renames.

MySQL spells an enum inside the column type and SQLite has no types, so there these
ops write nothing; the columns that use a type carry it.
"""

from typing import Any

from sqlalchemy.dialects import postgresql

from chartdb_mcp.core.edit import ops as change
from chartdb_mcp.core.model import CustomType, CustomTypeKind, DatabaseType
from chartdb_mcp.core.sql.ddl.types import SpelledType
from chartdb_mcp.core.sql.migrate import risk
from chartdb_mcp.core.sql.migrate.plan import Risk, Step
from chartdb_mcp.core.sql.migrate.render_base import RendererBase


class TypeRenderer(RendererBase):
    """The custom type ops."""

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
