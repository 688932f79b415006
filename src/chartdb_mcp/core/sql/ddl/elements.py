"""The few DDL statements SQLAlchemy has no construct for, compiled per dialect."""

from typing import Any

import sqlalchemy as sa
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.schema import ExecutableDDLElement
from sqlalchemy.sql.compiler import DDLCompiler


class CreatePartition(ExecutableDDLElement):
    """CREATE TABLE child PARTITION OF parent <bound> [PARTITION BY ...] (PostgreSQL)."""

    def __init__(
        self, table: sa.Table, parent: sa.Table, bound: str, partition_by: str | None
    ) -> None:
        self.table = table
        self.parent = parent
        self.bound = bound
        self.partition_by = partition_by


# https://www.postgresql.org/docs/current/sql-createtable.html (PARTITION OF)
@compiles(CreatePartition, "postgresql")
def compile_create_partition(element: CreatePartition, compiler: DDLCompiler, **_: Any) -> str:
    """The statement with both tables quoted by the dialect's own preparer."""
    preparer = compiler.preparer
    text = (
        f"CREATE TABLE {preparer.format_table(element.table)} "
        f"PARTITION OF {preparer.format_table(element.parent)} {element.bound}"
    )
    if element.partition_by:
        text += f" PARTITION BY {element.partition_by}"
    return text
