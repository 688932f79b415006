"""The index MySQL makes for a new foreign key, read back by a re-import, needs no
statement: a migration from the version before the re-import is empty."""

from chartdb_mcp.core.model import Index, IndexPart, Relationship
from chartdb_mcp.core.sql.migrate import plan_migration
from support.migration_pairs import MARIA, blog, edit, table_of


def test_the_index_mysql_made_for_a_foreign_key_is_not_created_again() -> None:
    key = Relationship(
        id="tags_author",
        name="tags_author_fkey",
        source_table_id="tags",
        source_columns=["id"],
        target_table_id="authors",
        target_columns=["id"],
    )
    designed = blog(MARIA)
    designed = designed.model_copy(update={"relationships": [*designed.relationships, key]})
    made = Index(name="tags_author_fkey", parts=[IndexPart(column="id")])
    read_back = edit(designed, "tags", indexes=[*table_of(designed, "tags").indexes, made])
    assert plan_migration(designed, read_back, MARIA).steps == []
    # an index of another name is the designer's own, and is created
    own = Index(name="tags_by_id", parts=[IndexPart(column="id")])
    wanted = edit(designed, "tags", indexes=[own])
    assert [s.sql for s in plan_migration(designed, wanted, MARIA).steps] == [
        "CREATE INDEX tags_by_id ON tags (id)"
    ]
