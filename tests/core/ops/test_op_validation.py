"""What ops refuse (with the exact message) and what they only warn about."""

from collections.abc import Callable

import pytest

from chartdb_mcp.core.edit import ops
from chartdb_mcp.core.model import (
    Column,
    Diagram,
    Index,
    IndexPart,
    Relationship,
    Table,
    UniqueConstraint,
)
from chartdb_mcp.errors import InvalidChange

Make = Callable[[Diagram], ops.ChangeOp]

ERRORS: list[tuple[str, Make, str]] = [
    (
        "unknown_table",
        lambda d: ops.AddColumn(table="nope", column=Column(name="x", type="text")),
        "Table 'nope' does not exist in diagram 'blog'.",
    ),
    (
        "unknown_table_in_schema",
        lambda d: ops.DropTable(table="archive.posts"),
        "Table 'archive.posts' does not exist in diagram 'blog'. Did you mean: 'public.posts'?",
    ),
    (
        "duplicate_column",
        lambda d: ops.AddColumn(table="posts", column=Column(name="title", type="text")),
        "Table 'posts' already has a column named 'title'.",
    ),
    (
        "rename_column_onto_existing",
        lambda d: ops.RenameColumn(table="posts", column="title", new_name="id"),
        "Table 'posts' already has a column named 'id'.",
    ),
    (
        "unknown_column",
        lambda d: ops.AlterColumn(table="public.posts", column="body", nullable=False),
        "Table 'public.posts' has no column named 'body'.",
    ),
    (
        "duplicate_table",
        lambda d: ops.CreateTable(table=Table(schema_name="public", name="posts")),
        "Diagram 'blog' already has a table named 'public.posts'.",
    ),
    (
        "rename_table_onto_existing",
        lambda d: ops.RenameTable(table="posts", new_name="authors"),
        "Diagram 'blog' already has a table named 'public.authors'.",
    ),
    (
        "fk_to_missing_column",
        lambda d: ops.AddRelationship(
            name="posts_editor_fk",
            source_table="posts",
            source_columns=["author_id"],
            target_table="authors",
            target_columns=["uuid"],
        ),
        "Relationship 'posts_editor_fk' refers to columns ['uuid'] that table 'authors' "
        "does not have.",
    ),
    (
        "fk_from_missing_table",
        lambda d: ops.AddRelationship(
            source_table="drafts",
            source_columns=["author_id"],
            target_table="authors",
            target_columns=["id"],
        ),
        "Table 'drafts' does not exist in diagram 'blog'.",
    ),
    (
        "duplicate_relationship_name",
        lambda d: ops.AddRelationship(
            name="posts_author_fk",
            source_table="comments",
            source_columns=["id"],
            target_table="authors",
            target_columns=["id"],
        ),
        "Diagram 'blog' already has a relationship 'posts_author_fk'.",
    ),
    (
        "drop_column_used_by_fk",
        lambda d: ops.DropColumn(table="posts", column="author_id"),
        "Column 'author_id' of table 'posts' cannot be dropped; it is used by relationship "
        "'posts_author_fk'.",
    ),
    (
        "drop_column_used_by_key_and_fk",
        lambda d: ops.DropColumn(table="posts", column="id"),
        "Column 'id' of table 'posts' cannot be dropped; it is used by the primary key, "
        "relationship 'comments_post_fk'.",
    ),
    (
        "drop_column_used_by_index",
        lambda d: ops.DropColumn(table="posts", column="published_at"),
        "Column 'published_at' of table 'posts' cannot be dropped; it is used by index "
        "'posts_published_idx'.",
    ),
    (
        "drop_column_used_by_unique",
        lambda d: ops.DropColumn(table="authors", column="email"),
        "Column 'email' of table 'authors' cannot be dropped; it is used by unique "
        "constraint 'authors_email_key'.",
    ),
    (
        "alter_required_field_to_null",
        lambda d: ops.AlterColumn(table="posts", column="title", nullable=None),
        "Column 'title' of table 'posts' cannot have ['nullable'] set to null.",
    ),
    (
        "column_position_out_of_range",
        lambda d: ops.AddColumn(table="posts", column=Column(name="x", type="text"), position=9),
        "Position 9 is outside 0..4 for the columns of table 'posts'.",
    ),
    (
        "index_on_missing_column",
        lambda d: ops.AddIndex(
            table="posts", index=Index(name="posts_body_idx", parts=[IndexPart(column="body")])
        ),
        "The index 'posts_body_idx' refers to columns ['body'] that table 'posts' does not have.",
    ),
    (
        "duplicate_index",
        lambda d: ops.AddIndex(
            table="posts",
            index=Index(name="posts_published_idx", parts=[IndexPart(column="title")]),
        ),
        "Table 'posts' already has an index named 'posts_published_idx'.",
    ),
    (
        "unknown_index",
        lambda d: ops.DropIndex(table="posts", index="posts_idx"),
        "Table 'posts' has no index named 'posts_idx'.",
    ),
    (
        "unknown_relationship",
        lambda d: ops.DropRelationship(relationship="nope_fk"),
        "Diagram 'blog' has no relationship named 'nope_fk'.",
    ),
    (
        "primary_key_on_missing_column",
        lambda d: ops.SetPrimaryKey(table="comments", columns=["uuid"]),
        "The primary key refers to columns ['uuid'] that table 'comments' does not have.",
    ),
    (
        "unique_on_missing_column",
        lambda d: ops.AddUnique(
            table="posts", constraint=UniqueConstraint(name="u", columns=["slug"])
        ),
        "The unique constraint 'u' refers to columns ['slug'] that table 'posts' does not have.",
    ),
    (
        "unknown_check",
        lambda d: ops.DropCheck(table="posts", check="nope"),
        "Table 'posts' has no check named 'nope'.",
    ),
    (
        "unknown_unique",
        lambda d: ops.DropUnique(table="posts", constraint="nope"),
        "Table 'posts' has no unique constraint named 'nope'.",
    ),
    (
        "unknown_table_for_presentation",
        lambda d: ops.SetColor(table="post", color="red"),
        "Table 'post' does not exist in diagram 'blog'. Did you mean: 'posts'?",
    ),
]


@pytest.mark.parametrize(("make", "message"), [e[1:] for e in ERRORS], ids=[e[0] for e in ERRORS])
def test_invalid_ops_are_refused_with_a_message(make: Make, message: str, blog: Diagram) -> None:
    before = blog.model_dump()
    op = make(blog)
    for action in (ops.validate, ops.apply, ops.invert, ops.describe):
        with pytest.raises(InvalidChange) as raised:
            action(op, blog)
        assert str(raised.value) == message
    assert blog.model_dump() == before


WARNINGS: list[tuple[str, Make, list[str]]] = [
    (
        "fk_type_mismatch",
        lambda d: ops.AddRelationship(
            name="comments_title_fk",
            source_table="comments",
            source_columns=["post_id"],
            target_table="posts",
            target_columns=["title"],
        ),
        [
            "Column 'comments.post_id' (integer) differs in type from 'posts.title' (text) "
            "in relationship 'comments_title_fk'."
        ],
    ),
    (
        "altered_fk_source_type",
        lambda d: ops.AlterColumn(table="posts", column="author_id", type="bigint"),
        [
            "Column 'posts.author_id' (bigint) differs in type from 'authors.id' (integer) "
            "in relationship 'posts_author_fk'."
        ],
    ),
    (
        "altered_fk_target_type",
        lambda d: ops.AlterColumn(table="posts", column="id", type="bigint"),
        [
            "Column 'comments.post_id' (integer) differs in type from 'posts.id' (bigint) "
            "in relationship 'comments_post_fk'."
        ],
    ),
    (
        "type_alias_is_no_mismatch",
        lambda d: ops.AlterColumn(table="posts", column="author_id", type="int4"),
        [],
    ),
    (
        "rename_column_in_sql_text",
        lambda d: ops.RenameColumn(table="posts", column="title", new_name="headline"),
        [
            "check 'title_not_empty' of table 'posts' mentions 'title' in SQL text, "
            "which is not rewritten."
        ],
    ),
    (
        "nullable_primary_key_column",
        lambda d: ops.SetPrimaryKey(table="posts", columns=["id", "published_at"]),
        ["Column 'published_at' of table 'posts' is nullable but in the primary key."],
    ),
    (
        "drop_table_drops_relationships",
        lambda d: ops.DropTable(table="posts"),
        [
            "Dropping table 'posts' also drops relationships "
            "['posts_author_fk', 'comments_post_fk']."
        ],
    ),
]


@pytest.mark.parametrize(
    ("make", "warnings"), [w[1:] for w in WARNINGS], ids=[w[0] for w in WARNINGS]
)
def test_warnings(make: Make, warnings: list[str], blog: Diagram) -> None:
    op = make(blog)
    assert ops.validate(op, blog) == warnings
    ops.apply(op, blog)  # a warning never stops the change


def test_a_partitioned_table_cannot_be_dropped_before_its_partitions(blog: Diagram) -> None:
    events = Table(name="events", partition_by="RANGE (at)")
    partition = Table(name="events_2026", partition_of=events.id)
    diagram = ops.apply_all([ops.CreateTable(table=events), ops.CreateTable(table=partition)], blog)
    with pytest.raises(InvalidChange) as raised:
        ops.apply(ops.DropTable(table="events"), diagram)
    assert str(raised.value) == (
        "Table 'events' cannot be dropped: partitions ['events_2026'] belong to it."
    )


def test_the_final_model_check_catches_what_an_op_overlooked(blog: Diagram) -> None:
    tags = Table(name="tags", columns=[Column(name="id", type="integer")])
    dangling = Relationship(
        name="tags_post_fk",
        source_table_id=tags.id,
        source_columns=["post_id"],
        target_table_id=blog.tables[1].id,
        target_columns=["id"],
    )
    op = ops.RestoreTable(
        table=tags,
        position=0,
        relationships=[ops.PlacedRelationship(position=0, relationship=dangling)],
    )
    with pytest.raises(
        InvalidChange,
        match=r"^The change 'restore_table' would leave diagram "
        r"'blog' invalid: .*columns \['post_id'\] that table 'tags' does not have",
    ):
        ops.apply(op, blog)
