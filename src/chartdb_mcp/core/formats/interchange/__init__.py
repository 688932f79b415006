"""Interchange formats: ChartDB diagram JSON, ChartDB smart-query JSON, DBML, Mermaid.

Each format has its own module; this package only maps a format name to its reader or
writer. A writer returns the text and a warning per kind of fact the format cannot
hold; a reader returns a diagram with fresh ids and a warning per thing it left out,
and raises `InvalidDocument` (naming the line or field) for input it cannot read.
"""

from collections.abc import Callable

from chartdb_mcp.core.formats.interchange.chartdb_export import export_chartdb_json
from chartdb_mcp.core.formats.interchange.chartdb_import import import_chartdb_json
from chartdb_mcp.core.formats.interchange.common import (
    Exported,
    ExportFormat,
    Imported,
    ImportFormat,
)
from chartdb_mcp.core.formats.interchange.dbml_export import export_dbml
from chartdb_mcp.core.formats.interchange.dbml_import import import_dbml
from chartdb_mcp.core.formats.interchange.mermaid_er import export_mermaid
from chartdb_mcp.core.formats.interchange.smart_query import import_smart_query
from chartdb_mcp.core.model import DatabaseType, Diagram

Writer = Callable[[Diagram], Exported]
Reader = Callable[[str, str | None, DatabaseType | None], Imported]

WRITERS: dict[ExportFormat, Writer] = {
    ExportFormat.CHARTDB_JSON: export_chartdb_json,
    ExportFormat.DBML: export_dbml,
    ExportFormat.MERMAID: export_mermaid,
}


def read_chartdb_json(text: str, name: str | None, database_type: DatabaseType | None) -> Imported:
    """The file names its own database type; a different one asked for is reported."""
    imported = import_chartdb_json(text, name)
    found = imported.diagram.database_type
    if database_type is not None and database_type != found:
        imported.warnings.append(
            f"The file describes a {found.value} database; database_type "
            f"{database_type.value!r} was not used."
        )
    return imported


READERS: dict[ImportFormat, Reader] = {
    ImportFormat.CHARTDB_JSON: read_chartdb_json,
    ImportFormat.DBML: import_dbml,
    ImportFormat.CHARTDB_SMART_QUERY: import_smart_query,
}


def export_diagram(diagram: Diagram, format: ExportFormat) -> Exported:
    """The diagram written in `format`, with what the format could not hold."""
    return WRITERS[format](diagram)


def import_document(
    text: str,
    format: ImportFormat,
    name: str | None = None,
    database_type: DatabaseType | None = None,
) -> Imported:
    """The diagram a document in `format` describes, named `name` when given.

    `database_type` is used when the document does not say (DBML without a project
    setting); a document that says wins.
    """
    return READERS[format](text, name, database_type)


__all__ = [
    "ExportFormat",
    "Exported",
    "ImportFormat",
    "Imported",
    "export_diagram",
    "import_document",
]
