"""Dropping a table with a serial key on live PostgreSQL, then running the inverses in
reverse order: the sequence the table's default draws from comes back before the table."""

from chartdb_mcp.core.edit.ops.union import CHANGE_OPS
from chartdb_mcp.core.edit.replay import replay
from chartdb_mcp.core.sql.migrate import Risk, plan_migration
from support.databases import postgres_database
from support.sql_roundtrip import read_diagram, remaining_changes, run_statements

SCHEMA = [
    "CREATE TABLE authors (id serial PRIMARY KEY, name text)",
    "CREATE TABLE tags (id serial PRIMARY KEY)",
]


def test_a_dropped_serial_table_comes_back_by_its_inverses() -> None:
    with postgres_database("drop_serial") as url:
        run_statements(url, SCHEMA)
        before = read_diagram(url)
        ops = CHANGE_OPS.validate_python([{"kind": "drop_table", "table": "authors"}])
        plan = plan_migration(before, replay(ops, before).diagram)
        drop = next(s for s in plan.steps if s.sql.startswith("DROP SEQUENCE"))
        assert drop.risk == Risk.DESTRUCTIVE and "authors_id_seq" in drop.sql
        assert not any("tags_id_seq" in step.sql for step in plan.steps)
        run_statements(url, [step.sql for step in plan.steps])
        assert [t.name for t in read_diagram(url).tables] == ["tags"]
        run_statements(url, [step.inverse or "" for step in reversed(plan.steps)])
        assert remaining_changes(before, read_diagram(url)) == []
