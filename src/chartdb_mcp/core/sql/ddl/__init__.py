"""DDL export: a diagram as a complete CREATE script for one database.

`export_ddl(diagram, dialect)` returns the statements in load order and warnings naming
what the target cannot express (an index method it lacks, a partial index, an enum that
becomes a checked string, ...); nothing is dropped without one. Statements are compiled
by SQLAlchemy's DDL compiler for the target; types, defaults and expressions written
for another database are carried across by sqlglot, so no model is involved. Targets:
PostgreSQL, MySQL, MariaDB, SQLite, SQL Server and Oracle.
"""

from chartdb_mcp.core.model import DatabaseType, Diagram
from chartdb_mcp.core.sql.ddl.script import DdlScript, ScriptWriter
from chartdb_mcp.core.sql.ddl.targets import TARGETS, Target, target_for

__all__ = ["TARGETS", "DdlScript", "Target", "export_ddl", "target_for"]


def export_ddl(
    diagram: Diagram,
    dialect: DatabaseType | str | None = None,
    *,
    table_ids: set[str] | None = None,
    include_views: bool = True,
) -> DdlScript:
    """The CREATE script of `diagram` for `dialect` (default: the diagram's own).

    `table_ids` limits the export to those tables (foreign keys to other tables are
    left out, with a warning). Raises ValueError for a database type with no dialect.
    """
    target = target_for(dialect or diagram.database_type)
    return ScriptWriter(diagram, target, table_ids).write(include_views)
