"""Re-importing keeps design work: ids, colors, positions and tables the database lacks."""

from chartdb_mcp.core.edit.merge_import import merge_import
from chartdb_mcp.core.model import (
    DatabaseType,
    Diagram,
    ImportSource,
    Position,
    Relationship,
    Table,
    TableStatus,
    View,
)
from support.sample_diagrams import blog_diagram, column


def live_copy(diagram: Diagram) -> Diagram:
    """What a fresh import of the same database would give: same names, new ids."""
    fresh = Diagram.model_validate(diagram.model_dump())
    id_map = {}
    for table in fresh.tables:
        new = Table(name=table.name).id
        id_map[table.id] = new
        table.id = new
        table.status = TableStatus.EXISTS
        for col in table.columns:
            col.id = column(col.name).id
    for table in fresh.tables:
        if table.partition_of is not None:
            table.partition_of = id_map[table.partition_of]
    fresh.relationships = [
        r.model_copy(
            update={
                "source_table_id": id_map[r.source_table_id],
                "target_table_id": id_map[r.target_table_id],
            }
        )
        for r in fresh.relationships
    ]
    return Diagram.model_validate(fresh.model_dump())


def test_reimport_keeps_ids_and_canvas_and_takes_definitions() -> None:
    existing = blog_diagram()
    posts = existing.tables[1]
    posts.color, posts.position = "#ff0000", Position(x=10, y=20)
    imported = live_copy(existing)
    imported.tables[1].columns.append(column("subtitle", "text"))
    outcome = merge_import(existing, imported)
    merged = outcome.diagram
    assert [t.id for t in merged.tables] == [t.id for t in existing.tables]
    merged_posts = merged.tables[1]
    assert (merged_posts.color, merged_posts.position) == ("#ff0000", Position(x=10, y=20))
    assert merged_posts.columns[0].id == posts.columns[0].id
    assert merged_posts.column("subtitle") is not None
    assert merged_posts.status is TableStatus.EXISTS
    assert outcome.updated == ["public.authors", "public.posts", "public.comments"]
    assert outcome.added == [] and outcome.not_in_database == []
    assert {(r.source_table_id, r.target_table_id) for r in merged.relationships} == {
        (r.source_table_id, r.target_table_id) for r in existing.relationships
    }


def test_planned_tables_survive_and_are_reported() -> None:
    existing = blog_diagram()
    planned = Table(schema_name="public", name="tags", columns=[column("id")])
    existing.tables.append(planned)
    existing.relationships.append(
        Relationship(
            source_table_id=planned.id,
            source_columns=["id"],
            target_table_id=existing.tables[0].id,
            target_columns=["id"],
        )
    )
    imported = live_copy(blog_diagram())
    outcome = merge_import(existing, imported)
    assert outcome.diagram.find_table("tags") is not None
    assert outcome.not_in_database == ["public.tags"]
    assert any(r.source_table_id == planned.id for r in outcome.diagram.relationships)


def test_new_tables_are_added_after_existing_ones_and_views_replaced_by_name() -> None:
    existing = blog_diagram()
    imported = live_copy(existing)
    imported.tables.append(Table(schema_name="public", name="tags", columns=[column("id")]))
    imported.views = [View(schema_name="public", name="recent_posts", definition="SELECT 1")]
    outcome = merge_import(existing, imported)
    assert [t.name for t in outcome.diagram.tables][-1] == "tags"
    assert outcome.added == ["public.tags"]
    [view] = outcome.diagram.views
    assert view.definition == "SELECT 1" and view.id == existing.views[0].id


def test_a_generic_diagram_takes_the_database_type() -> None:
    existing = blog_diagram()
    existing.database_type = DatabaseType.GENERIC
    merged = merge_import(existing, live_copy(blog_diagram())).diagram
    assert merged.database_type is DatabaseType.POSTGRESQL


def test_partitions_point_at_their_parent_after_a_reimport() -> None:
    existing = blog_diagram()
    parent = existing.tables[1]
    existing.tables.append(
        Table(
            schema_name="public", name="posts_2024", columns=[column("id")], partition_of=parent.id
        )
    )
    imported = live_copy(existing)
    merged = merge_import(existing, imported).diagram
    partition = merged.find_table("posts_2024")
    assert partition is not None and partition.partition_of == parent.id


def test_every_element_keeps_its_id_across_a_reimport() -> None:
    existing = blog_diagram()
    imported = live_copy(existing)
    for table in imported.tables:
        for index in table.indexes:
            index.id = Table(name="x").id
    for relationship in imported.relationships:
        relationship.id = Table(name="x").id
    imported.views[0].columns[0].id = "fresh"
    merged = merge_import(existing, imported).diagram
    assert [r.id for r in merged.relationships] == [r.id for r in existing.relationships]
    assert merged.tables[1].indexes[0].id == existing.tables[1].indexes[0].id
    assert merged.views[0].columns[0].id == existing.views[0].columns[0].id


def test_foreign_keys_to_tables_outside_a_partial_import_are_kept() -> None:
    existing = blog_diagram()
    authors, posts, comments = existing.tables
    authors.schema_name = "people"
    copy = live_copy(existing)
    tables = [t for t in copy.tables if t.schema_name == "public"]
    ids = {t.id for t in tables}
    imported = copy.model_copy(
        update={
            "tables": tables,
            "relationships": [
                r for r in copy.relationships if {r.source_table_id, r.target_table_id} <= ids
            ],
            "schemas": ["public"],
        }
    )
    merged = merge_import(existing, imported).diagram
    pairs = {(r.source_table_id, r.target_table_id) for r in merged.relationships}
    assert (posts.id, authors.id) in pairs
    assert (comments.id, posts.id) in pairs


def test_tables_gone_from_the_database_become_planned_with_a_note() -> None:
    existing = blog_diagram()
    existing.tables[2].status = TableStatus.EXISTS
    copy = live_copy(existing)
    imported = copy.model_copy(
        update={
            "tables": copy.tables[:2],
            "relationships": copy.relationships[:1],
            "source": ImportSource(url="postgresql://h/db", dialect="postgresql"),
        }
    )
    outcome = merge_import(existing, imported)
    comments = outcome.diagram.find_table("comments")
    assert comments is not None and comments.status is TableStatus.PLANNED
    assert comments.sync is not None
    assert comments.sync.drift == ["Not found in postgresql://h/db when it was imported again."]
    assert outcome.not_in_database == ["public.comments"]
