"""Custom type ops (create_type, alter_type, drop_type): results, undo, refusals, warnings.

The diagram is the blog fixture with three types (enum public.mood, domain
public.email_address, composite public.address) and two columns that use them by name:
posts.mood and authors.home.
"""

from collections.abc import Callable
from dataclasses import dataclass

import pytest

from chartdb_mcp.core.edit import ops
from chartdb_mcp.core.model import Column, CustomType, CustomTypeKind, Diagram
from chartdb_mcp.errors import InvalidChange

Make = Callable[[Diagram], ops.ChangeOp]

ENUM, DOMAIN, COMPOSITE = CustomTypeKind.ENUM, CustomTypeKind.DOMAIN, CustomTypeKind.COMPOSITE


@pytest.fixture
def typed(blog: Diagram) -> Diagram:
    """The blog fixture plus a domain, a composite and two columns typed by name."""
    return ops.apply_all(
        [
            ops.CreateType(
                type=CustomType(
                    id="ty-email",
                    schema_name="public",
                    name="email_address",
                    kind=DOMAIN,
                    base_type="text",
                    checks=["VALUE LIKE '%@%'"],
                )
            ),
            ops.CreateType(
                type=CustomType(
                    id="ty-address",
                    schema_name="public",
                    name="address",
                    kind=COMPOSITE,
                    fields=[Column(name="street", type="text"), Column(name="city", type="text")],
                )
            ),
            ops.AddColumn(
                table="posts", column=Column(name="mood", type="mood", normalized_type="mood")
            ),
            ops.AddColumn(table="authors", column=Column(name="home", type="public.address")),
        ],
        blog,
    )


def type_named(diagram: Diagram, qualified_name: str) -> CustomType:
    return next(t for t in diagram.custom_types if t.qualified_name == qualified_name)


def names(diagram: Diagram) -> list[str]:
    return [t.qualified_name for t in diagram.custom_types]


@dataclass
class Case:
    name: str
    make: Make
    text: str
    observe: Callable[[Diagram], object]
    expected: object


CASES = [
    Case(
        "create_composite_in_the_middle",
        lambda d: ops.CreateType(
            type=CustomType(
                schema_name="geo",
                name="point",
                kind=COMPOSITE,
                fields=[Column(name="x", type="integer"), Column(name="y", type="integer")],
            ),
            position=1,
        ),
        "+ type geo.point (composite: x integer, y integer)",
        names,
        ["public.mood", "geo.point", "public.email_address", "public.address"],
    ),
    Case(
        "create_enum_without_labels",
        lambda d: ops.CreateType(type=CustomType(name="empty", kind=ENUM)),
        "+ type empty (enum)",
        lambda d: d.custom_types[-1].values,
        [],
    ),
    Case(
        "append_a_label",
        lambda d: ops.AlterType(type="mood", values=["sad", "ok", "happy", "ecstatic"]),
        "~ type public.mood: values sad, ok, happy -> sad, ok, happy, ecstatic",
        lambda d: type_named(d, "public.mood").values,
        ["sad", "ok", "happy", "ecstatic"],
    ),
    Case(
        "rename_and_relabel",
        lambda d: ops.AlterType(type="public.mood", new_name="feeling", values=["low", "high"]),
        "~ type public.mood -> public.feeling: values sad, ok, happy -> low, high",
        lambda d: (names(d)[0], d.custom_types[0].values),
        ("public.feeling", ["low", "high"]),
    ),
    Case(
        "alter_a_domain",
        lambda d: ops.AlterType(
            type="email_address", base_type="varchar(320)", nullable=False, checks=[]
        ),
        "~ type public.email_address: base_type text -> varchar(320), nullable true -> false, "
        "checks VALUE LIKE '%@%' -> none",
        lambda d: type_named(d, "public.email_address").model_dump(
            include={"base_type", "nullable", "checks"}
        ),
        {"base_type": "varchar(320)", "nullable": False, "checks": []},
    ),
    Case(
        "set_a_default",
        lambda d: ops.AlterType(type="email_address", default="'nobody@example.com'"),
        "~ type public.email_address: default none -> 'nobody@example.com'",
        lambda d: type_named(d, "public.email_address").default,
        "'nobody@example.com'",
    ),
    Case(
        "alter_nothing",
        lambda d: ops.AlterType(type="mood"),
        "~ type public.mood: no change",
        lambda d: d.custom_types[0].values,
        ["sad", "ok", "happy"],
    ),
    Case(
        "replace_composite_fields",
        lambda d: ops.AlterType(
            type="address",
            fields=[Column(name="street", type="text"), Column(name="zip", type="text")],
        ),
        "~ type public.address: fields street text, city text -> street text, zip text",
        lambda d: [f.name for f in type_named(d, "public.address").fields],
        ["street", "zip"],
    ),
    Case(
        "the_id_wins_over_a_stale_name",
        lambda d: ops.AlterType(type="old_name", type_id="ty-email", new_name="mail"),
        "~ type public.email_address -> public.mail",
        names,
        ["public.mood", "public.mail", "public.address"],
    ),
    Case(
        "drop_a_type_in_the_middle",
        lambda d: ops.DropType(type="public.email_address"),
        "- type public.email_address",
        names,
        ["public.mood", "public.address"],
    ),
    Case(
        "drop_a_type_columns_use",
        lambda d: ops.DropType(type="mood"),
        "- type public.mood",
        lambda d: (names(d), d.tables[1].columns[-1].type),
        (["public.email_address", "public.address"], "mood"),
    ),
]


@pytest.mark.parametrize("case", CASES, ids=[case.name for case in CASES])
def test_apply_describe_and_invert(case: Case, typed: Diagram) -> None:
    before = typed.model_dump()
    op = case.make(typed)

    assert ops.describe(op, typed) == case.text
    changed = ops.apply(op, typed)
    assert case.observe(changed) == case.expected

    inverse = ops.invert(op, typed)
    assert ops.apply(inverse, changed).model_dump() == before
    redo = ops.invert(inverse, changed)
    assert ops.apply(redo, typed).model_dump() == changed.model_dump()
    assert typed.model_dump() == before, "the input diagram was changed"


def test_the_inverse_of_a_drop_carries_the_type_and_its_place(typed: Diagram) -> None:
    inverse = ops.invert(ops.DropType(type="email_address"), typed)
    assert inverse == ops.CreateType(type=typed.custom_types[1], position=1)


def test_renames_are_undone_by_id_and_new_name(typed: Diagram) -> None:
    inverse = ops.invert(ops.AlterType(type="mood", new_name="feeling"), typed)
    assert inverse.model_dump(exclude_unset=True) == {
        "type": "public.feeling",
        "type_id": typed.custom_types[0].id,
        "new_name": "mood",
    }


ERRORS: list[tuple[str, Make, str]] = [
    (
        "create_with_a_taken_id",
        lambda d: ops.CreateType(type=CustomType(id="ty-email", name="mail", kind=DOMAIN)),
        "Diagram 'blog' already has a custom type with id 'ty-email'.",
    ),
    (
        "create_with_a_taken_name",
        lambda d: ops.CreateType(type=CustomType(schema_name="public", name="mood", kind=ENUM)),
        "Diagram 'blog' already has a type named 'public.mood'.",
    ),
    (
        "create_at_a_position_out_of_range",
        lambda d: ops.CreateType(type=CustomType(name="state", kind=ENUM), position=4),
        "Position 4 is outside 0..3 for the custom types of diagram 'blog'.",
    ),
    (
        "alter_an_unknown_type",
        lambda d: ops.AlterType(type="moods", values=["a"]),
        "Type 'moods' does not exist in diagram 'blog'.",
    ),
    (
        "alter_an_unknown_id",
        lambda d: ops.AlterType(type="mood", type_id="gone", values=["a"]),
        "Type 'mood' does not exist in diagram 'blog'.",
    ),
    (
        "drop_an_unknown_type",
        lambda d: ops.DropType(type="archive.mood"),
        "Type 'archive.mood' does not exist in diagram 'blog'.",
    ),
    (
        "labels_on_a_domain",
        lambda d: ops.AlterType(type="email_address", values=["a"]),
        "Type 'email_address' is a domain, and only an enum has values.",
    ),
    (
        "base_type_on_an_enum",
        lambda d: ops.AlterType(type="mood", base_type="text"),
        "Type 'mood' is an enum, and only a domain has base_type.",
    ),
    (
        "fields_on_a_domain",
        lambda d: ops.AlterType(
            type="public.email_address", fields=[Column(name="x", type="integer")]
        ),
        "Type 'public.email_address' is a domain, and only a composite has fields.",
    ),
    (
        "repeated_labels",
        lambda d: ops.AlterType(type="mood", values=["sad", "ok", "sad", "ok", "happy"]),
        "Enum 'mood' would repeat labels ['sad', 'ok'].",
    ),
    (
        "no_labels",
        lambda d: ops.AlterType(type="public.mood", values=[]),
        "Enum 'public.mood' needs at least one label.",
    ),
    (
        "rename_onto_a_taken_name",
        lambda d: ops.AlterType(type="mood", new_name="address"),
        "Diagram 'blog' already has a type named 'public.address'.",
    ),
    (
        "required_field_set_to_null",
        lambda d: ops.AlterType(type="email_address", nullable=None),
        "Type 'email_address' cannot have ['nullable'] set to null.",
    ),
]


@pytest.mark.parametrize(("make", "message"), [e[1:] for e in ERRORS], ids=[e[0] for e in ERRORS])
def test_invalid_ops_are_refused_with_a_message(make: Make, message: str, typed: Diagram) -> None:
    before = typed.model_dump()
    op = make(typed)
    for action in (ops.validate, ops.apply, ops.invert, ops.describe):
        with pytest.raises(InvalidChange) as raised:
            action(op, typed)
        assert str(raised.value) == message
    assert typed.model_dump() == before


LOSES_OK = (
    "Enum 'mood' loses labels ['ok']; rows that use them would no longer be valid, and "
    "PostgreSQL cannot drop an enum label."
)

WARNINGS: list[tuple[str, Make, list[str]]] = [
    ("add_a_label", lambda d: ops.AlterType(type="mood", values=["sad", "ok", "happy", "x"]), []),
    ("remove_a_label", lambda d: ops.AlterType(type="mood", values=["sad", "happy"]), [LOSES_OK]),
    (
        "reorder_labels",
        lambda d: ops.AlterType(type="mood", values=["happy", "ok", "sad"]),
        [
            "Enum 'mood' reorders labels ['sad', 'ok', 'happy'] to ['happy', 'ok', 'sad']; "
            "PostgreSQL cannot reorder enum labels."
        ],
    ),
    (
        "remove_and_reorder_labels",
        lambda d: ops.AlterType(type="mood", values=["happy", "sad", "meh"]),
        [
            LOSES_OK,
            "Enum 'mood' reorders labels ['sad', 'happy'] to ['happy', 'sad']; "
            "PostgreSQL cannot reorder enum labels.",
        ],
    ),
    (
        "rename_a_type_columns_use",
        lambda d: ops.AlterType(type="mood", new_name="feeling"),
        [
            "Columns ['posts.mood'] refer to type 'mood' by name and are NOT renamed "
            "automatically; alter their type to 'public.feeling'."
        ],
    ),
    (
        "rename_a_type_no_column_uses",
        lambda d: ops.AlterType(type="email_address", new_name="mail"),
        [],
    ),
    (
        "rename_to_the_same_name",
        lambda d: ops.AlterType(type="mood", new_name="mood"),
        [],
    ),
    (
        "drop_a_type_columns_use",
        lambda d: ops.DropType(type="public.address"),
        [
            "Columns ['authors.home'] use type 'public.address'; after the drop their type "
            "names a type the diagram no longer has."
        ],
    ),
    ("drop_a_type_no_column_uses", lambda d: ops.DropType(type="email_address"), []),
]


@pytest.mark.parametrize(
    ("make", "warnings"), [w[1:] for w in WARNINGS], ids=[w[0] for w in WARNINGS]
)
def test_warnings(make: Make, warnings: list[str], typed: Diagram) -> None:
    op = make(typed)
    assert ops.validate(op, typed) == warnings
    ops.apply(op, typed)  # a warning never stops the change


@pytest.mark.parametrize(
    ("type_text", "uses"),
    [
        ("mood", True),
        ("public.mood", True),
        ("mood[]", True),
        ('"mood"', True),
        ("archive.mood", False),
        ("moods", False),
        ("bad_mood", False),
        ("text", False),
    ],
)
def test_a_column_uses_a_type_when_its_type_text_names_it(
    type_text: str, uses: bool, blog: Diagram
) -> None:
    diagram = ops.apply(
        ops.AddColumn(table="comments", column=Column(name="tone", type=type_text)), blog
    )
    warnings = ops.validate(ops.DropType(type="mood"), diagram)
    assert bool(warnings) == uses
    if uses:
        assert warnings[0].startswith("Columns ['comments.tone'] use type 'mood'")


def test_a_schema_qualified_name_picks_one_of_two_types_with_the_same_name(
    typed: Diagram,
) -> None:
    archived = ops.CreateType(
        type=CustomType(schema_name="archive", name="mood", kind=ENUM, values=["old"])
    )
    diagram = ops.apply(archived, typed)
    with pytest.raises(InvalidChange, match=r"^Diagram 'blog' has no single type named 'mood'"):
        ops.apply(ops.DropType(type="mood"), diagram)
    assert names(ops.apply(ops.DropType(type="archive.mood"), diagram)) == names(typed)
    renamed = ops.apply(ops.AlterType(type="archive.mood", new_name="address"), diagram)
    assert names(renamed)[-1] == "archive.address"


def test_type_ops_parse_from_json_by_kind(typed: Diagram) -> None:
    batch = ops.CHANGE_OPS.validate_json(
        '[{"kind": "create_type", "type": {"name": "state", "kind": "enum", "values": ["on"]}},'
        ' {"kind": "alter_type", "type": "state", "values": ["on", "off"]},'
        ' {"kind": "drop_type", "type": "email_address"}]'
    )
    assert [op.kind for op in batch] == ["create_type", "alter_type", "drop_type"]
    changed = ops.apply_all(batch, typed)
    assert names(changed) == ["public.mood", "public.address", "state"]
    assert changed.custom_types[-1].values == ["on", "off"]
    assert ops.apply_all(ops.invert_all(batch, typed), changed).model_dump() == typed.model_dump()
