"""diff_diagrams on hand-made edits: the exact ops for each kind of change, and the round trip.

Every case edits the same small diagram (authors <- posts, an enum and a domain) whose
members have readable ids, names the ops it expects as short tuples, and checks that
applying them to the old diagram gives the new one.
"""

from collections.abc import Callable
from typing import Any

import pytest

from chartdb_mcp.core.edit.diff import diff_diagrams, unsupported_differences
from chartdb_mcp.core.edit.ops import ChangeOp, apply_all
from chartdb_mcp.core.model import (
    CheckConstraint,
    Column,
    CustomType,
    CustomTypeKind,
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
    """authors(id, name, email) and posts(id, author_id, title) with keys, an index, a check,
    plus enum mood and domain money(numeric)."""
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
    types = [
        CustomType(id="y1", name="mood", kind=CustomTypeKind.ENUM, values=["sad", "ok", "happy"]),
        CustomType(id="y2", name="money", kind=CustomTypeKind.DOMAIN, base_type="numeric(12,2)"),
    ]
    return Diagram(name="blog", tables=[authors, posts], relationships=[link], custom_types=types)


def brief(op: ChangeOp) -> tuple[Any, ...]:
    """The op as a short tuple: its kind, its table and what it changes."""
    data = op.model_dump(exclude_unset=True)
    kind = op.kind
    data.pop("kind", None)
    data.pop("table_id", None)
    data.pop("type_id", None)
    if kind in ("create_table", "restore_table"):
        return (kind, data["table"]["name"], data.get("position"))
    if kind == "create_type":
        return (kind, data["type"]["name"], data.get("position"))
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


def add_type(d: Diagram) -> None:
    d.custom_types.insert(
        1, CustomType(id="y3", name="state", kind=CustomTypeKind.ENUM, values=["on", "off"])
    )


def add_type_and_a_table_using_it(d: Diagram) -> None:
    add_type(d)
    d.tables.insert(1, Table(id="tt", name="lamps", columns=[column("t1", "state", "state")]))


def drop_posts_and_mood(d: Diagram) -> None:
    drop_posts(d)
    d.custom_types.pop(0)


def relabel_mood(d: Diagram) -> None:
    d.custom_types[0].values = ["sad", "ok", "happy", "glad"]


def rename_and_relabel_mood(d: Diagram) -> None:
    relabel_mood(d)
    d.custom_types[0].name = "feeling"


def swap_type_names(d: Diagram) -> None:
    d.custom_types[0].name, d.custom_types[1].name = "money", "mood"


def change_domain(d: Diagram) -> None:
    d.custom_types[1].base_type, d.custom_types[1].nullable = "numeric(14,2)", False


def mood_to_domain(d: Diagram) -> None:
    d.custom_types[0] = CustomType(
        id="y1", name="mood", kind=CustomTypeKind.DOMAIN, base_type="text"
    )


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
    ("create type", add_type, [("create_type", "state", 1)]),
    (
        "create a type before the table that uses it",
        add_type_and_a_table_using_it,
        [("create_type", "state", 1), ("create_table", "lamps", 1)],
    ),
    ("drop type", lambda d: d.custom_types.pop(0), [("drop_type", "mood")]),
    (
        "drop a type after the tables",
        drop_posts_and_mood,
        [("drop_relationship", "r1"), ("drop_table", "posts"), ("drop_type", "mood")],
    ),
    (
        "rename type",
        lambda d: setattr(d.custom_types[0], "name", "feeling"),
        [("alter_type", "mood", "feeling")],
    ),
    ("relabel an enum", relabel_mood, [("alter_type", "mood", ["sad", "ok", "happy", "glad"])]),
    (
        "rename and relabel an enum in one op",
        rename_and_relabel_mood,
        [("alter_type", "mood", "feeling", ["sad", "ok", "happy", "glad"])],
    ),
    ("alter a domain", change_domain, [("alter_type", "money", "numeric(14,2)", False)]),
    (
        "swap type names",
        swap_type_names,
        [
            ("alter_type", "mood", "mood__1"),
            ("alter_type", "money", "mood"),
            ("alter_type", "mood__1", "money"),
        ],
    ),
    (
        "move type to another schema",
        lambda d: setattr(d.custom_types[1], "schema_name", "billing"),
        [("drop_type", "money"), ("create_type", "money", 1)],
    ),
    (
        "change the kind of a type",
        mood_to_domain,
        [("drop_type", "mood"), ("create_type", "mood", 0)],
    ),
    (
        "empty an enum, which alter_type refuses",
        lambda d: setattr(d.custom_types[0], "values", []),
        [("drop_type", "mood"), ("create_type", "mood", 0)],
    ),
    (
        "labels on a domain, which alter_type refuses",
        lambda d: setattr(d.custom_types[1], "values", ["x"]),
        [("drop_type", "money"), ("create_type", "money", 1)],
    ),
]


Content = tuple[list[dict[str, Any]], list[dict[str, Any]], list[dict[str, Any]]]


def content(diagram: Diagram) -> Content:
    """What the diff promises to reproduce: tables, relationships and custom types, in order."""
    return (
        [t.model_dump() for t in diagram.tables],
        [r.model_dump() for r in diagram.relationships],
        [t.model_dump() for t in diagram.custom_types],
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


def test_unsupported_differences_are_named_and_custom_types_are_not_among_them() -> None:
    old = base()
    state = CustomType(id="y3", name="state", kind=CustomTypeKind.ENUM, values=["on"])
    new = old.model_copy(
        update={
            "description": "A blog.",
            "views": [View(id="v1", name="recent")],
            "custom_types": [*old.custom_types, state],
        }
    )
    assert [brief(op) for op in diff_diagrams(old, new)] == [("create_type", "state", 2)]
    assert unsupported_differences(old, new) == [
        "Diagram setting 'description' differs; the diff has no op to change it.",
        "The view 'recent' was added; the diff does not cover views.",
    ]
    assert unsupported_differences(old, old) == []
