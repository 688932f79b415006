"""Friendly specs become change ops that apply cleanly and build exactly what was asked.

Specs are written as the JSON a tool call would carry. Results are compared as plain
tuples and as the one-line descriptions of the ops, so a reader sees the plan a spec
turns into.
"""

import re
from typing import Any

import pytest
from pydantic import ValidationError

from chartdb_mcp.core.edit.ops import AlterColumn, ChangeOp, apply, describe, invert_all
from chartdb_mcp.core.edit.ops import apply_all as apply_all_ops
from chartdb_mcp.core.edit.specs import (
    RelationshipSpec,
    TableChangesSpec,
    TableSpec,
    add_relationship_ops,
    create_table_ops,
    modify_table_ops,
)
from chartdb_mcp.core.model import (
    Column,
    DatabaseType,
    Diagram,
    ReferentialAction,
    Table,
    TableStatus,
)
from chartdb_mcp.errors import ChartdbError, InvalidChange, InvalidInput, TableNotFound
from support.sample_diagrams import blog_diagram


@pytest.fixture
def blog() -> Diagram:
    return blog_diagram()


def table(diagram: Diagram, name: str) -> Table:
    found = diagram.find_table(name)
    assert found is not None, name
    return found


def columns(diagram: Diagram, name: str) -> list[tuple[object, ...]]:
    """(name, type, normalized type, nullable, default, comment) per column."""
    return [
        (c.name, c.type, c.normalized_type, c.nullable, c.default, c.comment)
        for c in table(diagram, name).columns
    ]


def keys(diagram: Diagram, name: str) -> dict[str, object]:
    """The table's primary key, unique constraints, indexes and checks as plain values."""
    found = table(diagram, name)
    key = found.primary_key
    return {
        "primary_key": (key.name, key.columns) if key else None,
        "unique": [(u.name, u.columns) for u in found.unique_constraints],
        "indexes": [(i.name, i.columns, i.unique, i.method) for i in found.indexes],
        "checks": [(c.name, c.expression) for c in found.checks],
    }


def relationships(diagram: Diagram) -> list[tuple[object, ...]]:
    """(name, source(columns), target(columns), on_delete) per relationship."""

    def end(table_id: str, names: list[str]) -> str:
        found = diagram.table_by_id(table_id)
        assert found is not None
        return f"{found.name}({', '.join(names)})"

    return [
        (
            r.name,
            end(r.source_table_id, r.source_columns),
            end(r.target_table_id, r.target_columns),
            r.on_delete.value,
        )
        for r in diagram.relationships
    ]


def described(ops: list[ChangeOp], diagram: Diagram) -> list[str]:
    """The description of each op, read against the diagram as the earlier ops left it."""
    lines = []
    for op in ops:
        lines.append(describe(op, diagram))
        diagram = apply(op, diagram)
    return lines


def create(spec: dict[str, Any], diagram: Diagram) -> Diagram:
    return apply_all_ops(create_table_ops(TableSpec.model_validate(spec), diagram), diagram)


# create-table


def test_create_table_with_inline_references_and_a_composite_key(blog: Diagram) -> None:
    spec = TableSpec.model_validate(
        {
            "name": "post_revisions",
            "columns": [
                {"name": "post_id", "type": "int4", "references": "posts.id"},
                {"name": "revision", "type": "int"},
                {"name": "editor_id", "type": "integer", "references": "public.authors.id"},
                {"name": "body", "type": "text", "nullable": False, "default": "''"},
                {"name": "note", "type": "varchar(200)", "comment": "why"},
            ],
            "primary_key": ["post_id", "revision"],
            "indexes": [{"columns": ["editor_id"]}, {"columns": ["body"], "method": "gin"}],
            "comment": "every saved version",
        }
    )
    ops = create_table_ops(spec, blog)

    assert described(ops, blog) == [
        "+ table public.post_revisions",
        "+ relationship post_revisions_post_id_fkey: post_revisions(post_id) -> posts(id)",
        "+ relationship post_revisions_editor_id_fkey: post_revisions(editor_id) -> authors(id)",
    ]
    after = apply_all_ops(ops, blog)
    assert columns(after, "post_revisions") == [
        ("post_id", "int4", "integer", False, None, None),
        ("revision", "int", "integer", False, None, None),
        ("editor_id", "integer", "integer", True, None, None),
        ("body", "text", "text", False, "''", None),
        ("note", "varchar(200)", "varchar(200)", True, None, "why"),
    ]
    assert keys(after, "post_revisions") == {
        "primary_key": ("post_revisions_pkey", ["post_id", "revision"]),
        "unique": [],
        "indexes": [
            ("idx_post_revisions_editor_id", ["editor_id"], False, None),
            ("idx_post_revisions_body", ["body"], False, "gin"),
        ],
        "checks": [],
    }
    created = table(after, "post_revisions")
    assert (created.schema_name, created.comment, created.status) == (
        "public",
        "every saved version",
        TableStatus.PLANNED,
    )
    assert relationships(after)[2:] == [
        ("post_revisions_post_id_fkey", "post_revisions(post_id)", "posts(id)", "NO ACTION"),
        ("post_revisions_editor_id_fkey", "post_revisions(editor_id)", "authors(id)", "NO ACTION"),
    ]


def test_tags_then_post_tags_make_a_many_to_many(blog: Diagram) -> None:
    post_tags = {
        "name": "post_tags",
        "columns": [
            {"name": "post_id", "type": "integer", "primary_key": True, "references": "posts.id"},
            {"name": "tag_id", "type": "integer", "primary_key": True, "references": "tags.id"},
        ],
    }
    with pytest.raises(TableNotFound, match=re.escape("no single table named 'tags'.")):
        create_table_ops(TableSpec.model_validate(post_tags), blog)

    with_tags = create(
        {
            "name": "tags",
            "columns": [
                {"name": "id", "type": "serial", "primary_key": True},
                {"name": "name", "type": "varchar(50)", "nullable": False, "unique": True},
            ],
        },
        blog,
    )
    after = create(post_tags, with_tags)

    assert keys(after, "tags") == {
        "primary_key": ("tags_pkey", ["id"]),
        "unique": [("tags_name_key", ["name"])],
        "indexes": [],
        "checks": [],
    }
    assert columns(after, "tags")[0] == ("id", "serial", "integer", False, None, None)
    assert keys(after, "post_tags")["primary_key"] == ("post_tags_pkey", ["post_id", "tag_id"])
    assert relationships(after)[2:] == [
        ("post_tags_post_id_fkey", "post_tags(post_id)", "posts(id)", "NO ACTION"),
        ("post_tags_tag_id_fkey", "post_tags(tag_id)", "tags(id)", "NO ACTION"),
    ]


def test_a_column_may_reference_the_table_being_created(blog: Diagram) -> None:
    after = create(
        {
            "name": "categories",
            "columns": [
                {"name": "id", "type": "bigint", "primary_key": True, "autoincrement": True},
                {"name": "parent_id", "type": "bigint", "references": "categories.id"},
            ],
        },
        blog,
    )
    assert relationships(after)[2:] == [
        ("categories_parent_id_fkey", "categories(parent_id)", "categories(id)", "NO ACTION")
    ]
    assert table(after, "categories").columns[0].autoincrement is True


@pytest.mark.parametrize(
    ("database_type", "written", "normalized"),
    [
        (DatabaseType.POSTGRESQL, "int4", "integer"),
        (DatabaseType.POSTGRESQL, "character varying(20)", "varchar(20)"),
        (DatabaseType.MYSQL, "int(11) unsigned", "integer unsigned"),
        (DatabaseType.MYSQL, "bool", "tinyint(1)"),
        (DatabaseType.SQLITE, "INT", "integer"),
    ],
)
def test_column_types_are_normalized_for_the_diagram_database(
    database_type: DatabaseType, written: str, normalized: str
) -> None:
    diagram = Diagram(name="d", database_type=database_type)
    after = create({"name": "t", "columns": [{"name": "c", "type": written}]}, diagram)
    assert columns(after, "t") == [("c", written, normalized, True, None, None)]


@pytest.mark.parametrize(
    ("tables", "schemas", "given", "expected"),
    [
        (["public.a", "public.b"], ["public"], None, "public"),
        (["public.a", "audit.b"], ["public", "audit"], None, None),
        ([], ["app"], None, "app"),
        (["public.a"], ["public"], "audit", "audit"),
    ],
)
def test_schema_defaults_to_the_one_the_diagram_uses(
    tables: list[str], schemas: list[str], given: str | None, expected: str | None
) -> None:
    diagram = Diagram(
        name="d",
        schemas=schemas,
        tables=[Table(schema_name=t.split(".")[0], name=t.split(".")[1]) for t in tables],
    )
    spec: dict[str, Any] = {"name": "t", "columns": [{"name": "c", "type": "text"}]}
    if given is not None:
        spec["schema"] = given
    created = create_table_ops(TableSpec.model_validate(spec), diagram)[0]
    assert created.kind == "create_table"
    assert created.table.schema_name == expected


def test_generated_names_skip_names_the_diagram_already_uses(blog: Diagram) -> None:
    spec = TableChangesSpec.model_validate(
        {
            "table": "posts",
            "add_indexes": [
                {"columns": ["title"]},
                {"columns": ["title"], "unique": True},
                {"columns": ["author_id"], "name": "idx_posts_title2"},
            ],
            "add_checks": [{"expression": "id > 0"}, {"expression": "author_id > 0"}],
        }
    )
    after = apply_all_ops(modify_table_ops(spec, blog), blog)
    assert keys(after, "posts")["indexes"] == [
        ("posts_published_idx", ["published_at DESC"], False, None),
        ("idx_posts_title", ["title"], False, None),
        ("idx_posts_title1", ["title"], True, None),
        ("idx_posts_title2", ["author_id"], False, None),
    ]
    assert keys(after, "posts")["checks"] == [
        ("posts_check", "id > 0"),
        ("posts_check1", "author_id > 0"),
    ]


# modify-table


def test_modify_with_every_field_builds_exactly_the_requested_table(blog: Diagram) -> None:
    spec = TableChangesSpec.model_validate(
        {
            "table": "posts",
            "rename_to": "articles",
            "add_columns": [
                {"name": "slug", "type": "text", "nullable": False, "unique": True},
                {"name": "editor_id", "type": "integer", "references": "authors.id"},
                {"name": "reply_to", "type": "integer", "references": "articles.id"},
            ],
            "drop_columns": ["published_at"],
            "rename_columns": [{"column": "title", "new_name": "headline"}],
            "alter_columns": [
                {"column": "title", "type": "varchar(200)", "default": "'untitled'"},
                {"column": "author_id", "nullable": True, "comment": "who wrote it"},
            ],
            "primary_key": ["id", "slug"],
            "add_unique": [["author_id", "headline"]],
            "drop_unique": [],
            "add_indexes": [{"columns": ["headline"], "method": "hash"}],
            "drop_indexes": ["posts_published_idx"],
            "add_checks": [{"expression": "length(headline) > 0", "name": "headline_set"}],
            "drop_checks": [],
            "comment": "published writing",
            "status": "EXISTS",
            "color": "#ff9f74",
        }
    )
    ops = modify_table_ops(spec, blog)

    assert described(ops, blog) == [
        "- index posts_published_idx",
        "- column posts.published_at",
        "~ column posts.title -> headline",
        "~ column posts.headline: text -> varchar(200), default none -> 'untitled'",
        "~ column posts.author_id: nullable false -> true, comment none -> who wrote it",
        "+ column posts.slug text",
        "+ column posts.editor_id integer",
        "+ column posts.reply_to integer",
        "~ primary key posts: (id) -> (id, slug)",
        "+ unique articles_slug_key on posts (slug)",
        "+ unique articles_author_id_headline_key on posts (author_id, headline)",
        "+ index idx_articles_headline on posts (headline)",
        "+ check headline_set on posts: length(headline) > 0",
        "+ relationship articles_editor_id_fkey: posts(editor_id) -> authors(id)",
        "+ relationship articles_reply_to_fkey: posts(reply_to) -> posts(id)",
        "~ comment of table public.posts: none -> 'published writing'",
        "~ status of table public.posts: PLANNED -> EXISTS",
        "~ color of table public.posts: none -> '#ff9f74'",
        "~ table public.posts -> public.articles",
    ]
    after = apply_all_ops(ops, blog)
    assert columns(after, "articles") == [
        ("id", "integer", "integer", False, None, None),
        ("author_id", "integer", "integer", True, None, "who wrote it"),
        ("headline", "varchar(200)", "varchar(200)", False, "'untitled'", None),
        ("slug", "text", "text", False, None, None),
        ("editor_id", "integer", "integer", True, None, None),
        ("reply_to", "integer", "integer", True, None, None),
    ]
    assert keys(after, "articles") == {
        "primary_key": ("articles_pkey", ["id", "slug"]),
        "unique": [
            ("articles_slug_key", ["slug"]),
            ("articles_author_id_headline_key", ["author_id", "headline"]),
        ],
        "indexes": [("idx_articles_headline", ["headline"], False, "hash")],
        "checks": [("headline_set", "length(headline) > 0")],
    }
    articles = table(after, "articles")
    assert (articles.comment, articles.status, articles.color) == (
        "published writing",
        TableStatus.EXISTS,
        "#ff9f74",
    )
    assert relationships(after) == [
        ("posts_author_fk", "articles(author_id)", "authors(id)", "CASCADE"),
        ("comments_post_fk", "comments(post_id)", "articles(id)", "NO ACTION"),
        ("articles_editor_id_fkey", "articles(editor_id)", "authors(id)", "NO ACTION"),
        ("articles_reply_to_fkey", "articles(reply_to)", "articles(id)", "NO ACTION"),
    ]
    assert apply_all_ops(invert_all(ops, blog), after).model_dump() == blog.model_dump()


@pytest.fixture
def annotated(blog: Diagram) -> Diagram:
    """The blog with a default and a comment on posts.title, and a unique and a check."""
    ops: list[ChangeOp] = [
        AlterColumn(table="posts", column="title", default="'draft'", comment="shown on top")
    ]
    ops += modify_table_ops(
        TableChangesSpec.model_validate(
            {
                "table": "posts",
                "add_unique": [["title"]],
                "add_checks": [{"expression": "id > 0", "name": "positive_id"}],
                "comment": "writing",
            }
        ),
        blog,
    )
    return apply_all_ops(ops, blog)


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        ({"type": "varchar(80)"}, ("varchar(80)", False, "'draft'", "shown on top")),
        ({"nullable": True}, ("text", True, "'draft'", "shown on top")),
        ({"default": "''"}, ("text", False, "''", "shown on top")),
        ({"drop_default": True}, ("text", False, None, "shown on top")),
        ({"comment": "headline"}, ("text", False, "'draft'", "headline")),
        ({"drop_comment": True}, ("text", False, "'draft'", None)),
    ],
)
def test_alter_changes_only_the_given_fields(
    annotated: Diagram, change: dict[str, Any], expected: tuple[object, ...]
) -> None:
    spec = TableChangesSpec.model_validate(
        {"table": "posts", "alter_columns": [{"column": "title", **change}]}
    )
    after = apply_all_ops(modify_table_ops(spec, annotated), annotated)
    title = table(after, "posts").column("title")
    assert title is not None
    assert (title.type, title.nullable, title.default, title.comment) == expected


def test_drops_of_constraints_and_the_table_comment(annotated: Diagram) -> None:
    spec = TableChangesSpec.model_validate(
        {
            "table": "public.posts",
            "drop_unique": ["posts_title_key"],
            "drop_checks": ["positive_id"],
            "drop_comment": True,
        }
    )
    after = apply_all_ops(modify_table_ops(spec, annotated), annotated)
    assert keys(after, "posts")["unique"] == []
    assert keys(after, "posts")["checks"] == []
    assert table(after, "posts").comment is None
    assert keys(annotated, "posts")["unique"] == [("posts_title_key", ["title"])]


@pytest.mark.parametrize(
    ("table_name", "changes", "lines", "key", "nullable"),
    [
        (
            "posts",
            {"primary_key": []},
            ["~ primary key posts: (id) -> none"],
            None,
            {"id": False},
        ),
        (
            "posts",
            {"primary_key": ["id", "published_at"]},
            [
                "~ column posts.published_at: nullable true -> false",
                "~ primary key posts: (id) -> (id, published_at)",
            ],
            ("posts_pkey", ["id", "published_at"]),
            {"published_at": False},
        ),
        (
            "comments",
            {
                "drop_columns": ["id"],
                "add_columns": [{"name": "uuid", "type": "uuid", "primary_key": True}],
                "primary_key": ["uuid"],
            },
            [
                "~ primary key comments: (id) -> none",
                "- column comments.id",
                "+ column comments.uuid uuid",
                "~ primary key comments: none -> (uuid)",
            ],
            ("comments_pkey", ["uuid"]),
            {"uuid": False},
        ),
        (
            "comments",
            {"rename_columns": [{"column": "id", "new_name": "comment_id"}]},
            ["~ column comments.id -> comment_id"],
            (None, ["comment_id"]),
            {"comment_id": False},
        ),
    ],
)
def test_primary_key_changes(
    blog: Diagram,
    table_name: str,
    changes: dict[str, Any],
    lines: list[str],
    key: tuple[object, ...] | None,
    nullable: dict[str, bool],
) -> None:
    spec = TableChangesSpec.model_validate({"table": table_name, **changes})
    ops = modify_table_ops(spec, blog)
    assert described(ops, blog) == lines
    after = apply_all_ops(ops, blog)
    assert keys(after, table_name)["primary_key"] == key
    found = table(after, table_name)
    assert {name: getattr(found.column(name), "nullable", None) for name in nullable} == nullable


def test_a_flagged_column_becomes_the_key_of_a_table_without_one() -> None:
    diagram = Diagram(
        name="d", tables=[Table(name="events", columns=[Column(name="at", type="t")])]
    )
    spec = TableChangesSpec.model_validate(
        {"table": "events", "add_columns": [{"name": "id", "type": "bigint", "primary_key": True}]}
    )
    after = apply_all_ops(modify_table_ops(spec, diagram), diagram)
    assert keys(after, "events")["primary_key"] == ("events_pkey", ["id"])
    assert columns(after, "events")[1] == ("id", "bigint", "bigint", False, None, None)


def test_what_only_applying_can_tell_is_raised_by_apply_all(blog: Diagram) -> None:
    spec = TableChangesSpec.model_validate({"table": "posts", "drop_columns": ["published_at"]})
    ops = modify_table_ops(spec, blog)
    assert [op.kind for op in ops] == ["drop_column"]
    message = (
        "Column 'published_at' of table 'posts' cannot be dropped; "
        "it is used by index 'posts_published_idx'."
    )
    with pytest.raises(InvalidChange, match=re.escape(message)):
        apply_all_ops(ops, blog)


# add-relationship


@pytest.mark.parametrize(
    ("spec", "expected"),
    [
        (
            {"source_table": "comments", "source_columns": ["id"], "target_table": "posts"},
            ("comments_id_fkey", "comments(id)", "posts(id)", "NO ACTION"),
        ),
        (
            {
                "source_table": "public.comments",
                "source_columns": ["post_id"],
                "target_table": "public.posts",
                "target_columns": ["id"],
                "on_delete": "CASCADE",
                "name": "comments_post_cascade",
            },
            ("comments_post_cascade", "comments(post_id)", "posts(id)", "CASCADE"),
        ),
        (
            {"source_table": "comments", "source_columns": ["post_id"], "target_table": "posts"},
            ("comments_post_id_fkey", "comments(post_id)", "posts(id)", "NO ACTION"),
        ),
    ],
)
def test_add_relationship(
    blog: Diagram, spec: dict[str, Any], expected: tuple[object, ...]
) -> None:
    ops = add_relationship_ops(RelationshipSpec.model_validate(spec), blog)
    after = apply_all_ops(ops, blog)
    assert relationships(after)[2:] == [expected]


def test_add_relationship_with_a_composite_key(blog: Diagram) -> None:
    with_versions = create(
        {
            "name": "versions",
            "columns": [
                {"name": "post_id", "type": "integer", "primary_key": True},
                {"name": "number", "type": "integer", "primary_key": True},
            ],
        },
        blog,
    )
    after = create(
        {
            "name": "reviews",
            "columns": [
                {"name": "post_id", "type": "integer"},
                {"name": "version", "type": "integer"},
            ],
        },
        with_versions,
    )
    spec = RelationshipSpec.model_validate(
        {
            "source_table": "reviews",
            "source_columns": ["post_id", "version"],
            "target_table": "versions",
            "on_update": "CASCADE",
        }
    )
    [op] = add_relationship_ops(spec, after)
    assert op.kind == "add_relationship"
    assert (op.name, op.target_columns, op.on_update) == (
        "reviews_post_id_version_fkey",
        ["post_id", "number"],
        ReferentialAction.CASCADE,
    )
    assert relationships(apply_all_ops([op], after))[2:] == [
        (
            "reviews_post_id_version_fkey",
            "reviews(post_id, version)",
            "versions(post_id, number)",
            "NO ACTION",
        )
    ]


# refusals

POST_TAGS_REF = {"name": "post_id", "type": "integer", "references": "posts.id"}

CREATE_ERRORS: list[tuple[str, dict[str, Any], type[ChartdbError], str]] = [
    (
        "duplicate_column",
        {"name": "tags", "columns": [{"name": "name", "type": "text"}] * 2},
        InvalidInput,
        "The columns of table 'tags' repeat 'name'.",
    ),
    (
        "bad_references_syntax",
        {"name": "t", "columns": [{"name": "post_id", "type": "int", "references": "posts"}]},
        InvalidInput,
        "Column 'post_id' references 'posts'; write table.column or schema.table.column.",
    ),
    (
        "too_many_parts_in_references",
        {"name": "t", "columns": [{"name": "p", "type": "int", "references": "a.b.c.d"}]},
        InvalidInput,
        "Column 'p' references 'a.b.c.d'; write table.column or schema.table.column.",
    ),
    (
        "references_missing_column",
        {"name": "t", "columns": [{"name": "post_id", "type": "int", "references": "posts.uid"}]},
        InvalidChange,
        "Column 'post_id' references 'posts.uid', but table 'posts' has no column named 'uid'.",
    ),
    (
        "references_missing_table",
        {"name": "t", "columns": [{"name": "post_id", "type": "int", "references": "post.id"}]},
        TableNotFound,
        "Diagram 'blog' has no single table named 'post'. Did you mean: public.posts?",
    ),
    (
        "conflicting_primary_keys",
        {
            "name": "t",
            "columns": [{"name": "a", "type": "int", "primary_key": True}, POST_TAGS_REF],
            "primary_key": ["post_id"],
        },
        InvalidInput,
        "Table 't' gets primary key ['post_id'] but flags columns ['a'] as primary_key; "
        "give the key one way only.",
    ),
    (
        "key_on_unknown_column",
        {"name": "t", "columns": [POST_TAGS_REF], "unique": [["post_id", "slug"]]},
        InvalidInput,
        "The unique constraint of table 't' names columns it does not define: 'slug'.",
    ),
    (
        "taken_table_name",
        {"name": "posts", "columns": [POST_TAGS_REF]},
        InvalidChange,
        "Diagram 'blog' already has a table named 'public.posts'.",
    ),
]


@pytest.mark.parametrize(
    ("spec", "error", "message"),
    [case[1:] for case in CREATE_ERRORS],
    ids=[case[0] for case in CREATE_ERRORS],
)
def test_create_refuses(
    blog: Diagram, spec: dict[str, Any], error: type[ChartdbError], message: str
) -> None:
    with pytest.raises(error, match=f"^{re.escape(message)}$"):
        create_table_ops(TableSpec.model_validate(spec), blog)


MODIFY_ERRORS: list[tuple[str, dict[str, Any], type[ChartdbError], str]] = [
    (
        "nothing_asked",
        {"table": "posts", "drop_comment": False, "add_columns": []},
        InvalidInput,
        "Nothing was asked for table 'posts'; give at least one change.",
    ),
    (
        "unknown_table",
        {"table": "postz", "comment": "x"},
        TableNotFound,
        "Diagram 'blog' has no single table named 'postz'. Did you mean: public.posts?",
    ),
    (
        "unknown_column_to_drop",
        {"table": "posts", "drop_columns": ["body"]},
        InvalidChange,
        "Table 'posts' has no column named 'body' to drop.",
    ),
    (
        "dropped_column_to_rename",
        {
            "table": "posts",
            "drop_columns": ["title"],
            "rename_columns": [{"column": "title", "new_name": "t"}],
        },
        InvalidChange,
        "Table 'posts' has no column named 'title' to rename.",
    ),
    (
        "unknown_column_to_alter",
        {"table": "posts", "alter_columns": [{"column": "body", "nullable": True}]},
        InvalidChange,
        "Table 'posts' has no column named 'body' to alter.",
    ),
    (
        "duplicate_column",
        {"table": "posts", "add_columns": [{"name": "title", "type": "text"}]},
        InvalidInput,
        "The columns of table 'posts' repeat 'title'.",
    ),
    (
        "references_unknown_table",
        {"table": "comments", "add_columns": [{"name": "a", "type": "int", "references": "x.y"}]},
        TableNotFound,
        "Diagram 'blog' has no single table named 'x'.",
    ),
    (
        "references_missing_column",
        {
            "table": "comments",
            "add_columns": [{"name": "a", "type": "int", "references": "public.posts.uid"}],
        },
        InvalidChange,
        "Column 'a' references 'public.posts.uid', but table 'public.posts' has no column "
        "named 'uid'.",
    ),
    (
        "self_reference_to_dropped_column",
        {
            "table": "comments",
            "drop_columns": ["post_id"],
            "add_columns": [{"name": "reply_to", "type": "int", "references": "comments.post_id"}],
        },
        InvalidChange,
        "Column 'reply_to' references 'comments.post_id', but table 'comments' has no column "
        "named 'post_id'.",
    ),
    (
        "flagged_key_on_keyed_table",
        {"table": "posts", "add_columns": [{"name": "u", "type": "uuid", "primary_key": True}]},
        InvalidInput,
        "Table 'posts' already has primary key ['id']; give primary_key to replace it with ['u'].",
    ),
    (
        "nullable_key_column",
        {"table": "posts", "alter_columns": [{"column": "id", "nullable": True}]},
        InvalidInput,
        "Columns 'id' of table 'posts' are in the primary key, which cannot be nullable.",
    ),
    (
        "default_set_and_dropped",
        {
            "table": "posts",
            "alter_columns": [{"column": "title", "default": "''", "drop_default": True}],
        },
        InvalidInput,
        "Column 'title' of table 'posts' both sets and drops its default.",
    ),
    (
        "alteration_without_change",
        {"table": "posts", "alter_columns": [{"column": "title"}]},
        InvalidInput,
        "The alteration of column 'title' of table 'posts' changes nothing.",
    ),
    (
        "comment_set_and_dropped",
        {"table": "posts", "comment": "x", "drop_comment": True},
        InvalidInput,
        "Table 'posts' both sets and drops its comment.",
    ),
]


@pytest.mark.parametrize(
    ("spec", "error", "message"),
    [case[1:] for case in MODIFY_ERRORS],
    ids=[case[0] for case in MODIFY_ERRORS],
)
def test_modify_refuses(
    blog: Diagram, spec: dict[str, Any], error: type[ChartdbError], message: str
) -> None:
    with pytest.raises(error, match=f"^{re.escape(message)}$"):
        modify_table_ops(TableChangesSpec.model_validate(spec), blog)


RELATIONSHIP_ERRORS: list[tuple[str, dict[str, Any], type[ChartdbError], str]] = [
    (
        "unknown_source_table",
        {"source_table": "coments", "source_columns": ["post_id"], "target_table": "posts"},
        TableNotFound,
        "Diagram 'blog' has no single table named 'coments'. Did you mean: public.comments?",
    ),
    (
        "unknown_target_column",
        {
            "source_table": "comments",
            "source_columns": ["post_id"],
            "target_table": "posts",
            "target_columns": ["uid"],
        },
        InvalidChange,
        "Table 'posts' has no columns named ['uid'].",
    ),
    (
        "columns_do_not_pair",
        {"source_table": "comments", "source_columns": ["id", "post_id"], "target_table": "posts"},
        InvalidInput,
        "The relationship pairs 2 source columns ['id', 'post_id'] with 1 target columns ['id'].",
    ),
    (
        "target_without_key",
        {"source_table": "comments", "source_columns": ["post_id"], "target_table": "drafts"},
        InvalidInput,
        "Table 'drafts' has no primary key; give the target_columns to refer to.",
    ),
]


@pytest.mark.parametrize(
    ("spec", "error", "message"),
    [case[1:] for case in RELATIONSHIP_ERRORS],
    ids=[case[0] for case in RELATIONSHIP_ERRORS],
)
def test_add_relationship_refuses(
    blog: Diagram, spec: dict[str, Any], error: type[ChartdbError], message: str
) -> None:
    with_drafts = create({"name": "drafts", "columns": [{"name": "id", "type": "integer"}]}, blog)
    with pytest.raises(error, match=f"^{re.escape(message)}$"):
        add_relationship_ops(RelationshipSpec.model_validate(spec), with_drafts)


# the input schemas


def test_specs_refuse_unknown_fields_and_take_schema_by_its_short_name() -> None:
    spec = TableSpec.model_validate(
        {"name": "t", "schema": "audit", "columns": [{"name": "c", "type": "text"}]}
    )
    assert spec.schema_name == "audit"
    assert "schema" in TableSpec.model_json_schema()["properties"]
    with pytest.raises(ValidationError, match="colums"):
        TableSpec.model_validate({"name": "t", "colums": [{"name": "c", "type": "text"}]})
    with pytest.raises(ValidationError, match="columns"):
        TableSpec.model_validate({"name": "t", "columns": []})
