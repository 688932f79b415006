"""SQLite's AUTOINCREMENT (ids never reused) survives an export and a table rebuild."""

from chartdb_mcp.core.model import Column, DatabaseType, Diagram, PrimaryKey, Table
from chartdb_mcp.core.sql.ddl import export_ddl
from chartdb_mcp.core.sql.migrate import plan_migration


def counted(name_type: str = "varchar(100)") -> Diagram:
    table = Table(
        id="authors",
        name="authors",
        columns=[
            Column(id="id", name="id", type="INTEGER", autoincrement=True),
            Column(id="name", name="name", type=name_type),
        ],
        primary_key=PrimaryKey(columns=["id"]),
    )
    return Diagram(name="blog", database_type=DatabaseType.SQLITE, tables=[table])


def test_the_export_keeps_autoincrement() -> None:
    script = export_ddl(counted())
    assert "id INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT" in script.text


def test_a_rebuild_keeps_autoincrement() -> None:
    plan = plan_migration(counted(), counted("varchar(20)"))
    create = next(step.sql for step in plan.steps if step.sql.startswith("CREATE TABLE"))
    assert "PRIMARY KEY AUTOINCREMENT" in create


def test_other_databases_key_stays_a_plain_integer_key() -> None:
    diagram = counted().model_copy(update={"database_type": DatabaseType.POSTGRESQL})
    assert "AUTOINCREMENT" not in export_ddl(diagram, DatabaseType.SQLITE).text
