"""Every op kind: what applying it gives, its one-line description, and its exact undo.

Each case builds its op from the blog diagram, names the line `describe` must print, and
observes one fact of the result. The test then checks that the inverse brings back the
diagram exactly (ids and order included) and that the input was never changed.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import get_args

import pytest

from chartdb_mcp.core.edit import ops
from chartdb_mcp.core.model import (
    CheckConstraint,
    Column,
    CustomType,
    CustomTypeKind,
    Diagram,
    IdentityGeneration,
    Index,
    IndexPart,
    Position,
    PrimaryKey,
    Table,
    TableStatus,
    UniqueConstraint,
)


@dataclass
class Case:
    name: str
    make: Callable[[Diagram], ops.ChangeOp]
    text: str
    observe: Callable[[Diagram], object]
    expected: object


def table(diagram: Diagram, name: str) -> Table:
    found = diagram.find_table(name)
    assert found is not None
    return found


def column_names(diagram: Diagram, name: str) -> list[str]:
    return [column.name for column in table(diagram, name).columns]


def column_of(diagram: Diagram, table_name: str, name: str) -> Column:
    found = table(diagram, table_name).column(name)
    assert found is not None
    return found


def relationship_names(diagram: Diagram) -> list[str | None]:
    return [relationship.name for relationship in diagram.relationships]


def type_names(diagram: Diagram) -> list[str]:
    return [custom_type.qualified_name for custom_type in diagram.custom_types]


TAGS = Table(
    schema_name="public",
    name="tags",
    columns=[Column(name="id", type="integer")],
    primary_key=PrimaryKey(columns=["id"]),
)

CASES = [
    Case(
        "create_table",
        lambda d: ops.CreateTable(table=TAGS),
        "+ table public.tags",
        lambda d: [t.name for t in d.tables],
        ["authors", "posts", "comments", "tags"],
    ),
    Case(
        "create_table_at_position",
        lambda d: ops.CreateTable(table=TAGS, position=0),
        "+ table public.tags",
        lambda d: [t.name for t in d.tables],
        ["tags", "authors", "posts", "comments"],
    ),
    Case(
        "drop_table_with_two_relationships",
        lambda d: ops.DropTable(table="public.posts"),
        "- table public.posts (and 2 relationships)",
        lambda d: ([t.name for t in d.tables], relationship_names(d)),
        (["authors", "comments"], []),
    ),
    Case(
        "drop_table_with_one_relationship",
        lambda d: ops.DropTable(table="authors"),
        "- table public.authors (and 1 relationship)",
        relationship_names,
        ["comments_post_fk"],
    ),
    Case(
        "rename_table",
        lambda d: ops.RenameTable(table="posts", new_name="articles"),
        "~ table public.posts -> public.articles",
        lambda d: (d.find_table("posts"), table(d, "public.articles").columns[2].name),
        (None, "title"),
    ),
    Case(
        "add_column_at_position",
        lambda d: ops.AddColumn(
            table="posts", column=Column(name="subtitle", type="varchar(200)"), position=3
        ),
        "+ column posts.subtitle varchar(200)",
        lambda d: column_names(d, "posts"),
        ["id", "author_id", "title", "subtitle", "published_at"],
    ),
    Case(
        "add_column_at_end",
        lambda d: ops.AddColumn(table="comments", column=Column(name="body", type="text")),
        "+ column comments.body text",
        lambda d: column_names(d, "comments"),
        ["id", "post_id", "body"],
    ),
    Case(
        "drop_column",
        lambda d: ops.DropColumn(table="posts", column="title"),
        "- column posts.title",
        lambda d: column_names(d, "posts"),
        ["id", "author_id", "published_at"],
    ),
    Case(
        "rename_column_in_keys_and_relationships",
        lambda d: ops.RenameColumn(table="posts", column="id", new_name="post_id"),
        "~ column posts.id -> post_id",
        lambda d: (
            table(d, "posts").primary_key.columns,  # type: ignore[union-attr]
            d.relationships[1].target_columns,
        ),
        (["post_id"], ["post_id"]),
    ),
    Case(
        "rename_column_in_index",
        lambda d: ops.RenameColumn(table="posts", column="published_at", new_name="published"),
        "~ column posts.published_at -> published",
        lambda d: table(d, "posts").indexes[0].columns,
        ["published DESC"],
    ),
    Case(
        "rename_column_in_unique",
        lambda d: ops.RenameColumn(table="authors", column="email", new_name="mail"),
        "~ column authors.email -> mail",
        lambda d: table(d, "authors").unique_constraints[0].columns,
        ["mail"],
    ),
    Case(
        "alter_column_type",
        lambda d: ops.AlterColumn(table="posts", column="title", type="varchar(300)"),
        "~ column posts.title: text -> varchar(300)",
        lambda d: column_of(d, "posts", "title").model_dump(
            include={"type", "normalized_type", "nullable"}
        ),
        {"type": "varchar(300)", "normalized_type": "varchar(300)", "nullable": False},
    ),
    Case(
        "alter_column_several_fields",
        lambda d: ops.AlterColumn(
            table="posts", column="published_at", nullable=False, default="now()", comment="UTC"
        ),
        "~ column posts.published_at: nullable true -> false, default none -> now(), "
        "comment none -> UTC",
        lambda d: column_of(d, "posts", "published_at").model_dump(
            include={"type", "nullable", "default", "comment"}
        ),
        {"type": "timestamp", "nullable": False, "default": "now()", "comment": "UTC"},
    ),
    Case(
        "alter_column_identity",
        lambda d: ops.AlterColumn(
            table="authors", column="id", autoincrement=True, identity=IdentityGeneration.ALWAYS
        ),
        "~ column authors.id: autoincrement false -> true, identity none -> ALWAYS",
        lambda d: (column_of(d, "authors", "id").identity, column_of(d, "authors", "id").type),
        (IdentityGeneration.ALWAYS, "integer"),
    ),
    Case(
        "add_index",
        lambda d: ops.AddIndex(
            table="posts",
            index=Index(name="posts_title_idx", parts=[IndexPart(column="title")], unique=True),
        ),
        "+ unique index posts_title_idx on posts (title)",
        lambda d: [index.name for index in table(d, "posts").indexes],
        ["posts_published_idx", "posts_title_idx"],
    ),
    Case(
        "drop_index",
        lambda d: ops.DropIndex(table="posts", index="posts_published_idx"),
        "- index posts_published_idx",
        lambda d: table(d, "posts").indexes,
        [],
    ),
    Case(
        "add_composite_relationship",
        lambda d: ops.AddRelationship(
            name="comments_pair_fk",
            source_table="comments",
            source_columns=["post_id", "id"],
            target_table="public.posts",
            target_columns=["id", "author_id"],
        ),
        "+ relationship comments_pair_fk: comments(post_id, id) -> posts(id, author_id)",
        lambda d: (d.relationships[2].source_columns, d.relationships[2].target_columns),
        (["post_id", "id"], ["id", "author_id"]),
    ),
    Case(
        "drop_relationship",
        lambda d: ops.DropRelationship(relationship="posts_author_fk"),
        "- relationship posts_author_fk: posts(author_id) -> authors(id) ON DELETE CASCADE",
        relationship_names,
        ["comments_post_fk"],
    ),
    Case(
        "set_primary_key",
        lambda d: ops.SetPrimaryKey(table="posts", columns=["id", "author_id"], name="posts_pk"),
        "~ primary key posts: (id) -> (id, author_id)",
        lambda d: table(d, "posts").primary_key,
        PrimaryKey(name="posts_pk", columns=["id", "author_id"]),
    ),
    Case(
        "remove_primary_key",
        lambda d: ops.SetPrimaryKey(table="comments", columns=None),
        "~ primary key comments: (id) -> none",
        lambda d: table(d, "comments").primary_key,
        None,
    ),
    Case(
        "add_unique",
        lambda d: ops.AddUnique(
            table="posts", constraint=UniqueConstraint(name="posts_title_key", columns=["title"])
        ),
        "+ unique posts_title_key on posts (title)",
        lambda d: [u.columns for u in table(d, "posts").unique_constraints],
        [["title"]],
    ),
    Case(
        "drop_unique",
        lambda d: ops.DropUnique(table="authors", constraint="authors_email_key"),
        "- unique authors_email_key on authors",
        lambda d: table(d, "authors").unique_constraints,
        [],
    ),
    Case(
        "add_check",
        lambda d: ops.AddCheck(
            table="comments", check=CheckConstraint(name="positive_id", expression="id > 0")
        ),
        "+ check positive_id on comments: id > 0",
        lambda d: [c.expression for c in table(d, "comments").checks],
        ["id > 0"],
    ),
    Case(
        "drop_check",
        lambda d: ops.DropCheck(table="posts", check="title_not_empty"),
        "- check title_not_empty on posts",
        lambda d: table(d, "posts").checks,
        [],
    ),
    Case(
        "set_table_comment",
        lambda d: ops.SetTableComment(table="posts", comment="Blog posts"),
        "~ comment of table public.posts: none -> 'Blog posts'",
        lambda d: table(d, "posts").comment,
        "Blog posts",
    ),
    Case(
        "set_table_status",
        lambda d: ops.SetTableStatus(table="authors", status=TableStatus.DEPRECATED),
        "~ status of table public.authors: EXISTS -> DEPRECATED",
        lambda d: table(d, "authors").status,
        TableStatus.DEPRECATED,
    ),
    Case(
        "set_color",
        lambda d: ops.SetColor(table="posts", color="#ff0000"),
        "~ color of table public.posts: none -> '#ff0000'",
        lambda d: table(d, "posts").color,
        "#ff0000",
    ),
    Case(
        "set_position",
        lambda d: ops.SetPosition(table="posts", position=Position(x=10, y=20.5)),
        "~ position of table public.posts: none -> (10, 20.5)",
        lambda d: table(d, "posts").position,
        Position(x=10, y=20.5),
    ),
    Case(
        "create_enum_type",
        lambda d: ops.CreateType(
            type=CustomType(
                schema_name="public", name="status", kind=CustomTypeKind.ENUM, values=["a", "b"]
            )
        ),
        "+ type public.status (enum: a, b)",
        type_names,
        ["public.mood", "public.status"],
    ),
    Case(
        "create_domain_type_at_position",
        lambda d: ops.CreateType(
            type=CustomType(
                name="email", kind=CustomTypeKind.DOMAIN, base_type="text", nullable=False
            ),
            position=0,
        ),
        "+ type email (domain: text NOT NULL)",
        type_names,
        ["email", "public.mood"],
    ),
    Case(
        "alter_type_labels",
        lambda d: ops.AlterType(type="mood", values=["sad", "ok", "happy", "glad"]),
        "~ type public.mood: values sad, ok, happy -> sad, ok, happy, glad",
        lambda d: d.custom_types[0].values,
        ["sad", "ok", "happy", "glad"],
    ),
    Case(
        "alter_type_rename_and_default",
        lambda d: ops.AlterType(type="public.mood", new_name="feeling", default="'ok'"),
        "~ type public.mood -> public.feeling: default none -> 'ok'",
        lambda d: (type_names(d), d.custom_types[0].default),
        (["public.feeling"], "'ok'"),
    ),
    Case(
        "drop_type",
        lambda d: ops.DropType(type="mood"),
        "- type public.mood",
        type_names,
        [],
    ),
]


@pytest.mark.parametrize("case", CASES, ids=[case.name for case in CASES])
def test_apply_describe_and_invert(case: Case, blog: Diagram) -> None:
    before = blog.model_dump()
    op = case.make(blog)

    assert ops.describe(op, blog) == case.text
    changed = ops.apply(op, blog)
    assert case.observe(changed) == case.expected
    assert changed.model_dump() != before

    inverse = ops.invert(op, blog)
    assert ops.apply(inverse, changed).model_dump() == before
    assert blog.model_dump() == before, "the input diagram was changed"


@pytest.mark.parametrize("case", CASES, ids=[case.name for case in CASES])
def test_inverse_of_inverse_redoes_the_change(case: Case, blog: Diagram) -> None:
    op = case.make(blog)
    changed = ops.apply(op, blog)
    inverse = ops.invert(op, blog)
    redo = ops.invert(inverse, changed)
    assert ops.apply(redo, blog).model_dump() == changed.model_dump()


def test_every_kind_in_the_union_is_registered_and_covered(blog: Diagram) -> None:
    members = get_args(get_args(ops.ChangeOp)[0])
    kinds = {member.model_fields["kind"].default for member in members}
    # restore_table is reached as the inverse of drop_table in the cases above.
    covered = {case.make(blog).kind for case in CASES} | {"restore_table"}
    assert kinds == set(ops.HANDLERS) == covered
