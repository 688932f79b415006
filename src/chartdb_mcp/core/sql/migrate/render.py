"""Change ops as ALTER statements for PostgreSQL and MySQL/MariaDB.

Each op of the diff becomes zero or more `Step`s. Ops that take something away read
the old side (names as they are in the database before the step); ops that add or
change read the new side. CREATE, DROP and constraint statements come from SQLAlchemy's
DDL constructs; column changes, which SQLAlchemy has no construct for, are written
around the dialect compiler's own column specification and identifier quoting.
"""

from typing import Any

import sqlalchemy as sa
from sqlalchemy.schema import (
    AddConstraint,
    CreateIndex,
    CreateSequence,
    CreateTable,
    DropConstraint,
    DropIndex,
    DropSequence,
    DropTable,
    SetColumnComment,
    SetTableComment,
)

from chartdb_mcp.core.edit import ops as change
from chartdb_mcp.core.edit.ops.labels import relationship_ends
from chartdb_mcp.core.model import DatabaseType
from chartdb_mcp.core.sql.ddl.elements import CreatePartition
from chartdb_mcp.core.sql.ddl.expressions import sequence_of
from chartdb_mcp.core.sql.migrate import risk
from chartdb_mcp.core.sql.migrate.context import SchemaSide
from chartdb_mcp.core.sql.migrate.plan import Step
from chartdb_mcp.core.sql.migrate.render_columns import ColumnRenderer
from chartdb_mcp.core.sql.migrate.render_types import TypeRenderer


class Renderer(ColumnRenderer, TypeRenderer):
    """Turns one change op into steps, given the old and new sides of the migration."""

    # tables

    def render_create_table(self, op: change.CreateTable) -> list[Step]:
        """CREATE TABLE, its indexes and comments; foreign keys come as their own ops."""
        table_id = op.table.id
        sa_table = self.new.sa_table(table_id)
        drop = self.new.compile(DropTable(sa_table))
        steps = self.schema_for(sa_table, op) + self.sequences_for(op, op.table.columns)
        parent = self.new.builder.built.get(op.table.partition_of or "")
        if parent is not None and self.target.partitions:
            bound = op.table.partition_bound or "DEFAULT"
            create: Any = CreatePartition(sa_table, parent, bound, op.table.partition_by)
        else:
            create = CreateTable(sa_table)
        steps.append(self.step(self.new.compile(create), op, inverse=drop))
        for index in self.new.indexes_in_order(table_id):
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
        """DROP INDEX for each of its indexes (so that each inverse rebuilds one), then
        DROP TABLE, whose inverse recreates the table empty."""
        sa_table = self.old.sa_table(op.table_id)
        steps = [
            self.step(
                self.old.compile(DropIndex(index)), op, inverse=self.old.compile(CreateIndex(index))
            )
            for index in self.old.indexes_in_order(op.table_id)
        ]
        create = self.old.compile(CreateTable(sa_table))
        step = self.step(self.old.compile(DropTable(sa_table)), op, inverse=create)
        return [*steps, self.risky(step, risk.DROP_TABLE), *self.dropped_sequences(op)]

    def dropped_sequences(self, op: change.DropTable) -> list[Step]:
        """DROP SEQUENCE IF EXISTS for the dropped table's `nextval` defaults (PostgreSQL).

        A serial's sequence goes with its table; the step's inverse creates it again
        before the table's own inverse needs it. A sequence a remaining table draws
        from stays.
        """
        if self.target.database_type != DatabaseType.POSTGRESQL:
            return []
        used = {
            sequence_of(column.default or "")
            for table in self.new.diagram.tables
            for column in table.columns
        }
        steps = []
        for column in self.old.table(op.table_id).columns:
            name = sequence_of(column.default or "")
            if name is None or name in used:
                continue
            schema, _, bare = name.rpartition(".")
            sequence = sa.Sequence(bare, schema=schema or None)
            drop = self.old.compile(DropSequence(sequence, if_exists=True))
            create = self.old.compile(CreateSequence(sequence, if_not_exists=True))
            steps.append(self.risky(self.step(drop, op, inverse=create), risk.DROP_SEQUENCE))
        return steps

    def render_rename_table(self, op: change.RenameTable) -> list[Step]:
        """ALTER TABLE ... RENAME TO ..."""
        old_name = self.old.table_name(op.table_id)
        new_table = self.new.table(op.table_id)
        new_name = self.new.table_name(op.table_id)
        bare_old = self.old.quote(self.old.table(op.table_id).name)
        sql = f"ALTER TABLE {old_name} RENAME TO {self.new.quote(new_table.name)}"
        return [self.step(sql, op, inverse=f"ALTER TABLE {new_name} RENAME TO {bare_old}")]

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
        inverse = None
        if op.check.name is not None:
            inverse = self.drop_check_sql(self.new.table_name(op.table_id), op.check.name)
        step = self.step(self.new.compile(AddConstraint(constraint)), op, inverse=inverse)
        return [self.risky(step, risk.CHECK_ON_DATA)]

    def drop_check_sql(self, table_name: str, name: str) -> str:
        """ALTER TABLE ... DROP CONSTRAINT, or DROP CHECK on MySQL."""
        word = "CHECK" if self.target.database_type == DatabaseType.MYSQL else "CONSTRAINT"
        return f"ALTER TABLE {table_name} DROP {word} {self.old.quote(name)}"

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
        constraint = self.find_constraint(self.old, op.table_id, check.name, "check")
        sql = self.drop_check_sql(self.old.table_name(op.table_id), check.name)
        return [self.step(sql, op, inverse=self.old.compile(AddConstraint(constraint)))]

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
        # An unnamed key gets its name from MySQL (`table_ibfk_N`, numbered by creation
        # order), which the diagram cannot know, so no DROP can undo it.
        inverse = None if constraint.name is None else self.new.compile(DropConstraint(constraint))
        step = self.step(sql, op, inverse=inverse)
        return [self.risky(step, risk.FOREIGN_KEY_ON_DATA)]

    def render_drop_relationship(self, op: change.DropRelationship) -> list[Step]:
        """ALTER TABLE ... DROP CONSTRAINT (DROP FOREIGN KEY on MySQL)."""
        relationship = self.old.relationship(op.relationship)
        constraint = self.old.foreign_keys.get(relationship.id)
        if constraint is None:
            return []
        if relationship.name is None:
            ends = relationship_ends(relationship, self.old.diagram)
            self.warnings.add(f"foreign key {ends} has no name, so it cannot be dropped by name.")
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
