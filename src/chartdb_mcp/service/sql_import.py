"""Import a DDL script into a new diagram, or propose it as changes to an existing one.

A new diagram is stored at once, like a database import. For an existing diagram the
script becomes a pending proposal: it is merged onto the diagram by name (tables,
columns, indexes and relationships keep their ids, tables keep their colors, places
and status), the diff of the two gives the ops, and the person reviews them before
apply-changes commits anything. Tables of the diagram the script does not mention are
left alone.
"""

import logging
from functools import partial
from pathlib import Path

import anyio.to_thread
from pydantic import BaseModel, Field

from chartdb_mcp.core.edit.diff import diff_diagrams, unsupported_differences
from chartdb_mcp.core.edit.merge_import import merge_import
from chartdb_mcp.core.model import DatabaseType, Diagram, Table
from chartdb_mcp.core.sql.parse import MAX_SCRIPT_CHARS, ParsedScript, parse_script
from chartdb_mcp.core.sql.parse.reconcile import reconcile
from chartdb_mcp.errors import DatabaseTypeMismatch, InvalidInput, InvalidScript
from chartdb_mcp.service import proposals
from chartdb_mcp.store import DiagramStore

logger = logging.getLogger(__name__)

DIALECTS: dict[str, DatabaseType] = {
    "postgresql": DatabaseType.POSTGRESQL,
    "mysql": DatabaseType.MYSQL,
    "mariadb": DatabaseType.MARIADB,
    "sqlite": DatabaseType.SQLITE,
    "sqlserver": DatabaseType.SQLSERVER,
    "oracle": DatabaseType.ORACLE,
}
# Families whose diagrams may take each other's scripts.
FAMILIES = {
    DatabaseType.MYSQL: {DatabaseType.MYSQL, DatabaseType.MARIADB},
    DatabaseType.MARIADB: {DatabaseType.MYSQL, DatabaseType.MARIADB},
}
NAMES_SHOWN = 25
SCRIPT_SUFFIXES = (".sql", ".ddl")


class ScriptProblem(BaseModel):
    """A statement that could not be read."""

    line: int
    excerpt: str
    reason: str


class SqlImportReport(BaseModel):
    """What the script held, what was left out and why, and where it went."""

    diagram_id: str
    diagram_name: str
    outcome: str = Field(description="'created', 'proposed' or 'unchanged'.")
    version: int = Field(description="The diagram's current version.")
    proposal_id: str | None = None
    database_type: str
    statements: int
    tables: int
    views: int
    relationships: int
    custom_types: int
    used: dict[str, int] = Field(description="Statements read, by kind.")
    skipped: dict[str, int] = Field(description="Statements without a place in a diagram.")
    problems: list[ScriptProblem] = Field(description="Statements that could not be read.")
    problem_count: int = 0
    warnings: list[str] = Field(default_factory=list)
    op_count: int = 0
    op_lines: list[str] = Field(default_factory=list)
    tables_not_in_script: list[str] = Field(default_factory=list)
    notes: list[str] = Field(default_factory=list)


def dialect_of(text: str) -> DatabaseType:
    """The database a dialect name means; InvalidInput lists the names there are."""
    database = DIALECTS.get(text.strip().lower())
    if database is None:
        raise InvalidInput(f"Unknown dialect {text!r}; use one of {', '.join(sorted(DIALECTS))}.")
    return database


def read_script_file(path_text: str, max_chars: int = MAX_SCRIPT_CHARS) -> str:
    """The text of a script file the person named; errors say what is wrong with it."""
    path = Path(path_text).expanduser()
    # Over HTTP a client could otherwise have any file read back in problem excerpts;
    # the file a symbolic link leads to must be a script file too.
    for named in (path, path.resolve()):
        if named.suffix.lower() not in SCRIPT_SUFFIXES:
            raise InvalidInput(
                f"{path.name!r} is not a script file; only {', '.join(SCRIPT_SUFFIXES)} files "
                "are read."
            )
    if path.is_dir():
        raise InvalidInput(f"{str(path)!r} is a directory, not a script file.")
    if not path.is_file():
        raise InvalidInput(f"No script file at {str(path)!r}.")
    size = path.stat().st_size
    if size > max_chars * 4:  # UTF-8 takes at most four bytes a character
        raise InvalidScript(
            f"The file {path.name!r} has {size:,} bytes; the limit is {max_chars:,} characters."
        )
    try:
        return path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as error:
        raise InvalidInput(
            f"The file {path.name!r} is not UTF-8 text (byte {error.start}); save it as UTF-8."
        ) from error


async def import_sql(
    store: DiagramStore,
    *,
    dialect: str,
    sql: str | None = None,
    path: str | None = None,
    diagram_id: str | None = None,
    name: str | None = None,
    author: str = "assistant",
) -> SqlImportReport:
    """Read the script and store it as a new diagram or propose it on `diagram_id`.

    Nothing is stored when the script cannot be imported at all (InvalidScript).
    """
    database = dialect_of(dialect)
    if (sql is None) == (path is None):
        raise InvalidInput("Give the script either as 'sql' (its text) or as 'path' (a file).")
    if diagram_id is not None and name is not None:
        raise InvalidInput("'name' is for a new diagram; leave it out with 'diagram_id'.")
    if sql is not None:
        text = sql
    else:
        assert path is not None
        text = await anyio.to_thread.run_sync(read_script_file, path)
    parsed = await anyio.to_thread.run_sync(partial(parse_script, text, database))
    if diagram_id is None:
        default_name = Path(path).stem if path else "SQL script"
        report = await create_from_script(store, parsed, (name or "").strip() or default_name)
    else:
        report = await propose_script(store, parsed, diagram_id, author)
    logger.info(
        "imported an SQL script (%d statements, %d tables) into diagram %s: %s",
        report.statements,
        report.tables,
        report.diagram_id,
        report.outcome,
    )
    return report


async def create_from_script(
    store: DiagramStore, parsed: ParsedScript, name: str
) -> SqlImportReport:
    """A new diagram holding what the script describes."""
    diagram = Diagram(
        name=name,
        database_type=parsed.database_type,
        schemas=parsed.schemas,
        tables=parsed.tables,
        relationships=parsed.relationships,
        views=parsed.views,
        custom_types=parsed.custom_types,
    )
    saved = await store.create(
        diagram, summary=f"Imported from an SQL script ({parsed.statements} statements)"
    )
    return report_of(parsed, saved, outcome="created")


async def propose_script(
    store: DiagramStore, parsed: ParsedScript, diagram_id: str, author: str
) -> SqlImportReport:
    """A pending proposal that brings the diagram in line with the script."""
    existing = await store.get(diagram_id)
    check_compatible(existing, parsed.database_type)
    merged, missing = merged_diagram(existing, parsed)
    ops = diff_diagrams(existing, merged)
    report = report_of(parsed, existing, outcome="unchanged" if not ops else "proposed")
    report.tables_not_in_script = missing[:NAMES_SHOWN]
    known_views = {(view.schema_name, view.name) for view in existing.views}
    new_views = [
        v.qualified_name for v in parsed.views if (v.schema_name, v.name) not in known_views
    ]
    if new_views:
        report.warnings.append(
            "Views are not part of a proposal (no op edits them); the script's views the "
            f"diagram lacks: {', '.join(new_views[:NAMES_SHOWN])}."
        )
    report.warnings += unsupported_differences(existing, merged)
    if not ops:
        report.notes.append("The diagram already matches the script; no proposal was made.")
        return report
    review = await proposals.propose(
        store,
        diagram_id,
        ops,
        title=f"Import SQL script ({len(parsed.tables)} tables)",
        reasoning=(
            f"Brings the diagram in line with a {parsed.database_type.value} script of "
            f"{parsed.statements} statements."
        ),
        author=author,
    )
    report.proposal_id = review.id
    report.op_count = len(ops)
    report.op_lines = review.op_lines
    report.notes.append(f"Review with get-proposal {review.id}; apply-changes commits it.")
    return report


def check_compatible(diagram: Diagram, database: DatabaseType) -> None:
    """A script may go into a diagram of its own database family, or a generic one."""
    if diagram.database_type in (DatabaseType.GENERIC, database):
        return
    if database in FAMILIES.get(diagram.database_type, set()):
        return
    raise DatabaseTypeMismatch(
        f"Diagram {diagram.name!r} describes a {diagram.database_type.value} database; "
        f"a {database.value} script cannot go into it. Import it into a new diagram instead."
    )


def merged_diagram(existing: Diagram, parsed: ParsedScript) -> tuple[Diagram, list[str]]:
    """The diagram with the script's tables in it (ids kept); and its tables the script lacks.

    Tables the script leaves out stay exactly as they are; updated tables keep their
    status and sync record, since a script says nothing about a live database. What the
    script says in other words (type aliases, re-printed expressions) keeps the
    diagram's spelling. Views stay as they are: no op edits them.
    """
    script_tables = adopt_schema(parsed.tables, existing)
    imported = Diagram(
        name=existing.name,
        database_type=parsed.database_type,
        schemas=sorted(
            {t.schema_name for t in script_tables if t.schema_name} | set(parsed.schemas)
        ),
        tables=script_tables,
        relationships=parsed.relationships,
        views=parsed.views,
        custom_types=parsed.custom_types,
    )
    outcome = merge_import(existing, imported)
    before = {table.id: table for table in existing.tables}
    missing = set(outcome.not_in_database)
    tables = [restored(table, before, missing) for table in outcome.diagram.tables]
    merged = outcome.diagram.model_copy(
        update={
            "tables": tables,
            "views": existing.views,
            "source": existing.source,
            "schemas": existing.schemas,
            "database_type": existing.database_type,
        }
    )
    reconciled = reconcile(existing, merged)
    return Diagram.model_validate(reconciled.model_dump()), outcome.not_in_database


def adopt_schema(tables: list[Table], existing: Diagram) -> list[Table]:
    """Tables a script leaves unqualified go into the diagram's schema when it has one.

    A dump of one MySQL database (mysqldump without --databases) names no database,
    while a live import records it on every table.
    """
    schemas = {table.schema_name for table in existing.tables}
    if len(schemas) != 1 or None in schemas:
        return tables
    [schema] = schemas
    return [
        table.model_copy(update={"schema_name": schema}) if table.schema_name is None else table
        for table in tables
    ]


def restored(table: Table, before: dict[str, Table], missing: set[str]) -> Table:
    """An existing table as it was (not in the script) or with its status kept (updated)."""
    previous = before.get(table.id)
    if previous is None:
        return table
    if table.qualified_name in missing:
        return previous
    return table.model_copy(update={"status": previous.status, "sync": previous.sync})


def report_of(parsed: ParsedScript, diagram: Diagram, *, outcome: str) -> SqlImportReport:
    """The report for a script that went into `diagram`."""
    return SqlImportReport(
        diagram_id=diagram.id,
        diagram_name=diagram.name,
        outcome=outcome,
        version=diagram.version,
        database_type=parsed.database_type.value,
        statements=parsed.statements,
        tables=len(parsed.tables),
        views=len(parsed.views),
        relationships=len(parsed.relationships),
        custom_types=len(parsed.custom_types),
        used=dict(parsed.used),
        skipped=dict(parsed.skipped),
        problems=[
            ScriptProblem(line=p.line, excerpt=p.excerpt, reason=p.reason) for p in parsed.problems
        ],
        problem_count=len(parsed.problems),
        warnings=list(parsed.warnings),
    )
