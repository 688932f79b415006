"""A whole diagram as a Mermaid ER diagram, each table styled by its status.

It draws the way the change view (`change_mermaid`) does, with the same identifiers,
attribute words, key markers and crow's-foot ends, so the two read alike: every table
with its columns, every relationship, and one class per status (planned, exists,
synced, drift, deprecated). Views, checks, indexes and custom types have no place in
Mermaid's erDiagram and are left out with a warning.
"""

from chartdb_mcp.core.formats.change_mermaid import (
    alias_text,
    column_row,
    entity_ids,
    relationship_line,
)
from chartdb_mcp.core.formats.interchange.common import Exported, count_warning
from chartdb_mcp.core.model import Diagram, Table, TableStatus

STATUS_STYLES = {
    TableStatus.PLANNED: "fill:#eff6ff,stroke:#3b82f6,color:#1e3a8a",
    TableStatus.EXISTS: "fill:#f3f4f6,stroke:#6b7280,color:#111827",
    TableStatus.SYNCED: "fill:#dcfce7,stroke:#16a34a,color:#14532d",
    TableStatus.DRIFT: "fill:#fef9c3,stroke:#ca8a04,color:#713f12",
    TableStatus.DEPRECATED: "fill:#fee2e2,stroke:#dc2626,color:#7f1d1d",
}
LEGEND = "%% Table status: blue planned, grey exists, green synced, yellow drift, red deprecated."


def export_mermaid(diagram: Diagram) -> Exported:
    """An erDiagram of every table and relationship; styling needs Mermaid 11.5 or later."""
    ids = entity_ids(diagram.tables)
    lines = ["erDiagram", f"    {LEGEND}"]
    for table in diagram.tables:
        lines += entity_lines(table, ids[table.id], diagram)
    lines += [relationship_line(r, diagram, ids, "") for r in diagram.relationships]
    for status, style in STATUS_STYLES.items():
        members = [ids[t.id] for t in diagram.tables if t.status == status]
        if members:
            lines += [
                f"    classDef {status.value.lower()} {style}",
                f"    class {','.join(members)} {status.value.lower()}",
            ]
    warnings = count_warning(
        len(diagram.views), "view was", "views were", "left out: Mermaid draws tables only."
    )
    return Exported("\n".join(lines) + "\n", warnings)


def entity_lines(table: Table, entity_id: str, diagram: Diagram) -> list[str]:
    """The entity block, its alias the qualified name with the status as a badge."""
    label = alias_text(f"{table.qualified_name} ({table.status.value})")
    rows = [f"        {column_row(table, column, diagram, '')}" for column in table.columns]
    return [f'    {entity_id}["{label}"] {{', *rows, "    }"]
