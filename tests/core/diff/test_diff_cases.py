"""diff_diagrams on hand-made edits: the exact ops for each kind of change, and the round trip.

Every case edits the same small diagram (authors <- posts) whose members have readable
ids, names the ops it expects as short tuples, and checks that applying them to the old
diagram gives the new one.
"""

from collections.abc import Callable
from typing import Any

import pytest

from chartdb_mcp.core.edit.diff import diff_diagrams, unsupported_differences
from chartdb_mcp.core.edit.ops import ChangeOp, apply_all
from chartdb_mcp.core.model import (
    CheckConstraint,
    Column,
    Diagram,
    Index,
    IndexPart,
    Position,
    PrimaryKey,
    ReferentialAction,
    Relationship,
    Table,
    TableStatus,
    UniqueConstraint,
    View,
)


def column(column_id: str, name: str, type_: str = "integer", **fields: Any) -> Column:
    return Column(id=column_id, name=name, type=type_, normalized_type=type_, **fields)


def base() -> Diagram:
    """authors(id, name, email) and posts(id, author_id, title) with keys, an index, a check."""
    authors = Table(
        id="ta",
        name="authors",
        columns=[column("a1", "id"), column("a2", "name", "text"), column("a3", "email", "text")],
        primary_key=PrimaryKey(columns=["id"]),
        unique_constraints=[UniqueConstraint(id="u1", name="authors_email_key", columns=["email"])],
        checks=[CheckConstraint(id="k1", name="name_set", expression="length(name) > 0")],
    )
    posts = Table(
        id="tp",
        name="posts",
        columns=[column("p1", "id"), column("p2", "author_id"), column("p3", "title", "text")],
        primary_key=PrimaryKey(columns=["id"]),
        indexes=[Index(id="i1", name="posts_title_idx", parts=[IndexPart(column="title")])],
    )
    link = Relationship(
        id="r1",
        name="posts_author_fk",
        source_table_id="tp",
        source_columns=["author_id"],
        target_table_id="ta",
        target_columns=["id"],
    )
    return Diagram(name="blog", tables=[authors, posts], relationships=[link])


def brief(op: ChangeOp) -> tuple[Any, ...]:
    """The op as a short tuple: its kind, its table and what it changes."""
    data = op.model_dump(exclude_unset=True)
    kind = op.kind
    data.pop("kind", None)
    data.pop("table_id", None)
    if kind in ("create_table", "restore_table"):
        return (kind, data["table"]["name"], data.get("position"))
    if kind == "add_relationship":
        return (kind, data["id"], data.get("position"))
    table = data.pop("table", None)
    member = next((key for key in ("column", "index", "constraint", "check") if key in data), None)
    if member is not None and isinstance(data[member], dict):
        data[member] = data[member].get("name")
    return (kind, table, *data.values()) if table is not None else (kind, *data.values())


def edited(change: Callable[[Diagram], None]) -> Diagram:
    """A copy of the base diagram changed in place by `change`, then validated."""
    diagram = base().model_copy(deep=True)
    change(diagram)
    return Diagram.model_validate(diagram.model_dump())


def table(diagram: Diagram, name: str) -> Table:
    found = diagram.find_table(name)
    assert found is not None
    return found


def rename_tables_swapped(d: Diagram) -> None:
    d.tables[0].name, d.tables[1].name = "posts", "authors"


def add_table(d: Diagram) -> None:
    d.tables.insert(1, Table(id="tt", name="tags", columns=[column("t1", "id")]))


def drop_posts(d: Diagram) -> None:
    d.tables.pop(1)
    d.relationships.clear()


def add_column(d: Diagram) -> None:
    table(d, "posts").columns.insert(1, column("p4", "slug", "text"))


def drop_indexed_column(d: Diagram) -> None:
    posts = table(d, "posts")
    posts.indexes.clear()
    posts.columns.pop(2)


def rename_key_column(d: Diagram) -> None:
    authors = table(d, "authors")
    authors.columns[0].name = "author_id"
    authors.primary_key = PrimaryKey(columns=["author_id"])
    d.relationships[0].target_columns = ["author_id"]


def swap_column_names(d: Diagram) -> None:
    authors = table(d, "authors")
    authors.columns[1].name, authors.columns[2].name = "email", "name"
    authors.unique_constraints[0].columns = ["name"]


def alter_column(d: Diagram) -> None:
    title = table(d, "posts").columns[2]
    title.type, title.normalized_type, title.nullable = "varchar(200)", "varchar(200)", False


def change_collation(d: Diagram) -> None:
    table(d, "posts").columns[2].collation = "C"


def move_column(d: Diagram) -> None:
    columns = table(d, "authors").columns
    columns.append(columns.pop(0))


def change_primary_key(d: Diagram) -> None:
    table(d, "authors").primary_key = PrimaryKey(name="authors_pk", columns=["id", "name"])


def change_unique(d: Diagram) -> None:
    table(d, "authors").unique_constraints[0].columns = ["name", "email"]


def change_index(d: Diagram) -> None:
    table(d, "posts").indexes[0].where = "title IS NOT NULL"


def change_check(d: Diagram) -> None:
    table(d, "authors").checks[0].expression = "name <> ''"


def change_relationship(d: Diagram) -> None:
    d.relationships[0].on_delete = ReferentialAction.CASCADE


def change_presentation(d: Diagram) -> None:
    posts = table(d, "posts")
    posts.comment, posts.status, posts.color = "Articles", TableStatus.EXISTS, "#ff0000"
    posts.position = Position(x=10, y=20)


def move_to_schema(d: Diagram) -> None:
    table(d, "authors").schema_name = "people"


CASES: list[tuple[str, Callable[[Diagram], None], list[tuple[Any, ...]]]] = [
    ("nothing", lambda d: None, []),
    (
        "rename table",
        lambda d: setattr(d.tables[0], "name", "writers"),
        [("rename_table", "authors", "writers")],
    ),
    (
        "swap table names",
        rename_tables_swapped,
        [
            ("rename_table", "authors", "authors__1"),
            ("rename_table", "posts", "authors"),
            ("rename_table", "authors__1", "posts"),
        ],
    ),
    ("create table", add_table, [("create_table", "tags", 1)]),
    (
        "drop table",
        drop_posts,
        [("drop_relationship", "r1"), ("drop_table", "posts")],
    ),
    ("add column", add_column, [("add_column", "posts", "slug", 1)]),
    (
        "drop an indexed column",
        drop_indexed_column,
        [("drop_index", "posts", "i1"), ("drop_column", "posts", "title")],
    ),
    (
        "rename a key column",
        rename_key_column,
        [("rename_column", "authors", "id", "author_id")],
    ),
    (
        "swap column names",
        swap_column_names,
        [
            ("rename_column", "authors", "name", "name__1"),
            ("rename_column", "authors", "email", "name"),
            ("rename_column", "authors", "name__1", "email"),
        ],
    ),
    (
        "alter column",
        alter_column,
        [
            (
                "alter_column",
                "posts",
                "title",
                "varchar(200)",
                "varchar(200)",
                False,
            )
        ],
    ),
    (
        "rebuild column for a field no op alters",
        change_collation,
        [
            ("drop_index", "posts", "i1"),
            ("drop_column", "posts", "title"),
            ("add_column", "posts", "title", 2),
            ("add_index", "posts", "posts_title_idx", 0),
        ],
    ),
    (
        "move column",
        move_column,
        [
            ("drop_relationship", "r1"),
            ("set_primary_key", "authors", None),
            ("drop_column", "authors", "id"),
            ("add_column", "authors", "id", 2),
            ("set_primary_key", "authors", ["id"], None),
            ("add_relationship", "r1", 0),
        ],
    ),
    (
        "change primary key",
        change_primary_key,
        [("set_primary_key", "authors", ["id", "name"], "authors_pk")],
    ),
    (
        "change unique",
        change_unique,
        [
            ("drop_unique", "authors", "u1"),
            ("add_unique", "authors", "authors_email_key", 0),
        ],
    ),
    (
        "change index",
        change_index,
        [("drop_index", "posts", "i1"), ("add_index", "posts", "posts_title_idx", 0)],
    ),
    (
        "change check",
        change_check,
        [("drop_check", "authors", "k1"), ("add_check", "authors", "name_set", 0)],
    ),
    (
        "change relationship",
        change_relationship,
        [("drop_relationship", "r1"), ("add_relationship", "r1", 0)],
    ),
    (
        "presentation",
        change_presentation,
        [
            ("set_table_comment", "posts", "Articles"),
            ("set_table_status", "posts", TableStatus.EXISTS),
            ("set_color", "posts", "#ff0000"),
            ("set_position", "posts", {"x": 10.0, "y": 20.0}),
        ],
    ),
    (
        "move table to another schema",
        move_to_schema,
        [
            ("drop_relationship", "r1"),
            ("drop_table", "authors"),
            ("create_table", "authors", 0),
            ("add_relationship", "r1", 0),
        ],
    ),
]


def content(diagram: Diagram) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """What the diff promises to reproduce: tables and relationships, in order."""
    return (
        [t.model_dump() for t in diagram.tables],
        [r.model_dump() for r in diagram.relationships],
    )


@pytest.mark.parametrize(("change", "expected"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_diff_gives_the_expected_ops(
    change: Callable[[Diagram], None], expected: list[tuple[Any, ...]]
) -> None:
    old, new = base(), edited(change)
    ops = diff_diagrams(old, new)
    assert [brief(op) for op in ops] == expected
    assert content(apply_all(ops, old)) == content(new)


@pytest.mark.parametrize("change", [c[1] for c in CASES], ids=[c[0] for c in CASES])
def test_diff_back_undoes_the_change(change: Callable[[Diagram], None]) -> None:
    old, new = base(), edited(change)
    assert content(apply_all(diff_diagrams(new, old), new)) == content(old)


def partitioned() -> Diagram:
    """events, partitioned, with one partition events_2024."""
    events = Table(id="te", name="events", columns=[column("e1", "at")], partition_by="RANGE (at)")
    part = Table(id="tq", name="events_2024", columns=[column("q1", "at")], partition_of="te")
    return Diagram(name="log", tables=[events, part])


def test_recreating_a_parent_recreates_its_partitions_around_it() -> None:
    old = partitioned()
    new = old.model_copy(deep=True)
    new.tables[0].partition_by = "LIST (at)"
    ops = diff_diagrams(old, new)
    assert [brief(op) for op in ops] == [
        ("drop_table", "events_2024"),
        ("drop_table", "events"),
        ("create_table", "events", 0),
        ("create_table", "events_2024", 1),
    ]
    assert content(apply_all(ops, old)) == content(new)


def test_a_created_table_goes_where_the_new_diagram_has_it() -> None:
    old = base()
    new = edited(add_table)
    new.tables.insert(0, Table(id="tz", name="zones", columns=[column("z1", "id")]))
    ops = diff_diagrams(old, new)
    assert [brief(op) for op in ops] == [("create_table", "zones", 0), ("create_table", "tags", 2)]
    assert content(apply_all(ops, old)) == content(new)


def test_unsupported_differences_are_named() -> None:
    old = base()
    new = old.model_copy(update={"description": "A blog.", "views": [View(id="v1", name="recent")]})
    assert diff_diagrams(old, new) == []
    assert unsupported_differences(old, new) == [
        "Diagram setting 'description' differs; the diff has no op to change it.",
        "The view 'recent' was added; the diff does not cover views.",
    ]
    assert unsupported_differences(old, old) == []
