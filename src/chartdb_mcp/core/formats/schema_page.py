"""One page of a diagram's schema, filtered and held under a size budget.

The budget counts characters of the JSON form without null fields (the larger of the two
forms a tool returns). A page stops before the item that would cross it and says so, with the offset
to continue from; nothing is ever cut silently.
"""

import fnmatch

from pydantic import BaseModel, Field

from chartdb_mcp.core.formats.outline import (
    DiagramHeader,
    TableDetail,
    TableOutline,
    TypeOutline,
    ViewOutline,
    detail_table,
    header_of,
    outline_table,
    outline_type,
    outline_view,
)
from chartdb_mcp.core.model import Diagram, Table, TableStatus

MIN_BUDGET = 1_000
MAX_BUDGET = 200_000
NOTES_RESERVE = 600
"""Characters kept free for the notes a page may end with."""


class SchemaQuery(BaseModel):
    """What to show of a diagram."""

    tables: list[str] = Field(default_factory=list, description="Tables to show in full.")
    name_filter: str | None = None
    schema_name: str | None = None
    status: TableStatus | None = None
    offset: int = Field(default=0, ge=0)
    limit: int = Field(default=50, ge=1, le=1000)
    max_chars: int = Field(default=20_000, ge=MIN_BUDGET, le=MAX_BUDGET)


class SchemaPage(BaseModel):
    """A page of the schema: compact outlines, or full details of named tables."""

    diagram: DiagramHeader
    tables: list[TableOutline] = Field(default_factory=list)
    details: list[TableDetail] = Field(default_factory=list)
    views: list[ViewOutline] = Field(default_factory=list)
    custom_types: list[TypeOutline] = Field(default_factory=list)
    matching_tables: int
    offset: int
    next_offset: int | None = Field(
        default=None, description="Where the next page starts when more tables match."
    )
    truncated: bool = Field(description="True when the size budget cut this page short.")
    notes: list[str] = Field(default_factory=list)


class UnknownTables(ValueError):
    """Named tables that the diagram does not have."""

    def __init__(self, names: list[str]) -> None:
        super().__init__(", ".join(repr(name) for name in names))
        self.names = names


def json_size(model: BaseModel) -> int:
    """Characters of the model's JSON form as tools send it (null fields left out)."""
    return len(model.model_dump_json(exclude_none=True))


def page_schema(diagram: Diagram, query: SchemaQuery) -> SchemaPage:
    """Build the page that `query` asks for; raises `UnknownTables` for missing names."""
    if query.tables:
        return _detail_page(diagram, query)
    return _outline_page(diagram, query)


def matches(table: Table, query: SchemaQuery) -> bool:
    """Whether a table passes the schema, status and name filters."""
    if query.schema_name is not None and table.schema_name != query.schema_name:
        return False
    if query.status is not None and table.status != query.status:
        return False
    if not query.name_filter:
        return True
    pattern = query.name_filter.lower()
    name = table.qualified_name.lower()
    if any(char in pattern for char in "*?["):
        bare = table.name.lower()
        return fnmatch.fnmatchcase(name, pattern) or fnmatch.fnmatchcase(bare, pattern)
    return pattern in name


def _outline_page(diagram: Diagram, query: SchemaQuery) -> SchemaPage:
    selected = [table for table in diagram.tables if matches(table, query)]
    page = SchemaPage(
        diagram=header_of(diagram),
        matching_tables=len(selected),
        offset=query.offset,
        truncated=False,
    )
    budget = query.max_chars - NOTES_RESERVE
    used = json_size(page)
    if query.offset == 0:
        extras_fit = _add_views_and_types(diagram, query, page, used)
        used = json_size(page)
        if not extras_fit:
            page.truncated = True
    window = selected[query.offset : query.offset + query.limit]
    for table in window:
        outline = outline_table(diagram, table)
        size = json_size(outline) + 1
        if used + size > budget:
            page.truncated = True
            if not page.tables:
                page.tables.append(_shrink_to_fit(outline, budget - used, page))
            break
        page.tables.append(outline)
        used += size
    shown_until = query.offset + len(page.tables)
    if shown_until < len(selected):
        page.next_offset = shown_until
        reason = "the size budget" if page.truncated else "the limit"
        page.notes.append(
            f"Showing tables {query.offset + 1}-{shown_until} of {len(selected)} "
            f"(cut by {reason}); call again with offset={shown_until} for more."
        )
    return page


def _shrink_to_fit(outline: TableOutline, room: int, page: SchemaPage) -> TableOutline:
    """Drop trailing columns, FKs and indexes from an outline until it fits in `room`."""
    total_columns = len(outline.columns)
    shrunk = outline.model_copy(deep=True)
    shrunk.unique, shrunk.foreign_keys, shrunk.indexes = [], [], []
    while shrunk.columns and json_size(shrunk) + 1 > room:
        shrunk.columns.pop()
    page.notes.append(
        f"Table {outline.name} alone exceeds the size budget: showing {len(shrunk.columns)} of "
        f"{total_columns} columns and none of its keys; ask for it by name with a larger "
        "max_chars to see all of it."
    )
    return shrunk


def _add_views_and_types(diagram: Diagram, query: SchemaQuery, page: SchemaPage, used: int) -> bool:
    """Put views and custom types on the first page while they fit in half the budget."""
    allowance = (query.max_chars - NOTES_RESERVE) // 2
    for view in diagram.views:
        if query.schema_name is not None and view.schema_name != query.schema_name:
            continue
        outline = outline_view(view)
        used += json_size(outline) + 1
        if used > allowance:
            page.notes.append("Some views were left out to stay within the size budget.")
            return False
        page.views.append(outline)
    for custom_type in diagram.custom_types:
        if query.schema_name is not None and custom_type.schema_name != query.schema_name:
            continue
        type_outline = outline_type(custom_type)
        used += json_size(type_outline) + 1
        if used > allowance:
            page.notes.append("Some custom types were left out to stay within the size budget.")
            return False
        page.custom_types.append(type_outline)
    return True


def _detail_page(diagram: Diagram, query: SchemaQuery) -> SchemaPage:
    found: list[Table] = []
    unknown: list[str] = []
    for name in query.tables:
        table = diagram.find_table(name)
        if table is None:
            unknown.append(name)
        elif table not in found:
            found.append(table)
    if unknown:
        raise UnknownTables(unknown)
    page = SchemaPage(
        diagram=header_of(diagram), matching_tables=len(found), offset=0, truncated=False
    )
    budget = query.max_chars - NOTES_RESERVE
    used = json_size(page)
    for table in found:
        detail = detail_table(diagram, table)
        size = json_size(detail) + 1
        if used + size > budget:
            page.truncated = True
            left_out = [t.qualified_name for t in found[found.index(table) :]]
            page.notes.append(
                f"Left out {', '.join(left_out)} to stay within max_chars={query.max_chars}; "
                "ask for fewer tables at once or raise max_chars."
            )
            break
        page.details.append(detail)
        used += size
    return page
