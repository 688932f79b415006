"""DBML in and out: references in every direction, the project's type, what is left out."""

import pytest

from chartdb_mcp.core.formats.interchange import (
    ExportFormat,
    ImportFormat,
    export_diagram,
    import_document,
)
from chartdb_mcp.core.model import (
    Column,
    CustomType,
    CustomTypeKind,
    DatabaseType,
    Diagram,
    PrimaryKey,
    ReferentialAction,
    Relationship,
    Table,
    UniqueConstraint,
)
from chartdb_mcp.errors import InvalidDocument
from support.sample_diagrams import blog_diagram


def read(text: str, database_type: DatabaseType | None = None) -> object:
    return import_document(text, ImportFormat.DBML, database_type=database_type)


def test_reference_directions_and_many_to_many() -> None:
    imported = import_document(
        """
        Table a {
          id int [pk]
          b_id int [unique]
        }
        Table b {
          id int [pk]
          a_id int
        }
        Table c {
          id int [pk, ref: > a.id]
        }
        Ref one: a.b_id - b.id
        Ref back: a.id < b.a_id [update: cascade]
        Ref lots: a.id <> b.id
        TableGroup g {
          a
          b
        }
        """,
        ImportFormat.DBML,
    )
    diagram = imported.diagram
    names = {t.id: t.name for t in diagram.tables}
    links = [
        (r.name, names[r.source_table_id], r.source_columns, names[r.target_table_id], r.on_update)
        for r in diagram.relationships
    ]
    assert sorted(links, key=str) == sorted(
        [
            (None, "c", ["id"], "a", ReferentialAction.NO_ACTION),
            ("one", "a", ["b_id"], "b", ReferentialAction.NO_ACTION),
            ("back", "b", ["a_id"], "a", ReferentialAction.CASCADE),
        ],
        key=str,
    )
    assert sorted(imported.warnings) == [
        "1 many-to-many references were not imported: a foreign key runs from a child to a "
        "parent; model the link table instead.",
        "1 table groups were not imported: the diagram has no grouping of tables other than "
        "canvas areas.",
    ]
    assert diagram.database_type == DatabaseType.GENERIC
    assert {t.schema_name for t in diagram.tables} == {None}


def test_the_project_setting_beats_the_argument_and_the_argument_beats_generic() -> None:
    declared = "Project p {\n  database_type: 'MySQL'\n}\nTable t {\n  id int\n}\n"
    plain = "Table t {\n  id int\n}\n"
    assert (
        import_document(
            declared, ImportFormat.DBML, database_type=DatabaseType.SQLITE
        ).diagram.database_type
        == DatabaseType.MYSQL
    )
    postgres = import_document(plain, ImportFormat.DBML, database_type=DatabaseType.POSTGRESQL)
    assert postgres.diagram.database_type == DatabaseType.POSTGRESQL
    assert postgres.diagram.tables[0].schema_name == "public"
    unknown = import_document("Project p {\n  database_type: 'DB2'\n}\n" + plain, ImportFormat.DBML)
    assert unknown.warnings == ["The project's database_type 'DB2' is unknown; read as generic."]


def test_export_keeps_actions_one_to_one_and_says_what_it_leaves_out() -> None:
    diagram = blog_diagram()
    exported = export_diagram(diagram, ExportFormat.DBML)
    assert 'Project "blog"' in exported.content
    assert "[delete: cascade]" in exported.content
    warnings = " ".join(exported.warnings)
    assert "1 index lost the DESC order" in warnings
    assert "1 partial index lost the WHERE predicate" in warnings
    assert "1 view was left out: DBML has no views" in warnings
    back = import_document(exported.content, ImportFormat.DBML).diagram
    assert [(r.name, r.on_delete) for r in back.relationships] == [
        (r.name, r.on_delete) for r in diagram.relationships
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Table a {\n  id int\n  name varchar [pk\n}\n", "line 4, column 1"),
        ("Table a {\n  id int\n}\nRef: a.id > b.id\n", "Table public.b not present"),
        ("Table a {\n  id int [ref: > a.nope]\n}\n", "Column nope not present"),
        ("Table a {\n  id int\n  id text\n}\n", "repeats column names ['id']"),
    ],
)
def test_bad_dbml_is_refused_with_the_place_or_the_name(text: str, expected: str) -> None:
    with pytest.raises(InvalidDocument) as caught:
        import_document(text, ImportFormat.DBML)
    assert expected in str(caught.value)


def test_double_quotes_in_names_still_give_dbml_that_parses() -> None:
    # DBML quotes names in double quotes with no escape, so a `"` inside one would end it.
    people = Table(
        name='say "hi"',
        columns=[Column(name='the "id"', type="integer", nullable=False)],
        primary_key=PrimaryKey(columns=['the "id"']),
    )
    posts = Table(
        name="posts",
        columns=[
            Column(name="id", type="integer", nullable=False),
            Column(name='author "x"', type="integer"),
            Column(name="mood", type="mood"),
        ],
        primary_key=PrimaryKey(columns=["id"]),
    )
    diagram = Diagram(
        name='the "shop"',
        database_type=DatabaseType.MYSQL,
        tables=[people, posts],
        relationships=[
            Relationship(
                source_table_id=posts.id,
                source_columns=['author "x"'],
                target_table_id=people.id,
                target_columns=['the "id"'],
            )
        ],
        custom_types=[CustomType(name="mood", kind=CustomTypeKind.ENUM, values=['so "so"', "ok"])],
    )
    exported = export_diagram(diagram, ExportFormat.DBML)
    back = import_document(exported.content, ImportFormat.DBML).diagram
    assert back.name == "the 'shop'"
    assert [(t.name, [c.name for c in t.columns]) for t in back.tables] == [
        ("say 'hi'", ["the 'id'"]),
        ("posts", ["id", "author 'x'", "mood"]),
    ]
    [relationship] = back.relationships
    assert relationship.source_columns == ["author 'x'"]
    assert back.custom_types[0].values == ["so 'so'", "ok"]
    assert any(
        "double quote" in w and 'say "hi"' in w and 'posts.author "x"' in w
        for w in exported.warnings
    )


def test_default_null_is_no_default_and_key_columns_are_not_null() -> None:
    imported = import_document(
        """
        Table merchants {
          id int
          country_code int
          nick varchar [default: null]
          motto varchar [default: 'none']
          indexes {
            (id, country_code) [pk]
          }
        }
        """,
        ImportFormat.DBML,
    )
    [table] = imported.diagram.tables
    assert [(c.name, c.nullable, c.default) for c in table.columns] == [
        ("id", False, None),
        ("country_code", False, None),
        ("nick", True, None),
        ("motto", True, "'none'"),
    ]


def test_a_table_without_columns_is_left_out_of_dbml_with_a_warning() -> None:
    # DBML tables need a column; pydbml writes an empty one and then refuses to read it.
    diagram = Diagram(
        name="draft",
        database_type=DatabaseType.POSTGRESQL,
        tables=[
            Table(name="later", columns=[]),
            Table(name="now", columns=[Column(name="id", type="integer")]),
        ],
    )
    exported = export_diagram(diagram, ExportFormat.DBML)
    back = import_document(exported.content, ImportFormat.DBML).diagram
    assert [t.name for t in back.tables] == ["now"]
    assert any("without columns" in w and "later" in w for w in exported.warnings)


def unnamed_unique_blog() -> Diagram:
    """The blog with an unnamed two-column UNIQUE on posts."""
    diagram = blog_diagram()
    posts = diagram.tables[1]
    unique = UniqueConstraint(columns=["author_id", "title"])
    changed = posts.model_copy(update={"unique_constraints": [unique]})
    return diagram.model_copy(update={"tables": [diagram.tables[0], changed, diagram.tables[2]]})


@pytest.mark.parametrize("export_format", [ExportFormat.DBML, ExportFormat.CHARTDB_JSON])
def test_an_unnamed_unique_written_as_an_index_is_named_by_its_columns(
    export_format: ExportFormat,
) -> None:
    warnings = export_diagram(unnamed_unique_blog(), export_format).warnings
    [warning] = [w for w in warnings if "written as a unique index" in w]
    assert warning.endswith("(public.posts(author_id, title)).")
