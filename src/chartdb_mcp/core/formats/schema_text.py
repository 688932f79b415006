"""Plain-text rendering of a schema page: what a person or model reads first."""

from chartdb_mcp.core.formats.outline import (
    DiagramHeader,
    ForeignKeyRef,
    TableDetail,
    index_line,
    quoted,
)
from chartdb_mcp.core.formats.schema_page import SchemaPage, SchemaQuery, json_size, page_schema
from chartdb_mcp.core.model import Diagram, View

FIT_ATTEMPTS = 6
SMALLEST_PAGE_BUDGET = 300


def schema_answer(diagram: Diagram, query: SchemaQuery) -> tuple[SchemaPage, str]:
    """The page and its text, together within `query.max_chars`.

    A tool sends both forms, so the budget covers their sum: the page is rebuilt with a
    smaller allowance until the two fit.
    """
    budget = query.max_chars // 2
    page = page_schema(diagram, query, budget)
    text = render_schema_page(page)
    for _ in range(FIT_ATTEMPTS):
        overflow = json_size(page) + len(text) - query.max_chars
        if overflow <= 0 or budget <= SMALLEST_PAGE_BUDGET:
            break
        budget = max(SMALLEST_PAGE_BUDGET, budget - overflow)
        page = page_schema(diagram, query, budget)
        text = render_schema_page(page)
    return page, text


def render_header(header: DiagramHeader) -> str:
    """One line naming the diagram and its size."""
    counts = ", ".join(
        plural(number, noun)
        for number, noun in (
            (header.table_count, "table"),
            (header.view_count, "view"),
            (header.relationship_count, "relationship"),
            (header.custom_type_count, "custom type"),
        )
    )
    line = (
        f"Diagram {header.name!r} (id {header.id}, {header.database_type}, "
        f"version {header.version}): {counts}"
    )
    return line + (f"; imported from {header.source}" if header.source else "") + "."


def render_schema_page(page: SchemaPage) -> str:
    """The page as indented text; notes about cuts come last so they are not missed."""
    lines = [render_header(page.diagram)]
    if page.custom_types:
        lines.append("Types:")
        lines += [f"  {t.name} ({t.kind}): {t.summary}" for t in page.custom_types]
    for outline in page.tables:
        lines.append(f"{outline.name} [{outline.status.value}]")
        if outline.partitioning:
            lines.append(f"  {outline.partitioning}")
        lines += [f"  {column}" for column in outline.columns]
        lines += [f"  UNIQUE {unique}" for unique in outline.unique]
        lines += [f"  FK {fk}" for fk in outline.foreign_keys]
        lines += [f"  INDEX {index}" for index in outline.indexes]
        if outline.comment:
            lines.append(f"  -- {outline.comment}")
    for detail in page.details:
        lines += _detail_lines(detail)
    for view_detail in page.view_details:
        lines += _view_lines(view_detail)
    if page.views:
        lines.append("Views:")
        for view in page.views:
            kind = "materialized view" if view.materialized else "view"
            lines.append(f"  {view.name} ({kind}): {', '.join(view.columns)}")
    lines += [f"Note: {note}" for note in page.notes]
    return "\n".join(lines)


def _detail_lines(detail: TableDetail) -> list[str]:
    table = detail.table
    lines = [f"{table.qualified_name} [{table.status.value}]"]
    if detail.partitioning:
        lines.append(f"  {detail.partitioning}")
    if table.comment:
        lines.append(f"  comment: {table.comment}")
    for column in table.columns:
        text = f"  {quoted(column.name)} {column.type}{'' if column.nullable else ' NOT NULL'}"
        if column.identity is not None:
            text += f" GENERATED {column.identity.value} AS IDENTITY"
        elif column.autoincrement:
            text += " AUTOINCREMENT"
        if column.collation:
            text += f" COLLATE {column.collation}"
        if column.default is not None:
            text += f" DEFAULT {column.default}"
        if column.generated is not None:
            text += f" GENERATED ALWAYS AS ({column.generated})"
        if column.on_update is not None:
            text += f" ON UPDATE {column.on_update}"
        if column.comment:
            text += f"  -- {column.comment}"
        lines.append(text)
    if table.primary_key:
        lines.append(f"  PRIMARY KEY ({', '.join(table.primary_key.columns)})")
    for unique in table.unique_constraints:
        lines.append(f"  {_named('UNIQUE', unique.name)}({', '.join(unique.columns)})")
    lines += [f"  INDEX {index_line(index)}" for index in table.indexes]
    for check in table.checks:
        lines.append(f"  {_named('CHECK', check.name)}({check.expression})")
    lines += [f"  FK {_ref_line(ref)}" for ref in detail.foreign_keys]
    lines += [
        f"  REFERENCED BY {ref.references_table}({', '.join(ref.references_columns)}) "
        f"-> ({', '.join(ref.columns)})"
        for ref in detail.referenced_by
    ]
    return lines


def _view_lines(view: View) -> list[str]:
    kind = "materialized view" if view.materialized else "view"
    lines = [f"{view.qualified_name} ({kind})"]
    if view.comment:
        lines.append(f"  comment: {view.comment}")
    lines += [f"  {quoted(column.name)} {column.type}" for column in view.columns]
    lines += [f"  INDEX {index.name} ({', '.join(index.columns)})" for index in view.indexes]
    if view.definition:
        lines.append("  AS " + " ".join(view.definition.split()))
    return lines


def _ref_line(ref: ForeignKeyRef) -> str:
    return (
        f"{_named('', ref.name)}({', '.join(ref.columns)}) -> {ref.references_table}"
        f"({', '.join(ref.references_columns)}) ON DELETE {ref.on_delete} "
        f"ON UPDATE {ref.on_update}"
    )


def _named(keyword: str, name: str | None) -> str:
    """`KEYWORD name ` or `KEYWORD ` (with one trailing space) when the object is unnamed."""
    return " ".join(part for part in (keyword, name) if part) + " " if keyword or name else ""


def plural(number: int, noun: str) -> str:
    """`1 view`, `2 views`."""
    return f"{number} {noun}{'' if number == 1 else 's'}"
