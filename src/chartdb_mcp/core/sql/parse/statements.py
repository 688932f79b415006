"""Send each statement to its reader, and count the ones the diagram has no place for.

A statement is classified by its first words. Those that describe tables, indexes,
types, views and comments are read; the rest (functions, procedures, triggers, grants,
ownership, session settings, sequences, data) are counted by kind. A statement whose
reader fails, or that starts like no statement at all, becomes a problem with its line
and an excerpt; the others still import.
"""

import re

import sqlglot
from sqlglot.errors import ParseError, TokenError

from chartdb_mcp.core.model import DatabaseType
from chartdb_mcp.core.sql.parse.alter import (
    read_alter_table,
    read_comment,
    read_create_index,
    read_sequence_owner,
)
from chartdb_mcp.core.sql.parse.drafts import Problem, ScriptState
from chartdb_mcp.core.sql.parse.objects import (
    read_create_domain,
    read_create_type,
    read_create_view,
)
from chartdb_mcp.core.sql.parse.split import Statement
from chartdb_mcp.core.sql.parse.tables import read_create_table
from chartdb_mcp.core.sql.parse.tokens import Cursor, ReadError
from chartdb_mcp.core.sql.types import TOKENIZER_DIALECTS

EXCERPT = 80
DEFINER = re.compile(r"DEFINER\s*=\s*\S+", re.IGNORECASE)
WORD = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
# Words that only qualify what CREATE makes (`CREATE OR REPLACE DEFINER=x VIEW`).
QUALIFIERS = frozenset(
    {
        "OR",
        "REPLACE",
        "ALTER",
        "GLOBAL",
        "LOCAL",
        "TEMP",
        "TEMPORARY",
        "UNLOGGED",
        "UNIQUE",
        "FULLTEXT",
        "SPATIAL",
        "BITMAP",
        "CLUSTERED",
        "NONCLUSTERED",
        "EDITIONABLE",
        "NONEDITIONABLE",
        "RECURSIVE",
        "MATERIALIZED",
        "ALGORITHM",
        "DEFINER",
        "SQL",
        "SECURITY",
        "INVOKER",
        "UNDEFINED",
        "MERGE",
        "TEMPTABLE",
        "CURRENT_USER",
        "FORCE",
        "NOFORCE",
        "PROCEDURAL",
        "TRUSTED",
        "CONSTRAINT",
        "DEFAULT",
    }
)
READERS = {
    "TABLE": read_create_table,
    "INDEX": read_create_index,
}
# Statements that are SQL but describe nothing a diagram holds, by their first word.
OTHER_KINDS = {
    "GRANT": "grant",
    "REVOKE": "grant",
    "SELECT": "query",
    "WITH": "query",
    "INSERT": "data",
    "UPDATE": "data",
    "DELETE": "data",
    "REPLACE": "data",
    "COPY": "data",
    "TRUNCATE": "data",
    "DROP": "drop",
    "BEGIN": "transaction",
    "START": "transaction",
    "COMMIT": "transaction",
    "ROLLBACK": "transaction",
    "END": "transaction",
    "LOCK": "lock",
    "UNLOCK": "lock",
    "PRAGMA": "setting",
    "EXEC": "procedure call",
    "EXECUTE": "procedure call",
    "CALL": "procedure call",
    "DO": "anonymous block",
    "DECLARE": "anonymous block",
    "IF": "anonymous block",
    "PRINT": "setting",
    "ANALYZE": "maintenance",
    "VACUUM": "maintenance",
    "REINDEX": "maintenance",
    "REFRESH": "maintenance",
    "CLUSTER": "maintenance",
    "SECURITY": "security label",
    "RENAME": "rename",
}


def head_words(text: str, count: int = 12) -> list[str]:
    """The first words of a statement, uppercased."""
    head = DEFINER.sub(" ", text[:400])
    return [match.group().upper() for match in WORD.finditer(head)][:count]


def created_kind(words: list[str]) -> str:
    """What a CREATE statement makes: the first word after CREATE and its qualifiers."""
    rest = words[1:]
    index = 0
    while index < len(rest) and rest[index] in QUALIFIERS:
        index += 1
    return rest[index] if index < len(rest) else ""


def read_statement(statement: Statement, state: ScriptState) -> None:
    """Read one statement into `state`, or count it, or record why it could not be read."""
    if statement.unclosed:
        # The client would wait for the quote to close; what follows it is never run.
        state.problems.append(problem(statement, statement.unclosed))
        return
    if statement.text.startswith("\\"):
        state.skipped["psql meta-command"] += 1
        return
    words = head_words(statement.text)
    if not words:
        state.problems.append(problem(statement, "it is not a statement"))
        return
    try:
        kind = dispatch(words, statement, state)
    except ReadError as error:
        state.problems.append(problem(statement, str(error)))
        return
    if kind:
        state.skipped[kind] += 1


def dispatch(words: list[str], statement: Statement, state: ScriptState) -> str:
    """Run the statement's reader; returns the kind to count as skipped, or ''."""
    first = words[0]
    line = statement.line
    if first == "CREATE":
        made = created_kind(words)
        if made in READERS:
            READERS[made](cursor_of(statement, state), state, line)
            return ""
        if made == "VIEW":
            state.used[read_create_view(cursor_of(statement, state), state, line)] += 1
            return ""
        if made in ("TYPE", "DOMAIN"):
            reader = read_create_type if made == "TYPE" else read_create_domain
            kind = reader(cursor_of(statement, state), state, line)
            if kind in ("type", "domain"):
                state.used[kind] += 1
                return ""
            return kind
        if made in ("SCHEMA", "DATABASE"):
            state.used["schema"] += 1
            return ""
        return (made or "unknown").lower()
    if first == "ALTER" and len(words) > 1:
        if words[1] == "TABLE":
            return read_alter_table(cursor_of(statement, state), state, line)
        if words[1] == "SEQUENCE":
            return read_sequence_owner(cursor_of(statement, state), state, line)
        if words[1] == "INDEX" and "ATTACH" in words:
            return read_index_attach(cursor_of(statement, state), state)
        return "ownership" if "OWNER" in words else f"alter {words[1].lower()}"
    if first == "COMMENT":
        kind = read_comment(cursor_of(statement, state), state, line)
        if kind == "comment":
            state.used["comment"] += 1
            return ""
        return kind
    if (
        first == "USE"
        and len(words) > 1
        and state.database
        in (
            DatabaseType.MYSQL,
            DatabaseType.MARIADB,
        )
    ):
        use_schema(statement, state)
        return ""
    if first == "USE":
        return "setting"
    if first == "SET":
        set_search_path(statement, state)
        return "setting"
    if first == "DROP" and len(words) > 1 and words[1] in ("TABLE", "VIEW"):
        return read_drop(cursor_of(statement, state), state)
    if first in OTHER_KINDS:
        return OTHER_KINDS[first]
    state.problems.append(problem(statement, unknown_reason(statement, state)))
    return ""


def read_drop(cursor: Cursor, state: ScriptState) -> str:
    """DROP TABLE/VIEW [IF EXISTS] a, b: what the script created before is gone again.

    mysqldump, for one, drops each table before creating it, and older versions create
    a stand-in table for every view and drop it before the view.
    """
    cursor.expect("DROP")
    is_view = cursor.take().text.upper() == "VIEW"
    cursor.accept("IF", "EXISTS")
    dropped = False
    for start, stop in cursor.split_items(cursor.pos, len(cursor.tokens)):
        name = cursor.sub(start, stop).name()
        if is_view:
            before = len(state.views)
            state.views = [v for v in state.views if v.name != name.name]
            dropped = dropped or len(state.views) < before
            continue
        table = state.find_table(state.key_of(name.schema, name.name))
        if table is not None:
            state.drop_table(table.key)
            state.foreign_keys = [k for k in state.foreign_keys if k.source != table.key]
            dropped = True
    if dropped:
        state.used["drop"] += 1
        return ""
    return "drop"


def read_index_attach(cursor: Cursor, state: ScriptState) -> str:
    """ALTER INDEX parent ATTACH PARTITION child: the child index is the parent's clone."""
    cursor.expect("ALTER", "INDEX")
    cursor.name()
    cursor.expect("ATTACH", "PARTITION")
    state.cloned_indexes.add(cursor.name().name)
    state.used["index attachment"] += 1
    return ""


def cursor_of(statement: Statement, state: ScriptState) -> Cursor:
    """A token cursor over the statement."""
    return Cursor.of(statement.text, state.database)


def use_schema(statement: Statement, state: ScriptState) -> None:
    """MySQL `USE db`: later unqualified tables live in `db`."""
    cursor = cursor_of(statement, state)
    cursor.expect("USE")
    state.schema = cursor.name().name
    if state.schema not in state.schemas:
        state.schemas.append(state.schema)
    state.used["use"] += 1


def set_search_path(statement: Statement, state: ScriptState) -> None:
    """PostgreSQL `SET search_path = a, b`: unqualified names live in `a`."""
    match = re.match(r"\s*SET\s+search_path\s*(?:=|TO)\s*([^,;\s]+)", statement.text, re.I)
    if match:
        schema = match.group(1).strip("'\"")
        if schema and schema.lower() not in ("pg_catalog", "''", '""', "default"):
            state.schema = schema


def unknown_reason(statement: Statement, state: ScriptState) -> str:
    """Why a statement with an unknown first word is refused, in sqlglot's words if it has any."""
    try:
        sqlglot.parse_one(statement.text, read=TOKENIZER_DIALECTS[state.database] or None)
    except (ParseError, TokenError) as error:
        return "sqlglot cannot parse it: " + str(error).splitlines()[0][:160]
    except RecursionError:
        # sqlglot's parser recurses once per parenthesis; a statement nested deeper than
        # Python's stack allows is still just a statement this importer cannot read.
        return "it is too deeply nested to parse"
    return "it is not a statement this importer knows"


def problem(statement: Statement, reason: str) -> Problem:
    """A problem record with the statement's first characters."""
    flat = " ".join(statement.text.split())
    excerpt = flat if len(flat) <= EXCERPT else flat[: EXCERPT - 1] + "…"
    return Problem(line=statement.line, excerpt=excerpt, reason=reason)
