"""Paired schemas for migration tests: a small blog before, and after one kind of change.

Each pair is a name, the dialects it applies to, and a function from the "before"
diagram to the "after" one. "After" is built by editing a copy, so every element keeps
its id, as two versions of one diagram do; renames are renames.
"""

from collections.abc import Callable
from dataclasses import dataclass

from chartdb_mcp.core.model import (
    CheckConstraint,
    Column,
    CustomType,
    CustomTypeKind,
    DatabaseType,
    Diagram,
    IdentityGeneration,
    Index,
    IndexPart,
    PrimaryKey,
    ReferentialAction,
    Relationship,
    Table,
    UniqueConstraint,
)

PG, MARIA, LITE = DatabaseType.POSTGRESQL, DatabaseType.MARIADB, DatabaseType.SQLITE
ALL = (PG, MARIA, LITE)


def column(name: str, type_: str = "integer", nullable: bool = True, **fields: object) -> Column:
    return Column(name=name, type=type_, nullable=nullable, **fields)  # type: ignore[arg-type]


def blog(dialect: DatabaseType) -> Diagram:
    """authors <- posts, plus a tags table; a unique, an index and a check to change."""
    schema = "public" if dialect == PG else None
    authors = Table(
        id="authors",
        schema_name=schema,
        name="authors",
        columns=[
            column("id", nullable=False),
            column("name", "varchar(100)", False),
            column("email", "varchar(200)"),
            column("bio", "text"),
        ],
        primary_key=PrimaryKey(name="authors_pkey" if dialect == PG else None, columns=["id"]),
        unique_constraints=[
            UniqueConstraint(id="authors_name_key", name="authors_name_key", columns=["name"])
        ],
    )
    posts = Table(
        id="posts",
        schema_name=schema,
        name="posts",
        columns=[
            column("id", nullable=False),
            column("author_id", nullable=False),
            column("title", "varchar(200)", False),
            column("score", default="0"),
            column("body", "text"),
        ],
        primary_key=PrimaryKey(name="posts_pkey" if dialect == PG else None, columns=["id"]),
        indexes=[
            Index(id="posts_author", name="posts_author", parts=[IndexPart(column="author_id")]),
            Index(id="posts_title", name="posts_title", parts=[IndexPart(column="title")]),
        ],
        checks=[
            CheckConstraint(id="posts_score", name="posts_score_check", expression="score >= 0")
        ],
    )
    tags = Table(
        id="tags",
        schema_name=schema,
        name="tags",
        columns=[column("id", nullable=False), column("label", "varchar(50)", False)],
        primary_key=PrimaryKey(name="tags_pkey" if dialect == PG else None, columns=["id"]),
    )
    return Diagram(
        name="blog",
        database_type=dialect,
        tables=[authors, posts, tags],
        relationships=[
            Relationship(
                id="posts_author_fk",
                name="posts_author_id_fkey",
                source_table_id="posts",
                source_columns=["author_id"],
                target_table_id="authors",
                target_columns=["id"],
            )
        ],
    )


def edit(diagram: Diagram, table_id: str, **changes: object) -> Diagram:
    """A copy of the diagram with fields of one table replaced."""
    tables = [t.model_copy(update=changes) if t.id == table_id else t for t in diagram.tables]
    return diagram.model_copy(update={"tables": tables})


def table_of(diagram: Diagram, table_id: str) -> Table:
    found = diagram.table_by_id(table_id)
    assert found is not None
    return found


def edit_column(diagram: Diagram, table_id: str, column_name: str, **changes: object) -> Diagram:
    """A copy of the diagram with fields of one column replaced."""
    table = table_of(diagram, table_id)
    columns = [c.model_copy(update=changes) if c.name == column_name else c for c in table.columns]
    return edit(diagram, table_id, columns=columns)


def add_columns(diagram: Diagram, table_id: str, *columns: Column) -> Diagram:
    table = table_of(diagram, table_id)
    return edit(diagram, table_id, columns=[*table.columns, *columns])


def drop_column(diagram: Diagram, table_id: str, name: str) -> Diagram:
    table = table_of(diagram, table_id)
    return edit(diagram, table_id, columns=[c for c in table.columns if c.name != name])


def add_index(diagram: Diagram, table_id: str, index: Index) -> Diagram:
    return edit(diagram, table_id, indexes=[*table_of(diagram, table_id).indexes, index])


def drop_index(diagram: Diagram, table_id: str, index_id: str) -> Diagram:
    indexes = [i for i in table_of(diagram, table_id).indexes if i.id != index_id]
    return edit(diagram, table_id, indexes=indexes)


def with_relationships(diagram: Diagram, *relationships: Relationship) -> Diagram:
    return diagram.model_copy(update={"relationships": list(relationships)})


def new_table(diagram: Diagram, table: Table) -> Diagram:
    return diagram.model_copy(update={"tables": [*diagram.tables, table]})


def comments_table(d: Diagram) -> Table:
    return Table(
        id="comments",
        schema_name=table_of(d, "posts").schema_name,
        name="comments",
        columns=[
            column("id", nullable=False),
            column("post_id", nullable=False),
            column("text", "varchar(500)", False),
        ],
        primary_key=PrimaryKey(
            name="comments_pkey" if d.database_type == PG else None, columns=["id"]
        ),
        indexes=[
            Index(id="comments_post", name="comments_post", parts=[IndexPart(column="post_id")])
        ],
    )


def to_posts() -> Relationship:
    return Relationship(
        id="comments_post_fk",
        name="comments_post_id_fkey",
        source_table_id="comments",
        source_columns=["post_id"],
        target_table_id="posts",
        target_columns=["id"],
        on_delete=ReferentialAction.CASCADE,
    )


def aliases(d: Diagram) -> Diagram:
    """The same types spelled another way the dialect accepts."""
    if d.database_type == PG:
        d = edit_column(d, "authors", "id", type="int4")
        return edit_column(d, "authors", "name", type="character varying(100)")
    if d.database_type == MARIA:
        d = edit_column(d, "authors", "id", type="int(11)")
        return edit_column(d, "posts", "score", type="INT")
    return edit_column(d, "authors", "id", type="INTEGER")


def cast_default(d: Diagram) -> Diagram:
    """The same default with a cast and parentheses (what PostgreSQL reports back)."""
    if d.database_type == PG:
        return edit_column(d, "posts", "score", default="(0)::integer")
    return edit_column(d, "posts", "score", default="(0)")


def enum_column(d: Diagram) -> Diagram:
    mood = CustomType(
        id="mood", schema_name="public", name="mood", kind=CustomTypeKind.ENUM, values=["ok", "sad"]
    )
    d = d.model_copy(update={"custom_types": [mood]})
    return add_columns(d, "authors", column("mood", "mood"))


def link_table_key(d: Diagram) -> Diagram:
    """tags gets a composite primary key (id, label)."""
    key = PrimaryKey(name="tags_pkey" if d.database_type == PG else None, columns=["id", "label"])
    return edit(d, "tags", primary_key=key)


@dataclass(frozen=True)
class Pair:
    """A named change from `blog(dialect)` (or `before`) to `after(before)`."""

    name: str
    after: Callable[[Diagram], Diagram]
    dialects: tuple[DatabaseType, ...] = ALL
    before: Callable[[Diagram], Diagram] = lambda d: d
    empty: bool = False  # the plan must be empty: the two sides only look different


PAIRS = [
    Pair("create table", lambda d: new_table(d, comments_table(d))),
    Pair(
        "create table with a foreign key",
        lambda d: with_relationships(new_table(d, comments_table(d)), *d.relationships, to_posts()),
    ),
    Pair(
        "drop table",
        lambda d: d.model_copy(update={"tables": [t for t in d.tables if t.id != "tags"]}),
    ),
    Pair(
        "drop a referenced table",
        lambda d: with_relationships(
            d.model_copy(update={"tables": [t for t in d.tables if t.id != "comments"]}),
            *[r for r in d.relationships if r.id != "comments_post_fk"],
        ),
        before=lambda d: with_relationships(
            new_table(d, comments_table(d)), *d.relationships, to_posts()
        ),
    ),
    Pair("rename table", lambda d: edit(d, "tags", name="labels")),
    Pair(
        "add nullable column", lambda d: add_columns(d, "posts", column("subtitle", "varchar(100)"))
    ),
    Pair(
        "add NOT NULL column with default",
        lambda d: add_columns(d, "posts", column("views", nullable=False, default="0")),
    ),
    Pair(
        "add NOT NULL column without default",
        lambda d: add_columns(d, "tags", column("weight", nullable=False)),
    ),
    Pair("drop column", lambda d: drop_column(d, "authors", "bio")),
    Pair(
        "drop indexed column",
        lambda d: drop_index(drop_column(d, "posts", "title"), "posts", "posts_title"),
    ),
    Pair("rename column", lambda d: edit_column(d, "authors", "bio", name="about")),
    Pair("rename a key column", lambda d: edit_column(d, "tags", "label", name="title")),
    Pair("widen varchar", lambda d: edit_column(d, "authors", "email", type="varchar(320)")),
    Pair("narrow varchar", lambda d: edit_column(d, "posts", "title", type="varchar(120)")),
    Pair("integer to bigint", lambda d: edit_column(d, "posts", "score", type="bigint")),
    Pair("set NOT NULL", lambda d: edit_column(d, "authors", "email", nullable=False)),
    Pair("drop NOT NULL", lambda d: edit_column(d, "posts", "title", nullable=True)),
    Pair(
        "set default", lambda d: edit_column(d, "authors", "email", default="'nobody@example.com'")
    ),
    Pair("drop default", lambda d: edit_column(d, "posts", "score", default=None)),
    Pair("change default", lambda d: edit_column(d, "posts", "score", default="1")),
    Pair(
        "add unique",
        lambda d: edit(
            d,
            "authors",
            unique_constraints=[
                *table_of(d, "authors").unique_constraints,
                UniqueConstraint(name="authors_email_key", columns=["email"]),
            ],
        ),
    ),
    Pair("drop unique", lambda d: edit(d, "authors", unique_constraints=[])),
    Pair(
        "add an unnamed unique",
        lambda d: edit(d, "tags", unique_constraints=[UniqueConstraint(columns=["label"])]),
    ),
    Pair(
        "drop an unnamed unique",
        lambda d: edit(d, "tags", unique_constraints=[]),
        before=lambda d: edit(d, "tags", unique_constraints=[UniqueConstraint(columns=["label"])]),
    ),
    Pair(
        "add index",
        lambda d: add_index(
            d, "authors", Index(name="authors_email", parts=[IndexPart(column="email")])
        ),
    ),
    Pair("drop index", lambda d: drop_index(d, "posts", "posts_title")),
    Pair(
        "add unique composite index with DESC",
        lambda d: add_index(
            d,
            "posts",
            Index(
                name="posts_author_score",
                unique=True,
                parts=[IndexPart(column="author_id"), IndexPart(column="score", descending=True)],
            ),
        ),
    ),
    Pair(
        "add partial index",
        lambda d: add_index(
            d,
            "posts",
            Index(name="posts_scored", parts=[IndexPart(column="score")], where="score > 0"),
        ),
        dialects=(PG, LITE),
    ),
    Pair(
        "add expression index",
        lambda d: add_index(
            d,
            "authors",
            Index(name="authors_lower_email", parts=[IndexPart(expression="lower(email)")]),
        ),
        dialects=(PG, LITE),
    ),
    Pair(
        "add check",
        lambda d: edit(
            d, "tags", checks=[CheckConstraint(name="tags_label_check", expression="label <> ''")]
        ),
    ),
    Pair("drop check", lambda d: edit(d, "posts", checks=[])),
    Pair(
        "add foreign key with a new column",
        lambda d: with_relationships(
            add_columns(d, "posts", column("editor_id")),
            *d.relationships,
            Relationship(
                id="posts_editor_fk",
                name="posts_editor_id_fkey",
                source_table_id="posts",
                source_columns=["editor_id"],
                target_table_id="authors",
                target_columns=["id"],
                on_delete=ReferentialAction.SET_NULL,
            ),
        ),
    ),
    Pair("drop foreign key", with_relationships),
    Pair(
        "drop an unnamed foreign key",
        with_relationships,
        dialects=(PG, LITE),
        before=lambda d: with_relationships(
            d, d.relationships[0].model_copy(update={"name": None})
        ),
    ),
    Pair(
        "change foreign key action",
        lambda d: with_relationships(
            d, d.relationships[0].model_copy(update={"on_delete": ReferentialAction.CASCADE})
        ),
    ),
    Pair("change primary key", link_table_key),
    Pair(
        "table comment",
        lambda d: edit(d, "authors", comment="People who write"),
        dialects=(PG, MARIA),
    ),
    Pair(
        "column comment",
        lambda d: edit_column(d, "authors", "bio", comment="Shown on the profile"),
        dialects=(PG, MARIA),
    ),
    Pair(
        "rename and retype a column",
        lambda d: edit_column(d, "authors", "email", name="mail", type="varchar(250)"),
    ),
    Pair("enum type and column", enum_column, dialects=(PG,)),
    Pair(
        "add generated column",
        lambda d: add_columns(d, "posts", column("double_score", generated="score * 2")),
    ),
    Pair(
        "make a column an identity",
        lambda d: edit_column(d, "tags", "id", identity=IdentityGeneration.BY_DEFAULT),
        dialects=(PG,),
    ),
    Pair(
        "make a column auto-increment",
        lambda d: edit_column(d, "tags", "id", autoincrement=True),
        dialects=(MARIA,),
    ),
    Pair("type aliases only", aliases, empty=True),
    Pair("default with a cast and parentheses", cast_default, empty=True),
    Pair(
        "index renamed only",
        lambda d: drop_index(
            add_index(d, "posts", Index(name="posts_title_idx", parts=[IndexPart(column="title")])),
            "posts",
            "posts_title",
        ),
        empty=True,
    ),
    Pair(
        "key column said nullable",
        lambda d: edit_column(d, "authors", "id", nullable=True),
        empty=True,
    ),
    Pair(
        "unique renamed only",
        lambda d: edit(
            d,
            "authors",
            unique_constraints=[UniqueConstraint(name="authors_name_unique", columns=["name"])],
        ),
        empty=True,
    ),
]
