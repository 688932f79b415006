"""The shared part of the op renderers: both sides, the target and step making."""

from collections.abc import Callable
from typing import Any

import sqlalchemy as sa
from sqlalchemy.schema import CreateSchema, CreateSequence, DropSequence

from chartdb_mcp.core.model import DatabaseType
from chartdb_mcp.core.sql.ddl.expressions import sequence_of
from chartdb_mcp.core.sql.ddl.targets import Target
from chartdb_mcp.core.sql.ddl.warnings import Warnings
from chartdb_mcp.core.sql.migrate.context import SchemaSide
from chartdb_mcp.core.sql.migrate.plan import Risk, Step

MYSQL_FAMILY = {DatabaseType.MYSQL, DatabaseType.MARIADB}
# Op kinds that change only the canvas or the design status: no SQL.
NO_SQL = {"set_table_status", "set_color", "set_position"}


class RendererBase:
    """What every op renderer shares: both sides of the migration, the target, warnings."""

    def __init__(self, old: SchemaSide, new: SchemaSide, target: Target, warnings: Warnings):
        self.old = old
        self.new = new
        self.target = target
        self.warnings = warnings
        self.mysql = target.database_type in MYSQL_FAMILY
        # MySQL commits every DDL statement on its own; PostgreSQL DDL is transactional.
        self.transactional = target.transactional_ddl
        self.sequences: set[str] = set()  # created by this plan already
        # Schemas the old side's tables live in, and those this plan creates.
        self.schemas: set[str] = {
            str(t.schema) for t in old.builder.built.values() if t.schema is not None
        }

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

    def sequences_for(self, op: Any, columns: list[Any]) -> list[Step]:
        """CREATE SEQUENCE IF NOT EXISTS for `nextval` defaults (PostgreSQL)."""
        if self.target.database_type != DatabaseType.POSTGRESQL:
            return []
        steps = []
        for column in columns:
            name = sequence_of(column.default or "")
            if name is None or name in self.sequences:
                continue
            self.sequences.add(name)
            schema, _, bare = name.rpartition(".")
            sequence = sa.Sequence(bare, schema=schema or None)
            create = self.new.compile(CreateSequence(sequence, if_not_exists=True))
            drop = self.new.compile(DropSequence(sequence, if_exists=True))
            steps.append(self.step(create, op, inverse=drop))
        return steps

    def schema_for(self, sa_table: sa.Table, op: Any) -> list[Step]:
        """CREATE SCHEMA for a new table's schema that no old table lives in (PostgreSQL)."""
        name = sa_table.schema
        if name is None or name in self.schemas or name == self.target.default_schema:
            return []
        self.schemas.add(name)
        if self.target.database_type != DatabaseType.POSTGRESQL:
            return []
        sql = str(CreateSchema(name, if_not_exists=True).compile(dialect=self.new.dialect))
        return [self.step(sql, op)]
