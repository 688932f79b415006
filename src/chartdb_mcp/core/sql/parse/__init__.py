"""DDL scripts into diagram parts: tables, relationships, views and custom types.

`parse_script(sql, database)` reads `pg_dump --schema-only`, `mysqldump --no-data`,
SQLite `.schema` output and hand-written DDL for PostgreSQL, MySQL/MariaDB, SQLite,
SQL Server and Oracle. The pipeline: split (statements per the dialect's client rules)
-> statements (classify, read with sqlglot's tokenizer) -> build (ids, inherited
columns, resolved foreign keys). It promises:

- the shapes the live importer produces for the same schema (serial and identity
  columns, partitions, index parts and methods, enums and domains), with types as the
  script spells them plus `normalize_type`'s canonical form;
- every statement accounted for exactly once: read (`used`), counted by kind
  (`skipped`), or listed with its line and an excerpt (`problems`), so the three add up
  to `statements`; nothing it cannot use is fatal;
- `InvalidScript` only when there is nothing to import: an empty or over-long script,
  or one in which no statement could be read.
"""

from collections import Counter
from dataclasses import dataclass, field

from chartdb_mcp.core.model import CustomType, DatabaseType, Relationship, Table, View
from chartdb_mcp.core.sql.parse.build import build
from chartdb_mcp.core.sql.parse.drafts import DEFAULT_SCHEMAS, Problem, ScriptState
from chartdb_mcp.core.sql.parse.split import Statement, split_statements
from chartdb_mcp.core.sql.parse.statements import read_statement
from chartdb_mcp.errors import InvalidScript

MAX_SCRIPT_CHARS = 5_000_000


@dataclass
class ParsedScript:
    """What a script describes, and the account of every statement in it."""

    database_type: DatabaseType
    schemas: list[str]
    tables: list[Table]
    relationships: list[Relationship]
    views: list[View]
    custom_types: list[CustomType]
    statements: int
    used: Counter[str] = field(default_factory=Counter)
    skipped: Counter[str] = field(default_factory=Counter)
    problems: list[Problem] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def parse_script(
    sql: str, database: DatabaseType, *, max_chars: int = MAX_SCRIPT_CHARS
) -> ParsedScript:
    """Read a DDL script written for `database`; see the module docstring for promises."""
    if len(sql) > max_chars:
        raise InvalidScript(
            f"The script has {len(sql):,} characters; the limit is {max_chars:,}. "
            "Split it, or import the schema from a live database instead."
        )
    if not sql.strip():
        raise InvalidScript("The script is empty; there is nothing to import.")
    statements = split_statements(sql, database)
    state = ScriptState(database=database, schema=DEFAULT_SCHEMAS.get(database))
    for statement in statements:
        read_statement(statement, state)
    if not statements or (state.problems and not state.used and not state.skipped):
        raise InvalidScript(nothing_readable(statements, state))
    built = build(state)
    schemas = sorted(
        {t.schema_name for t in built.tables if t.schema_name is not None} | set(state.schemas)
    )
    return ParsedScript(
        database_type=database,
        schemas=schemas,
        tables=built.tables,
        relationships=built.relationships,
        views=state.views,
        custom_types=state.custom_types,
        statements=len(statements),
        used=state.used,
        skipped=state.skipped,
        problems=state.problems,
        warnings=state.warnings,
    )


def nothing_readable(statements: list[Statement], state: ScriptState) -> str:
    """The error for a script in which no statement could be read."""
    if not statements:
        return "The script has only comments; there is nothing to import."
    first = state.problems[0]
    return (
        f"None of the {len(statements)} statements could be read as "
        f"{state.database.value} DDL. Line {first.line}: {first.excerpt!r}: {first.reason}."
    )


__all__ = ["MAX_SCRIPT_CHARS", "ParsedScript", "Problem", "parse_script"]
