"""One page of a diagram's schema, filtered and held under a size budget.

The budget passed to `page_schema` counts characters of the page's JSON form without null
fields. A page stops before the item that would cross it and says so, with the offset to
continue from; nothing is ever cut silently. `schema_answer` (in schema_text) fits the
JSON and the text together under the caller's `max_chars`.
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
from chartdb_mcp.core.model import Diagram, Table, TableStatus, View

MIN_BUDGET = 2_000
MAX_BUDGET = 200_000
NOTES_SHARE = 8
"""One eighth of a page's budget (at most 600 characters) is kept for its notes."""


class SchemaQuery(BaseModel):
    """What to show of a diagram."""

    tables: list[str] = Field(default_factory=list, description="Tables or views to show in full.")
    name_filter: str | None = None
    schema_name: str | None = None
    status: TableStatus | None = None
    offset: int = Field(default=0, ge=0)
    limit: int = Field(default=50, ge=1, le=1000)
    max_chars: int = Field(default=20_000, ge=MIN_BUDGET, le=MAX_BUDGET)


class SchemaPage(BaseModel):
    """A page of the schema: compact outlines, or full details of named tables and views."""

    diagram: DiagramHeader
    tables: list[TableOutline] = Field(default_factory=list)
    details: list[TableDetail] = Field(default_factory=list)
    view_details: list[View] = Field(default_factory=list)
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
    """Named tables the diagram lacks, and bare names that several tables share."""

    def __init__(self, names: list[str], ambiguous: dict[str, list[str]]) -> None:
        super().__init__(", ".join(repr(name) for name in [*names, *ambiguous]))
        self.names = names
        self.ambiguous = ambiguous


def json_size(model: BaseModel) -> int:
    """Characters of the model's JSON form as tools send it (null fields left out)."""
    return len(model.model_dump_json(exclude_none=True))


def page_schema(diagram: Diagram, query: SchemaQuery, budget: int | None = None) -> SchemaPage:
    """Build the page that `query` asks for, its JSON within `budget` (default max_chars).

    Raises `UnknownTables` when named tables are missing or ambiguous.
    """
    allowance = query.max_chars if budget is None else budget
    allowance -= min(600, allowance // NOTES_SHARE)
    if query.tables:
        return _detail_page(diagram, query, allowance)
    return _outline_page(diagram, query, allowance)


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


def _outline_page(diagram: Diagram, query: SchemaQuery, budget: int) -> SchemaPage:
    selected = [table for table in diagram.tables if matches(table, query)]
    page = SchemaPage(
        diagram=header_of(diagram),
        matching_tables=len(selected),
        offset=query.offset,
        truncated=False,
    )
    if query.offset == 0:
        _add_views_and_types(diagram, query, page, json_size(page) + (budget // 2))
    used = json_size(page)
    for table in selected[query.offset : query.offset + query.limit]:
        outline = outline_table(diagram, table)
        size = json_size(outline) + 1
        if used + size > budget:
            page.truncated = True
            if not page.tables:
                page.tables.append(_shrink_to_fit(outline, budget - used, page))
            break
        page.tables.append(outline)
        used += size
    _note_position(page, query, len(selected))
    return page


def _note_position(page: SchemaPage, query: SchemaQuery, matching: int) -> None:
    """Say where the page stands, and why it is empty when it is."""
    shown_until = query.offset + len(page.tables)
    if matching == 0 and (query.name_filter or query.schema_name or query.status):
        page.notes.append(f"No table matches {_filters(query)}.")
    elif query.offset >= matching > 0:
        page.notes.append(f"offset={query.offset} is past the last of {matching} tables.")
    elif shown_until < matching:
        page.next_offset = shown_until
        reason = "the size budget" if page.truncated else "the limit"
        page.notes.append(
            f"Showing tables {query.offset + 1}-{shown_until} of {matching} "
            f"(cut by {reason}); call again with offset={shown_until} for more."
        )


def _filters(query: SchemaQuery) -> str:
    parts = [
        f"{label}={value!r}"
        for label, value in (
            ("name_filter", query.name_filter),
            ("schema", query.schema_name),
            ("status", query.status.value if query.status else None),
        )
        if value
    ]
    return " and ".join(parts)


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


def _add_views_and_types(
    diagram: Diagram, query: SchemaQuery, page: SchemaPage, allowance: int
) -> None:
    """Put custom types, then views, on the first page while they fit in `allowance`."""
    types = [t for t in diagram.custom_types if _in_schema(t.schema_name, query)]
    views = [v for v in diagram.views if _in_schema(v.schema_name, query)]
    used = json_size(page)
    for custom_type in types:
        outline = outline_type(custom_type)
        used += json_size(outline) + 1
        if used > allowance:
            break
        page.custom_types.append(outline)
    for view in views if len(page.custom_types) == len(types) else []:
        view_outline = outline_view(view)
        used += json_size(view_outline) + 1
        if used > allowance:
            break
        page.views.append(view_outline)
    if len(page.custom_types) < len(types) or len(page.views) < len(views):
        page.truncated = True
        page.notes.append(
            f"Showing {len(page.custom_types)} of {len(types)} custom types and "
            f"{len(page.views)} of {len(views)} views to stay within the size budget; name a "
            "view in `tables` to see it in full, or raise max_chars."
        )


def _in_schema(schema_name: str | None, query: SchemaQuery) -> bool:
    return query.schema_name is None or schema_name == query.schema_name


def _detail_page(diagram: Diagram, query: SchemaQuery, budget: int) -> SchemaPage:
    tables, views = _resolve_names(diagram, query.tables)
    page = SchemaPage(
        diagram=header_of(diagram), matching_tables=len(tables), offset=0, truncated=False
    )
    if query.name_filter or query.schema_name or query.status:
        page.notes.append("name_filter, schema and status are ignored when tables are named.")
    used = json_size(page)
    wanted: list[Table | View] = [*tables, *views]
    for position, item in enumerate(wanted):
        detail: TableDetail | View = (
            detail_table(diagram, item) if isinstance(item, Table) else item
        )
        size = json_size(detail) + 1
        if used + size > budget:
            page.truncated = True
            left_out = ", ".join(other.qualified_name for other in wanted[position:])
            page.notes.append(
                f"Left out {left_out} to stay within max_chars={query.max_chars}; "
                "ask for fewer at once or raise max_chars."
            )
            break
        if isinstance(detail, TableDetail):
            page.details.append(detail)
        else:
            page.view_details.append(detail)
        used += size
    return page


def _resolve_names(diagram: Diagram, names: list[str]) -> tuple[list[Table], list[View]]:
    """The named tables and views, in order; raises `UnknownTables` for the rest."""
    tables: list[Table] = []
    views: list[View] = []
    unknown: list[str] = []
    ambiguous: dict[str, list[str]] = {}
    for name in names:
        table = diagram.find_table(name)
        view = None if table else _find_view(diagram, name)
        if table is not None and table not in tables:
            tables.append(table)
        elif view is not None and view not in views:
            views.append(view)
        elif table is None and view is None:
            same_name = [t.qualified_name for t in diagram.tables if t.name == name]
            if len(same_name) > 1:
                ambiguous[name] = same_name
            else:
                unknown.append(name)
    if unknown or ambiguous:
        raise UnknownTables(unknown, ambiguous)
    return tables, views


def _find_view(diagram: Diagram, name: str) -> View | None:
    matches = [v for v in diagram.views if name in (v.name, v.qualified_name)]
    return matches[0] if len(matches) == 1 else None
