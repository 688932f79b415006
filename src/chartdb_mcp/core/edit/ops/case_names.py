"""The rule for new names that differ from a neighbour's only by letter case.

SQLite, MySQL/MariaDB and SQL Server compare column names without regard to case, so a
table cannot have both `title` and `Title` there; SQLite and SQL Server do the same for
table names in a schema. Those are refused on such diagrams. Elsewhere (PostgreSQL with
quoted names, generic diagrams) they are legal but surely confusing: a warning.
Only clashes the op brings in count, so a diagram imported with one keeps working.
"""

from collections import Counter

from chartdb_mcp.core.edit.ops.base import resolve_table
from chartdb_mcp.core.edit.ops.columns import AddColumn, RenameColumn
from chartdb_mcp.core.edit.ops.lookup import table_with_id
from chartdb_mcp.core.edit.ops.tables import CreateTable, RenameTable
from chartdb_mcp.core.edit.ops.union import ChangeOp
from chartdb_mcp.core.model import DatabaseType, Diagram, Table
from chartdb_mcp.errors import InvalidChange

COLUMNS_IGNORE_CASE = {
    DatabaseType.SQLITE,
    DatabaseType.MYSQL,
    DatabaseType.MARIADB,
    DatabaseType.SQLSERVER,
}
TABLES_IGNORE_CASE = {DatabaseType.SQLITE, DatabaseType.SQLSERVER}


def check_case_clashes(op: ChangeOp, before: Diagram, after: Diagram) -> list[str]:
    """Warnings for new names equal to another's but for case; InvalidChange where the
    diagram's database would refuse them."""
    if isinstance(op, CreateTable):
        table_id = op.table.id
    elif isinstance(op, AddColumn | RenameColumn | RenameTable):
        table_id = resolve_table(op, before).id
    else:
        return []
    table = table_with_id(after, table_id)
    if table is None:
        return []
    old = table_with_id(before, table_id)
    problems: list[str] = []
    refused = False
    if not isinstance(op, RenameTable):
        clashes = new_clashes(column_names(table), column_names(old) if old else [])
        problems += [
            f"Table {table.qualified_name!r} has columns {names} that differ only by case."
            for names in clashes
        ]
        refused = bool(clashes) and after.database_type in COLUMNS_IGNORE_CASE
    if isinstance(op, CreateTable | RenameTable):
        same_schema = [t.name for t in after.tables if t.schema_name == table.schema_name]
        before_names = [t.name for t in before.tables if t.schema_name == table.schema_name]
        clashes = new_clashes(same_schema, before_names)
        problems += [f"Tables {names} differ only by case." for names in clashes]
        refused = refused or (bool(clashes) and after.database_type in TABLES_IGNORE_CASE)
    if refused:
        raise InvalidChange(
            f"{problems[0]} On a {after.database_type.value} diagram they are the same "
            "name; choose another."
        )
    return problems


def new_clashes(names: list[str], before: list[str]) -> list[list[str]]:
    """Groups of names equal but for case that `before` did not already have."""
    old = Counter(name.casefold() for name in before)
    groups: dict[str, list[str]] = {}
    for name in names:
        groups.setdefault(name.casefold(), []).append(name)
    return [group for key, group in groups.items() if len(group) > 1 and old[key] < len(group)]


def column_names(table: Table) -> list[str]:
    """The table's column names, in order."""
    return [column.name for column in table.columns]
