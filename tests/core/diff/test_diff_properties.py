"""Property tests: for random pairs of diagrams, the diff's ops turn one into the other.

Both diagrams draw their ids from the same small pools, so a pair shares some tables,
columns, keys, indexes, checks, relationships and custom types by id and differs in the
rest: names, fields, order, schema, partitioning, a type's kind and labels. The second
diagram is either drawn independently (much churn) or is the first with a few small edits.
"""

from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from chartdb_mcp.core.edit.diff import diff_diagrams
from chartdb_mcp.core.edit.ops import apply_all
from chartdb_mcp.core.model import (
    CheckConstraint,
    Column,
    CustomType,
    CustomTypeKind,
    Diagram,
    Index,
    IndexPart,
    PrimaryKey,
    ReferentialAction,
    Relationship,
    Table,
    TableStatus,
    UniqueConstraint,
)

TABLE_IDS = ["t0", "t1", "t2", "t3", "t4"]
NAMES = ["a", "b", "c", "d", "e", "f"]
TYPE_IDS = ["y0", "y1", "y2", "y3"]
TYPE_NAMES = ["mood", "money", "point", "state"]
LABELS = ["sad", "ok", "happy", "glad"]
TYPES = ["integer", "text", "bigint", "mood"]


@st.composite
def columns(draw: st.DrawFn, table_id: str) -> list[Column]:
    ids = draw(st.lists(st.sampled_from(range(5)), min_size=1, max_size=4, unique=True))
    names = draw(st.permutations(NAMES))
    return [
        Column(
            id=f"{table_id}.c{number}",
            name=name,
            type=draw(st.sampled_from(TYPES)),
            normalized_type=draw(st.sampled_from(["", "int"])),
            nullable=draw(st.booleans()),
            default=draw(st.sampled_from([None, "0"])),
            comment=draw(st.sampled_from([None, "note"])),
            collation=draw(st.sampled_from([None, None, "C"])),
            generated=draw(st.sampled_from([None, None, "1 + 1"])),
        )
        for number, name in zip(ids, names, strict=False)
    ]


def some_columns(draw: st.DrawFn, names: list[str]) -> list[str]:
    return draw(st.lists(st.sampled_from(names), min_size=1, max_size=2, unique=True))


@st.composite
def tables(draw: st.DrawFn, table_id: str, name: str, earlier: list[str]) -> Table:
    cols = draw(columns(table_id))
    names = [c.name for c in cols]
    key = some_columns(draw, names) if draw(st.booleans()) else None
    member_ids = draw(st.lists(st.sampled_from(range(4)), max_size=3, unique=True))
    uniques = [
        UniqueConstraint(
            id=f"{table_id}.u{n}",
            name=draw(st.sampled_from([None, f"uq{n}", f"uq{n}x"])),
            columns=some_columns(draw, names),
        )
        for n in member_ids[: draw(st.integers(0, len(member_ids)))]
    ]
    indexes = [
        Index(
            id=f"{table_id}.i{n}",
            name=draw(st.sampled_from([f"ix{n}", f"ix{n}x"])),
            parts=[
                IndexPart(column=c, descending=draw(st.booleans()))
                for c in some_columns(draw, names)
            ]
            + draw(st.sampled_from([[], [IndexPart(expression="lower(x)")]])),
            unique=draw(st.booleans()),
            where=draw(st.sampled_from([None, "a > 0"])),
            include=draw(st.sampled_from([[], names[:1]])),
        )
        for n in draw(st.permutations(member_ids))[: draw(st.integers(0, 2))]
    ]
    checks = [
        CheckConstraint(
            id=f"{table_id}.k{n}",
            name=draw(st.sampled_from([None, f"ck{n}"])),
            expression=draw(st.sampled_from(["a > 0", "b <> ''"])),
        )
        for n in draw(st.permutations(member_ids))[: draw(st.integers(0, 2))]
    ]
    return Table(
        id=table_id,
        schema_name=draw(st.sampled_from([None, None, "s"])),
        name=name,
        columns=cols,
        primary_key=PrimaryKey(columns=key) if key else None,
        unique_constraints=uniques,
        indexes=indexes,
        checks=checks,
        comment=draw(st.sampled_from([None, "a table"])),
        color=draw(st.sampled_from([None, "#00ff00"])),
        status=draw(st.sampled_from(list(TableStatus))),
        partition_of=draw(st.sampled_from([None, None, None, *earlier])),
    )


@st.composite
def custom_types(draw: st.DrawFn, type_id: str, name: str) -> CustomType:
    """A type of any kind; now and then an empty or repeated label list, or labels on a
    domain, which alter_type refuses and the diff must recreate instead."""
    kind = draw(st.sampled_from(list(CustomTypeKind)))
    labels = draw(st.lists(st.sampled_from(LABELS), max_size=4, unique=True))
    if labels and draw(st.integers(0, 5)) == 0:
        labels.append(labels[0])
    return CustomType(
        id=type_id,
        schema_name=draw(st.sampled_from([None, None, "s"])),
        name=name,
        kind=kind,
        values=labels if kind is CustomTypeKind.ENUM or draw(st.integers(0, 5)) == 0 else [],
        base_type=draw(st.sampled_from(["text", "integer"]))
        if kind is CustomTypeKind.DOMAIN
        else None,
        nullable=draw(st.booleans()),
        default=draw(st.sampled_from([None, "0"])),
        checks=draw(st.sampled_from([[], ["VALUE > 0"]])),
        fields=draw(columns(type_id)) if kind is CustomTypeKind.COMPOSITE else [],
    )


@st.composite
def diagrams(draw: st.DrawFn) -> Diagram:
    ids = draw(st.lists(st.sampled_from(TABLE_IDS), min_size=1, max_size=4, unique=True))
    names = draw(st.permutations(NAMES))
    made: list[Table] = []
    for table_id, name in zip(ids, names, strict=False):
        made.append(draw(tables(table_id, name, [t.id for t in made])))
    relationships = []
    for number in draw(st.permutations(range(4)))[: draw(st.integers(0, 3))]:
        source, target = draw(st.sampled_from(made)), draw(st.sampled_from(made))
        relationships.append(
            Relationship(
                id=f"r{number}",
                name=draw(st.sampled_from([None, f"fk{number}"])),
                source_table_id=source.id,
                source_columns=[draw(st.sampled_from(source.columns)).name],
                target_table_id=target.id,
                target_columns=[draw(st.sampled_from(target.columns)).name],
                on_delete=draw(st.sampled_from(list(ReferentialAction))),
            )
        )
    type_ids = draw(st.lists(st.sampled_from(TYPE_IDS), max_size=3, unique=True))
    type_names = draw(st.permutations(TYPE_NAMES))
    types = [
        draw(custom_types(type_id, name))
        for type_id, name in zip(type_ids, type_names, strict=False)
    ]
    return Diagram(name="random", tables=made, relationships=relationships, custom_types=types)


@st.composite
def small_edits(draw: st.DrawFn, diagram: Diagram) -> Diagram:
    """The diagram with a few of its tables' and types' names, columns or members changed."""
    data = diagram.model_dump()
    for table in data["tables"]:
        if draw(st.integers(0, 3)) == 0:
            table["name"] = table["name"] + "_new"
        for column in table["columns"]:
            if draw(st.integers(0, 4)) == 0:
                rename_everywhere(data, table, column["name"], column["name"] + "_new")
            if draw(st.integers(0, 4)) == 0:
                column["type"] = "varchar(9)"
        if draw(st.booleans()):
            table["checks"].reverse()
        table["comment"] = draw(st.sampled_from([table["comment"], "edited"]))
    if draw(st.booleans()):
        data["relationships"].reverse()
    for custom_type in data["custom_types"]:
        if draw(st.integers(0, 3)) == 0:
            custom_type["name"] = custom_type["name"] + "_new"
        if draw(st.integers(0, 2)) == 0:
            custom_type["values"] = draw(st.permutations(custom_type["values"]))
        if draw(st.integers(0, 3)) == 0:
            custom_type["values"] = [*custom_type["values"], "new"]
        custom_type["nullable"] = draw(st.booleans())
    return Diagram.model_validate(data)


def rename_everywhere(data: dict[str, Any], table: dict[str, Any], old: str, new: str) -> None:
    """Rename a column of a dumped table and every by-name reference to it."""

    def renamed(names: list[str]) -> list[str]:
        return [new if name == old else name for name in names]

    for column in table["columns"]:
        if column["name"] == old:
            column["name"] = new
    if table["primary_key"] is not None:
        table["primary_key"]["columns"] = renamed(table["primary_key"]["columns"])
    for unique in table["unique_constraints"]:
        unique["columns"] = renamed(unique["columns"])
    for index in table["indexes"]:
        index["include"] = renamed(index["include"])
        for part in index["parts"]:
            if part["column"] == old:
                part["column"] = new
    for relationship in data["relationships"]:
        for end in ("source", "target"):
            if relationship[f"{end}_table_id"] == table["id"]:
                relationship[f"{end}_columns"] = renamed(relationship[f"{end}_columns"])


def content(diagram: Diagram) -> list[list[dict[str, Any]]]:
    lists = (diagram.tables, diagram.relationships, diagram.custom_types)
    return [sorted((m.model_dump() for m in items), key=lambda m: str(m["id"])) for items in lists]


@settings(max_examples=75, deadline=None)
@given(diagrams(), diagrams())
def test_diff_of_any_two_diagrams_applies_and_arrives(old: Diagram, new: Diagram) -> None:
    result = apply_all(diff_diagrams(old, new), old)
    assert content(result) == content(new)
    assert [r.id for r in result.relationships] == [r.id for r in new.relationships]
    assert diff_diagrams(result, new) == []


@settings(max_examples=75, deadline=None)
@given(st.data())
def test_diff_of_small_edits_applies_and_arrives(data: st.DataObject) -> None:
    old = data.draw(diagrams())
    new = data.draw(small_edits(old))
    result = apply_all(diff_diagrams(old, new), old)
    assert content(result) == content(new)
    assert [t.model_dump() for t in result.tables] == [t.model_dump() for t in new.tables]
    assert [t.model_dump() for t in result.custom_types] == [
        t.model_dump() for t in new.custom_types
    ]


@settings(max_examples=75, deadline=None)
@given(diagrams())
def test_a_diagram_has_no_diff_with_itself(diagram: Diagram) -> None:
    assert diff_diagrams(diagram, diagram) == []
