"""A table created in a schema no table of the old version uses: the migration creates
the schema first (PostgreSQL), once, and leaves existing schemas alone."""

from chartdb_mcp.core.edit.ops.union import CHANGE_OPS
from chartdb_mcp.core.edit.replay import replay
from chartdb_mcp.core.sql.migrate import plan_migration
from support.migration_pairs import PG, blog


def table_op(name: str, schema: str) -> dict[str, object]:
    columns = [{"name": "id", "type": "integer", "nullable": False}]
    return {
        "kind": "create_table",
        "table": {"name": name, "schema_name": schema, "columns": columns},
    }


def test_a_new_schema_is_created_before_its_first_table() -> None:
    before = blog(PG)
    ops = [table_op("Order", "Sales"), table_op("refund", "Sales"), table_op("note", "public")]
    after = replay(CHANGE_OPS.validate_python(ops), before).diagram
    sql = [step.sql for step in plan_migration(before, after, PG).steps]
    assert sql[0] == 'CREATE SCHEMA IF NOT EXISTS "Sales"'
    assert sql[1].startswith('CREATE TABLE "Sales"."Order"')
    assert sum(s.startswith("CREATE SCHEMA") for s in sql) == 1
