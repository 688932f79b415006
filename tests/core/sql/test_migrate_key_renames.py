"""Renaming a column that a primary key, an index or a foreign key names, as the
rename_column op does (keys, indexes and relationships follow the column), migrates
by RENAME alone: the key, index and foreign key are the same objects afterwards."""

import pytest

from chartdb_mcp.core.edit.ops.union import CHANGE_OPS
from chartdb_mcp.core.edit.replay import replay
from chartdb_mcp.core.model import DatabaseType
from chartdb_mcp.core.sql.migrate import plan_migration
from support.migration_pairs import ALL, blog

RENAMES = [
    # authors.id: the primary key and the foreign key's target
    {"kind": "rename_column", "table": "authors", "column": "id", "new_name": "author_no"},
    # posts.author_id: indexed, and the foreign key's source
    {"kind": "rename_column", "table": "posts", "column": "author_id", "new_name": "writer"},
]


@pytest.mark.parametrize("dialect", ALL)
@pytest.mark.parametrize("op", RENAMES, ids=["key column", "indexed column"])
def test_renaming_a_keyed_column_is_one_rename(dialect: DatabaseType, op: dict[str, str]) -> None:
    before = blog(dialect)
    after = replay(CHANGE_OPS.validate_python([op]), before).diagram
    sql = [step.sql for step in plan_migration(before, after, dialect).steps]
    assert len(sql) == 1, sql
    assert "RENAME COLUMN" in sql[0] and op["new_name"] in sql[0]
