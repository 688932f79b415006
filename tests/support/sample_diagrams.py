"""Small hand-built diagrams for unit tests of the core."""

from chartdb_mcp.core.model import (
    Column,
    DatabaseType,
    Diagram,
    Index,
    IndexPart,
    PrimaryKey,
    ReferentialAction,
    Relationship,
    Table,
    TableStatus,
    UniqueConstraint,
    View,
)


def column(name: str, type_: str = "integer", nullable: bool = True) -> Column:
    return Column(name=name, type=type_, normalized_type=type_, nullable=nullable)


def blog_diagram() -> Diagram:
    """authors <- posts <- comments, with one view; posts has a partial index."""
    authors = Table(
        schema_name="public",
        name="authors",
        columns=[column("id", nullable=False), column("email", "varchar(320)", False)],
        primary_key=PrimaryKey(columns=["id"]),
        status=TableStatus.EXISTS,
    )
    posts = Table(
        schema_name="public",
        name="posts",
        columns=[
            column("id", nullable=False),
            column("author_id", nullable=False),
            column("title", "text", False),
            column("published_at", "timestamp"),
        ],
        primary_key=PrimaryKey(columns=["id"]),
        indexes=[
            Index(
                name="posts_published_idx",
                parts=[IndexPart(column="published_at", descending=True)],
                where="published_at IS NOT NULL",
            )
        ],
    )
    comments = Table(
        schema_name="public",
        name="comments",
        columns=[column("id", nullable=False), column("post_id", nullable=False)],
        primary_key=PrimaryKey(columns=["id"]),
    )
    return Diagram(
        name="blog",
        database_type=DatabaseType.POSTGRESQL,
        schemas=["public"],
        tables=[authors, posts, comments],
        relationships=[
            Relationship(
                name="posts_author_fk",
                source_table_id=posts.id,
                source_columns=["author_id"],
                target_table_id=authors.id,
                target_columns=["id"],
                on_delete=ReferentialAction.CASCADE,
            ),
            Relationship(
                name="comments_post_fk",
                source_table_id=comments.id,
                source_columns=["post_id"],
                target_table_id=posts.id,
                target_columns=["id"],
            ),
        ],
        views=[View(schema_name="public", name="recent_posts", columns=[column("id")])],
    )


def wide_diagram(tables: int, columns: int) -> Diagram:
    """`tables` tables t0000.. each with `columns` integer columns and a primary key."""
    return Diagram(
        name="wide",
        tables=[
            Table(
                name=f"t{number:04d}",
                columns=[column(f"c{index}", nullable=False) for index in range(columns)],
                primary_key=PrimaryKey(columns=["c0"]),
            )
            for number in range(tables)
        ],
    )


def tagging_tables() -> tuple[Table, Table]:
    """The new tables of the tagging example: tags(id, name unique) and post_tags."""
    tags = Table(
        schema_name="public",
        name="tags",
        columns=[column("id", nullable=False), column("name", "text", False)],
        primary_key=PrimaryKey(columns=["id"]),
        unique_constraints=[UniqueConstraint(name="tags_name_key", columns=["name"])],
    )
    post_tags = Table(
        schema_name="public",
        name="post_tags",
        columns=[column("post_id", nullable=False), column("tag_id", nullable=False)],
        primary_key=PrimaryKey(columns=["post_id", "tag_id"]),
    )
    return tags, post_tags
