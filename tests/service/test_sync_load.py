"""The schema names a stored document mentions, read before the document is decoded."""

from chartdb_mcp.core.model import DatabaseType, Diagram, Table
from chartdb_mcp.service.sync_load import schemas_in_document, tables_schemas


def document(*tables: Table) -> str:
    return Diagram(
        name="d", database_type=DatabaseType.POSTGRESQL, tables=list(tables)
    ).model_dump_json()


def test_names_come_from_the_text_and_cover_the_tables_schemas() -> None:
    diagram_text = document(
        Table(name="a", schema_name="sales"), Table(name="b", schema_name='q"x')
    )
    assert schemas_in_document(diagram_text) == ['q"x', "sales"]
    decoded = Diagram.model_validate_json(diagram_text)
    assert tables_schemas(decoded) == ['q"x', "sales"]


def test_a_table_without_schema_means_the_default_schemas() -> None:
    text = document(Table(name="a", schema_name="sales"), Table(name="b"))
    assert schemas_in_document(text) is None
    assert tables_schemas(Diagram.model_validate_json(text)) is None
