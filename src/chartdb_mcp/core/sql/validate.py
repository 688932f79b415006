"""Checking a query's table and column names against a diagram, with suggestions.

Only names the diagram can vouch for are judged: a column of a CTE, a subquery or an
unknown table is not reported, and output aliases used in ORDER BY are known names.
"""

import difflib

from pydantic import BaseModel, Field
from sqlglot import exp

from chartdb_mcp.core.model import DatabaseType, Diagram, Table
from chartdb_mcp.core.sql.readonly import parse_single


class UnknownName(BaseModel):
    """A name the diagram does not have, where it was used, and close names it has."""

    name: str
    table: str | None = None
    suggestions: list[str] = Field(default_factory=list)


class QueryCheck(BaseModel):
    """The outcome: the tables found, and the unknown tables and columns."""

    valid: bool
    statement: str
    tables: list[str]
    unknown_tables: list[UnknownName]
    unknown_columns: list[UnknownName]


def validate_query(diagram: Diagram, sql: str, database_type: DatabaseType) -> QueryCheck:
    """Parse `sql` and report every table and column name the diagram lacks.

    Raises QueryRefused when the text is not one parseable statement.
    """
    statement = parse_single(sql, database_type)
    tree = statement.tree
    ctes = {cte.alias_or_name for cte in tree.find_all(exp.CTE)}
    aliases: dict[str, Table | None] = {}
    found: list[str] = []
    unknown_tables: list[UnknownName] = []
    for node in tree.find_all(exp.Table):
        name = node.name
        if not name or name in ctes:
            aliases[node.alias_or_name] = None
            continue
        qualified = f"{node.db}.{name}" if node.db else name
        table = diagram.find_table(qualified)
        view = any(view.name == name for view in diagram.views)
        aliases[node.alias_or_name] = table
        if table is not None:
            found.append(table.qualified_name)
        elif not view and all(item.name != qualified for item in unknown_tables):
            unknown_tables.append(
                UnknownName(name=qualified, suggestions=close_names(name, diagram))
            )
    outputs = {select.alias for select in tree.find_all(exp.Alias)}
    unknown_columns = _unknown_columns(tree, aliases, outputs)
    return QueryCheck(
        valid=not unknown_tables and not unknown_columns,
        statement=statement.kind,
        tables=sorted(set(found)),
        unknown_tables=unknown_tables,
        unknown_columns=unknown_columns,
    )


def _unknown_columns(
    tree: exp.Expr, aliases: dict[str, Table | None], outputs: set[str]
) -> list[UnknownName]:
    unknown: list[UnknownName] = []
    seen: set[tuple[str, str | None]] = set()
    every_known = all(table is not None for table in aliases.values())
    for column in tree.find_all(exp.Column):
        if isinstance(column.this, exp.Star):
            continue
        name, qualifier = column.name, column.table or None
        if qualifier is not None:
            if qualifier not in aliases:
                continue
            owners = [aliases[qualifier]]
        else:
            if name in outputs or not every_known:
                continue
            owners = list(aliases.values())
        tables = [table for table in owners if table is not None]
        if not tables or any(table.column(name) for table in tables):
            continue
        key = (name, qualifier)
        if key in seen:
            continue
        seen.add(key)
        candidates = [c.name for table in tables for c in table.columns]
        unknown.append(
            UnknownName(
                name=name,
                table=tables[0].qualified_name if len(tables) == 1 else None,
                suggestions=_close(name, candidates),
            )
        )
    return unknown


def close_names(name: str, diagram: Diagram) -> list[str]:
    return _close(name, [table.name for table in diagram.tables])


def _close(name: str, candidates: list[str]) -> list[str]:
    return difflib.get_close_matches(name, sorted(set(candidates)), n=3, cutoff=0.6)
