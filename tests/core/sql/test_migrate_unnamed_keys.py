"""A foreign key proposed without a name: MySQL and MariaDB name it themselves, so the
migration adds it and says it has no inverse, rather than failing on the missing name."""

import pytest

from chartdb_mcp.core.edit.ops.union import CHANGE_OPS
from chartdb_mcp.core.edit.replay import replay
from chartdb_mcp.core.model import DatabaseType
from chartdb_mcp.core.sql.migrate import Risk, plan_migration
from support.migration_pairs import MARIA, PG, blog

ADD = {
    "kind": "add_relationship",
    "source_table": "tags",
    "source_columns": ["id"],
    "target_table": "authors",
    "target_columns": ["id"],
}


@pytest.mark.parametrize("dialect", [MARIA, DatabaseType.MYSQL])
def test_an_unnamed_foreign_key_is_added_without_an_inverse(dialect: DatabaseType) -> None:
    before = blog(MARIA)
    after = replay(CHANGE_OPS.validate_python([ADD]), before).diagram
    [step] = plan_migration(before, after, dialect).steps
    assert step.sql.startswith("ALTER TABLE tags ADD FOREIGN KEY(id) REFERENCES authors (id)")
    assert step.risk == Risk.WARNING and step.inverse is None


def test_postgres_names_it_and_can_drop_it_again() -> None:
    before = blog(PG)
    after = replay(CHANGE_OPS.validate_python([ADD]), before).diagram
    [step] = plan_migration(before, after, PG).steps
    assert step.inverse == "ALTER TABLE public.tags DROP CONSTRAINT tags_id_fkey"
