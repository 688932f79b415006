"""Queries kept around a diagram: each profile's history, saved queries, built-in templates."""

from datetime import datetime

from pydantic import BaseModel

from chartdb_mcp.core.model import DatabaseType
from chartdb_mcp.core.sql.templates import TEMPLATES, find_template, render_template
from chartdb_mcp.errors import InvalidInput
from chartdb_mcp.store import DiagramStore
from chartdb_mcp.store.connections import ConnectionStore
from chartdb_mcp.store.saved_queries import SavedQueries, SavedQuery


class HistoryItem(BaseModel):
    """One query run through a profile."""

    started_at: datetime
    duration_ms: float
    sql: str
    mode: str
    status: str
    row_count: int | None = None
    error: str | None = None


class QueryHistory(BaseModel):
    """A profile's queries, newest first."""

    connection: str
    entries: list[HistoryItem]


class SavedQueryList(BaseModel):
    """A diagram's saved queries."""

    diagram_id: str
    queries: list[SavedQuery]


class SavedQueryAnswer(BaseModel):
    """One saved query and what happened to it."""

    query: SavedQuery
    message: str


class TemplateInfo(BaseModel):
    """A built-in template in one dialect."""

    name: str
    description: str
    needs_table: bool
    sql: str


class TemplateList(BaseModel):
    """The built-in templates for a dialect."""

    dialect: str
    templates: list[TemplateInfo]


async def query_history(
    store: DiagramStore, diagram_id: str, connection: str | None, limit: int
) -> QueryHistory:
    """The newest `limit` queries of a profile (the active one when `connection` is None)."""
    profile, _sealed = await ConnectionStore(store).get(diagram_id, connection)
    entries = await ConnectionStore(store).history(profile.id, limit)
    return QueryHistory(
        connection=profile.name,
        entries=[
            HistoryItem(
                started_at=entry.started_at,
                duration_ms=entry.duration_ms,
                sql=entry.sql,
                mode=entry.mode,
                status=entry.status,
                row_count=entry.row_count,
                error=entry.error,
            )
            for entry in entries
        ],
    )


async def save_query(
    store: DiagramStore,
    diagram_id: str,
    name: str,
    sql: str,
    description: str | None,
    tags: list[str],
    dialect: DatabaseType | None,
) -> SavedQueryAnswer:
    """Keep `sql` under `name` in the diagram, replacing a saved query of that name."""
    query = SavedQuery(
        diagram_id=diagram_id,
        name=name.strip(),
        sql=sql,
        description=description,
        tags=sorted({tag.strip() for tag in tags if tag.strip()}),
        dialect=dialect.value if dialect else None,
    )
    stored, replaced = await SavedQueries(store).save(query)
    verb = "Replaced" if replaced else "Saved"
    return SavedQueryAnswer(query=stored, message=f"{verb} the query {stored.name!r}.")


async def list_saved_queries(
    store: DiagramStore, diagram_id: str, tag: str | None
) -> SavedQueryList:
    """The diagram's saved queries by name, optionally only those with `tag`."""
    found = await SavedQueries(store).list_queries(diagram_id, tag)
    return SavedQueryList(diagram_id=diagram_id, queries=found)


async def delete_saved_query(store: DiagramStore, diagram_id: str, name: str) -> SavedQueryAnswer:
    """Forget a saved query."""
    query = await SavedQueries(store).delete(diagram_id, name)
    return SavedQueryAnswer(query=query, message=f"Deleted the saved query {query.name!r}.")


def list_templates(dialect: DatabaseType) -> TemplateList:
    """The built-in templates, written for `dialect`."""
    return TemplateList(
        dialect=dialect.value,
        templates=[
            TemplateInfo(
                name=template.name,
                description=template.description,
                needs_table=template.needs_table,
                sql=template.sql_for(dialect),
            )
            for template in TEMPLATES
        ],
    )


async def resolve_sql(
    store: DiagramStore,
    diagram_id: str,
    dialect: DatabaseType,
    *,
    sql: str | None,
    saved_query: str | None,
    template: str | None,
    table: str | None,
) -> str:
    """The text to run: given SQL, a saved query's, or a template's for the dialect.

    Raises InvalidInput unless exactly one of the three is given.
    """
    given = [value for value in (sql, saved_query, template) if value is not None]
    if len(given) != 1:
        raise InvalidInput("Give exactly one of sql, saved_query or template.")
    if saved_query is not None:
        return (await SavedQueries(store).get(diagram_id, saved_query)).sql
    if template is not None:
        return render_template(find_template(template), dialect, table)
    assert sql is not None
    return sql
