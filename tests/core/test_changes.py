"""summarize_changes: what a reviewer is told about each kind of change, matched by id."""

from typing import Any

import pytest
from pydantic import ValidationError

from chartdb_mcp.core.edit.changes import ChangeSet, DetailChange, summarize_changes
from chartdb_mcp.core.edit.ops import (
    AddColumn,
    AddIndex,
    AddRelationship,
    AlterColumn,
    ChangeOp,
    CreateTable,
    DropColumn,
    DropIndex,
    DropRelationship,
    DropTable,
    RenameColumn,
    RenameTable,
    SetPosition,
    SetPrimaryKey,
    SetTableComment,
    SetTableStatus,
    apply_all,
)
from chartdb_mcp.core.model import (
    CustomType,
    CustomTypeKind,
    Diagram,
    Index,
    IndexPart,
    Position,
    ReferentialAction,
    TableStatus,
)
from support.sample_diagrams import blog_diagram, column, tagging_tables


def tagging_ops() -> list[ChangeOp]:
    """Create tags and post_tags and link post_tags to posts and to tags."""
    tags, post_tags = tagging_tables()
    return [
        CreateTable(table=tags),
        CreateTable(table=post_tags),
        AddRelationship(
            name="post_tags_post_fk",
            source_table="post_tags",
            source_columns=["post_id"],
            target_table="posts",
            target_columns=["id"],
            on_delete=ReferentialAction.CASCADE,
        ),
        AddRelationship(
            name="post_tags_tag_fk",
            source_table="post_tags",
            source_columns=["tag_id"],
            target_table="tags",
            target_columns=["id"],
        ),
    ]


def changes_after(ops: list[ChangeOp], before: Diagram | None = None) -> ChangeSet:
    before = before or blog_diagram()
    return summarize_changes(before, apply_all(ops, before))


def details(changes: ChangeSet, table: str) -> list[tuple[str, str, str, str]]:
    change = next(t for t in changes.tables if t.name == table)
    return [(d.change, d.element, d.name, d.text) for d in change.details]


def test_new_tables_list_what_they_are_created_with_and_reach_posts() -> None:
    changes = changes_after(tagging_ops())
    assert [(t.name, t.change) for t in changes.tables] == [
        ("public.tags", "added"),
        ("public.post_tags", "added"),
    ]
    assert details(changes, "public.tags") == [
        ("added", "column", "id", "integer NOT NULL"),
        ("added", "column", "name", "text NOT NULL"),
        ("added", "primary_key", "", "(id)"),
        ("added", "unique", "tags_name_key", "(name)"),
    ]
    assert details(changes, "public.post_tags")[-1] == (
        "added",
        "primary_key",
        "",
        "(post_id, tag_id)",
    )
    assert [(r.change, r.name, r.text) for r in changes.relationships] == [
        (
            "added",
            "post_tags_post_fk",
            "public.post_tags(post_id) → public.posts(id) ON DELETE CASCADE",
        ),
        ("added", "post_tags_tag_fk", "public.post_tags(tag_id) → public.tags(id)"),
    ]
    assert (changes.relationships[0].source_table, changes.relationships[0].target_table) == (
        "public.post_tags",
        "public.posts",
    )
    assert changes.affected_tables == ["public.tags", "public.post_tags"]
    assert changes.impact == ["public.posts"]


def test_altered_added_and_dropped_columns_are_details_of_a_modified_table() -> None:
    changes = changes_after(
        [
            AlterColumn(table="posts", column="title", type="varchar(200)", nullable=True),
            DropIndex(table="posts", index="posts_published_idx"),
            DropColumn(table="posts", column="published_at"),
            AddColumn(table="posts", column=column("slug", "text", False)),
        ]
    )
    assert [(t.name, t.change) for t in changes.tables] == [("public.posts", "modified")]
    assert details(changes, "public.posts") == [
        ("modified", "column", "title", "type text → varchar(200), NOT NULL → NULL"),
        ("added", "column", "slug", "text NOT NULL"),
        ("removed", "column", "published_at", "timestamp"),
        (
            "removed",
            "index",
            "posts_published_idx",
            "(published_at DESC) WHERE published_at IS NOT NULL",
        ),
    ]
    assert changes.relationships == []
    assert changes.impact == ["public.authors", "public.comments"]


def test_a_dropped_table_takes_its_relationships_and_reaches_its_neighbours() -> None:
    changes = changes_after([DropTable(table="posts")])
    assert [(t.name, t.change, t.details) for t in changes.tables] == [
        ("public.posts", "removed", [])
    ]
    assert [(r.change, r.name, r.text) for r in changes.relationships] == [
        (
            "removed",
            "posts_author_fk",
            "public.posts(author_id) → public.authors(id) ON DELETE CASCADE",
        ),
        ("removed", "comments_post_fk", "public.comments(post_id) → public.posts(id)"),
    ]
    assert changes.impact == ["public.authors", "public.comments"]


def test_removed_tables_come_after_the_changed_ones() -> None:
    changes = changes_after(
        [DropTable(table="authors"), AddColumn(table="comments", column=column("body", "text"))]
    )
    assert changes.affected_tables == ["public.comments", "public.authors"]


def test_a_renamed_table_is_modified_with_its_old_name_and_nothing_else() -> None:
    changes = changes_after([RenameTable(table="authors", new_name="writers")])
    assert [(t.name, t.change, t.renamed_from, t.details) for t in changes.tables] == [
        ("public.writers", "modified", "public.authors", [])
    ]
    assert changes.relationships == []
    assert changes.impact == ["public.posts"]


def test_a_renamed_column_does_not_make_its_keys_and_relationships_look_changed() -> None:
    changes = changes_after([RenameColumn(table="posts", column="id", new_name="post_id")])
    assert details(changes, "public.posts") == [
        ("modified", "column", "post_id", "renamed from id")
    ]
    assert changes.relationships == []


def test_keys_indexes_and_settings_are_compared() -> None:
    index = Index(name="posts_title_idx", parts=[IndexPart(column="title")], unique=True)
    changes = changes_after(
        [
            SetPrimaryKey(table="posts", columns=["id", "author_id"]),
            AddIndex(table="posts", index=index),
            SetTableComment(table="posts", comment="What authors write"),
            SetTableStatus(table="posts", status=TableStatus.EXISTS),
            SetPosition(table="posts", position=Position(x=120, y=40.5)),
        ]
    )
    assert details(changes, "public.posts") == [
        ("modified", "primary_key", "", "(id) → (id, author_id)"),
        ("added", "index", "posts_title_idx", "UNIQUE (title)"),
        ("added", "comment", "", "'What authors write'"),
        ("modified", "status", "", "PLANNED → EXISTS"),
        ("added", "position", "", "(120, 40.5)"),
    ]


def test_kept_columns_in_a_new_order_are_reported_once() -> None:
    before = blog_diagram()
    authors = before.tables[0]
    reordered = authors.model_copy(update={"columns": authors.columns[::-1]})
    after = before.model_copy(update={"tables": [reordered, *before.tables[1:]]})
    changes = summarize_changes(before, after)
    assert details(changes, "public.authors") == [
        ("modified", "column", "(order)", "id, email → email, id")
    ]


def test_a_relationship_with_a_new_action_is_modified() -> None:
    before = blog_diagram()
    fk = before.relationships[1]
    recreated = AddRelationship(
        id=fk.id,
        name=fk.name,
        source_table="comments",
        source_columns=["post_id"],
        target_table="posts",
        target_columns=["id"],
        on_delete=ReferentialAction.CASCADE,
    )
    changes = changes_after([DropRelationship(relationship=fk.id), recreated], before)
    assert [(r.change, r.text) for r in changes.relationships] == [
        (
            "modified",
            "public.comments(post_id) → public.posts(id) ON DELETE CASCADE "
            "(was public.comments(post_id) → public.posts(id))",
        )
    ]
    assert changes.tables == [] and changes.impact == ["public.posts", "public.comments"]


def with_types(diagram: Diagram, *types: CustomType) -> Diagram:
    return diagram.model_copy(update={"custom_types": list(types)})


def test_custom_types_are_matched_by_id() -> None:
    mood = CustomType(id="ty1", name="mood", kind=CustomTypeKind.ENUM, values=["happy", "sad"])
    email = CustomType(id="ty2", name="email", kind=CustomTypeKind.DOMAIN, base_type="text")
    size = CustomType(id="ty3", name="size", kind=CustomTypeKind.ENUM, values=["s", "m"])
    before = with_types(blog_diagram(), mood, email)
    after = with_types(
        before,
        mood.model_copy(update={"name": "feeling", "values": ["happy", "sad", "meh"]}),
        size,
    )
    changes = summarize_changes(before, after)
    assert [(t.name, t.change, t.text) for t in changes.custom_types] == [
        (
            "feeling",
            "modified",
            "renamed from mood, enum (happy, sad) → enum (happy, sad, meh)",
        ),
        ("size", "added", "enum (s, m)"),
        ("email", "removed", "domain (text)"),
    ]
    assert changes.tables == [] and not changes.is_empty


def test_no_change_is_empty_and_serializes_to_nothing() -> None:
    changes = changes_after([])
    assert changes.is_empty
    assert changes.model_dump(exclude_defaults=True) == {}


def test_serialized_details_leave_out_empty_fields() -> None:
    changes = changes_after([RenameTable(table="authors", new_name="writers")])
    dumped: dict[str, Any] = changes.model_dump(exclude_defaults=True)
    assert dumped["tables"] == [
        {
            "table_id": changes.tables[0].table_id,
            "name": "public.writers",
            "change": "modified",
            "renamed_from": "public.authors",
        }
    ]
    detail = DetailChange(change="added", element="primary_key", text="(id)")
    assert detail.model_dump(exclude_defaults=True) == {
        "change": "added",
        "element": "primary_key",
        "text": "(id)",
    }


def test_change_sets_are_immutable() -> None:
    changes = changes_after(tagging_ops())
    with pytest.raises(ValidationError):
        changes.impact = []  # type: ignore[misc]
