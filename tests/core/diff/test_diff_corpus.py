"""The diff on a real schema: sakila read from SQLite, edited, diffed and replayed."""

from pathlib import Path

from chartdb_mcp.core.edit.diff import diff_diagrams
from chartdb_mcp.core.edit.ops import apply_all
from chartdb_mcp.core.model import Column, Diagram
from chartdb_mcp.live.introspect import introspect
from chartdb_mcp.live.target import parse_target


def test_sakila_edits_round_trip(sakila_sqlite_path: Path) -> None:
    live = introspect(parse_target(str(sakila_sqlite_path)))
    old = Diagram(name="sakila", tables=live.tables, relationships=live.relationships)
    data = old.model_dump()
    by_name = {table["name"]: table for table in data["tables"]}
    by_name["actor"]["name"] = "performer"
    by_name["film"]["columns"].insert(1, Column(name="tagline", type="TEXT").model_dump())
    by_name["film"]["columns"].reverse()
    by_name["customer"]["comment"] = "People who rent."
    dropped = by_name["film_text"]["id"]
    data["tables"] = [t for t in data["tables"] if t["id"] != dropped]
    data["relationships"] = [
        r
        for r in data["relationships"]
        if dropped not in (r["source_table_id"], r["target_table_id"])
    ][::-1]
    new = Diagram.model_validate(data)

    ops = diff_diagrams(old, new)

    result = apply_all(ops, old)
    assert [t.model_dump() for t in result.tables] == [t.model_dump() for t in new.tables]
    assert [r.model_dump() for r in result.relationships] == [
        r.model_dump() for r in new.relationships
    ]
    assert {op.kind for op in ops} >= {"rename_table", "drop_table", "add_column"}
    assert diff_diagrams(new, new) == []
