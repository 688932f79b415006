"""The model refuses diagrams whose references do not resolve."""

import pytest
from pydantic import ValidationError

from chartdb_mcp.core.model import (
    Cardinality,
    Diagram,
    Index,
    IndexPart,
    PrimaryKey,
    Relationship,
    Table,
    TableStatus,
    UniqueConstraint,
)
from support.sample_diagrams import blog_diagram, column


def test_new_tables_are_planned_and_ids_are_distinct() -> None:
    first, second = Table(name="a"), Table(name="b")
    assert first.status is TableStatus.PLANNED
    assert first.id != second.id and len(first.id) == 12


def test_table_rejects_repeated_column_names() -> None:
    with pytest.raises(ValidationError, match=r"repeats column names \['id'\]"):
        Table(name="t", columns=[column("id"), column("id")])


@pytest.mark.parametrize(
    "keys",
    [
        {"primary_key": PrimaryKey(columns=["missing"])},
        {"unique_constraints": [UniqueConstraint(columns=["missing"])]},
        {"indexes": [Index(name="i", parts=[IndexPart(column="missing")])]},
    ],
)
def test_table_rejects_keys_on_unknown_columns(keys: dict[str, object]) -> None:
    with pytest.raises(ValidationError, match=r"unknown columns \['missing'\]"):
        Table(name="t", columns=[column("id")], **keys)  # type: ignore[arg-type]


def test_index_part_is_a_column_or_an_expression() -> None:
    assert IndexPart(expression="lower(email)").label == "(lower(email))"
    assert IndexPart(column="a", descending=True).label == "a DESC"
    with pytest.raises(ValidationError, match="exactly one"):
        IndexPart(column="a", expression="b")
    with pytest.raises(ValidationError, match="exactly one"):
        IndexPart()


def test_relationship_pairs_must_line_up() -> None:
    with pytest.raises(ValidationError, match="pairs 2 source columns with 1 target"):
        Relationship(
            source_table_id="a",
            source_columns=["x", "y"],
            target_table_id="b",
            target_columns=["x"],
        )


def test_diagram_rejects_relationship_to_unknown_table_or_column() -> None:
    diagram = blog_diagram()
    data = diagram.model_dump()
    data["relationships"][0]["target_table_id"] = "nope"
    with pytest.raises(ValidationError, match="unknown table id 'nope'"):
        Diagram.model_validate(data)
    data = diagram.model_dump()
    data["relationships"][0]["target_columns"] = ["no_such_column"]
    with pytest.raises(ValidationError, match=r"columns \['no_such_column'\]"):
        Diagram.model_validate(data)


def test_diagram_rejects_two_tables_with_one_name() -> None:
    with pytest.raises(ValidationError, match=r"repeats table names \['s.t'\]"):
        Diagram(
            name="d", tables=[Table(schema_name="s", name="t"), Table(schema_name="s", name="t")]
        )


def test_find_table_by_bare_or_qualified_name() -> None:
    diagram = blog_diagram()
    assert diagram.find_table("posts") is diagram.tables[1]
    assert diagram.find_table("public.posts") is diagram.tables[1]
    assert diagram.find_table("other.posts") is None
    twins = Diagram(
        name="d", tables=[Table(schema_name="a", name="t"), Table(schema_name="b", name="t")]
    )
    assert twins.find_table("t") is None
    assert twins.find_table("b.t") is twins.tables[1]


def test_cardinality_follows_uniqueness_of_the_source_columns() -> None:
    diagram = blog_diagram()
    assert diagram.cardinality(diagram.relationships[0]) == (Cardinality.MANY, Cardinality.ONE)
    posts = diagram.tables[1]
    posts.unique_constraints = [UniqueConstraint(columns=["author_id"])]
    assert diagram.cardinality(diagram.relationships[0]) == (Cardinality.ONE, Cardinality.ONE)


def test_json_round_trip_is_lossless() -> None:
    diagram = blog_diagram()
    assert Diagram.model_validate_json(diagram.model_dump_json()) == diagram


def test_diagram_rejects_a_partition_of_an_unknown_table() -> None:
    with pytest.raises(ValidationError, match="partition of unknown table id 'gone'"):
        Diagram(name="d", tables=[Table(name="p", partition_of="gone")])


@pytest.mark.parametrize("name", ["two\nlines", "tab\there", "bidi\u202eflip", "nul\x00"])
def test_diagram_names_must_be_printable(name: str) -> None:
    with pytest.raises(ValidationError, match="control or formatting characters"):
        Diagram(name=name)
