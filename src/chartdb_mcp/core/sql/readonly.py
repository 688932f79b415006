"""Deciding, without a database, whether one SQL statement only reads.

This is the first of the two read-only layers (the database's own read-only transaction
is the second). A statement passes only if sqlglot parses it, in the target dialect, as
exactly one query whose every node is something that reads: the root must be a SELECT,
a set operation of SELECTs or VALUES, and the whole tree (CTEs and subqueries included)
may hold no data change, definition, transaction control, `SELECT ... INTO`, row lock,
variable assignment or call of a function that acts outside the transaction (files,
sleeping, locks, settings, other connections). Anything sqlglot cannot parse is refused:
what we cannot read, we do not run. Text the server would read differently from sqlglot
(MySQL executable comments, PostgreSQL unicode escapes) is refused before parsing.
"""

import re
from dataclasses import dataclass

import sqlglot
from sqlglot import exp
from sqlglot.errors import SqlglotError

from chartdb_mcp.core.model import DatabaseType
from chartdb_mcp.errors import QueryRefused

# The sqlglot dialect that reads each database family's SQL.
SQLGLOT_DIALECTS: dict[DatabaseType, str] = {
    DatabaseType.POSTGRESQL: "postgres",
    DatabaseType.MYSQL: "mysql",
    DatabaseType.MARIADB: "mysql",
    DatabaseType.SQLITE: "sqlite",
}

# Roots that produce rows and nothing else.
READING_ROOTS: tuple[type[exp.Expr], ...] = (exp.Select, exp.SetOperation, exp.Values)

# Nodes that never belong in a read, wherever they sit in the tree.
WRITING_NODES: tuple[type[exp.Expr], ...] = (
    exp.DML,
    exp.DDL,
    exp.Alter,
    exp.Command,
    exp.Copy,
    exp.Into,
    exp.Lock,
    exp.Set,
    exp.Pragma,
    exp.Transaction,
    exp.Commit,
    exp.Rollback,
    exp.Use,
    exp.Grant,
    exp.TruncateTable,
    exp.Analyze,
    exp.LoadData,
    exp.Cache,
    exp.Uncache,
    exp.Refresh,
    exp.Attach,
    exp.Detach,
    exp.Kill,
    exp.Merge,
    exp.Describe,
    exp.PropertyEQ,
)

# Functions that act outside the transaction or the database: files, programs, other
# connections, sleeping, locks, settings, sequences, server control. Compared in lower
# case, without schema qualification.
DENIED_FUNCTIONS = frozenset(
    {
        # PostgreSQL: https://www.postgresql.org/docs/current/functions-admin.html
        "pg_read_file",
        "pg_read_binary_file",
        "pg_stat_file",
        "pg_file_write",
        "pg_file_rename",
        "pg_file_unlink",
        "pg_sleep",
        "pg_sleep_for",
        "pg_sleep_until",
        "set_config",
        "pg_terminate_backend",
        "pg_cancel_backend",
        "pg_reload_conf",
        "pg_rotate_logfile",
        "pg_switch_wal",
        "pg_notify",
        "pg_promote",
        "pg_logical_emit_message",
        "nextval",
        "setval",
        "query_to_xml",
        "query_to_xml_and_xmlschema",
        "query_to_xmlschema",
        "cursor_to_xml",
        "cursor_to_xmlschema",
        "txid_current",
        "pg_current_xact_id",
        # Text search functions that run a query given as text, which we cannot check.
        # https://www.postgresql.org/docs/current/textsearch-features.html
        "ts_stat",
        "ts_rewrite",
        # Server-wide effects a read-only transaction allows: statistics, backups, logs.
        "pg_backup_start",
        "pg_backup_stop",
        "pg_start_backup",
        "pg_stop_backup",
        "pg_log_backend_memory_contexts",
        "pg_import_system_collations",
        "pg_replication_slot_advance",
        "pg_prewarm",
        # MySQL / MariaDB: https://dev.mysql.com/doc/refman/8.0/en/locking-functions.html
        "load_file",
        "sleep",
        "benchmark",
        "get_lock",
        "release_lock",
        "release_all_locks",
        "is_free_lock",
        "is_used_lock",
        "master_pos_wait",
        "source_pos_wait",
        "master_gtid_wait",
        "sys_exec",
        "sys_eval",
        # SQLite: https://www.sqlite.org/lang_corefunc.html#load_extension
        "load_extension",
        "readfile",
        "writefile",
        "edit",
        "fts3_tokenizer",
    }
)
DENIED_PREFIXES = (
    "dblink",
    "lo_",
    "pg_advisory",
    "pg_try_advisory",
    "pg_create_",
    "pg_drop_",
    # pg_stat_reset, pg_stat_reset_shared, pg_stat_statements_reset, ...
    "pg_stat_reset",
    "pg_stat_statements_reset",
    # pg_ls_dir, pg_ls_waldir, pg_ls_logdir, pg_ls_tmpdir, ...: server directories
    "pg_ls_",
    "pg_replication_origin_",
    "pg_wal_replay_",
)

# https://dev.mysql.com/doc/refman/8.0/en/comments.html: `/*! ... */` runs its content.
MYSQL_EXECUTABLE_COMMENT = re.compile(r"/\*[!+]")
# https://www.postgresql.org/docs/current/sql-syntax-lexical.html#SQL-SYNTAX-IDENTIFIERS-UESCAPE
UNICODE_ESCAPE = re.compile(r"\bu&['\"]", re.IGNORECASE)
LONGEST_QUOTED_NAME = 60


@dataclass(frozen=True)
class Statement:
    """One parsed statement and what it is, for the runner and the result text."""

    sql: str
    kind: str
    tree: exp.Expr


def parse_single(sql: str, database_type: DatabaseType) -> Statement:
    """Parse `sql` as exactly one statement of the family's dialect.

    Raises QueryRefused for an empty text, several statements, text the server would
    read differently from the parser, or text the parser cannot read.
    """
    dialect = dialect_of(database_type)
    if not sql.strip():
        raise QueryRefused("The query is empty.")
    if database_type in (DatabaseType.MYSQL, DatabaseType.MARIADB) and (
        MYSQL_EXECUTABLE_COMMENT.search(sql)
    ):
        raise QueryRefused(
            "The query contains a MySQL executable comment (/*! ... */ or /*+ ... */), "
            "whose content the server runs; remove it."
        )
    if database_type == DatabaseType.POSTGRESQL and UNICODE_ESCAPE.search(sql):
        raise QueryRefused(
            "The query uses a unicode-escaped name or string (U&\"...\" or U&'...'); "
            "write the characters themselves."
        )
    try:
        trees = [tree for tree in sqlglot.parse(sql, read=dialect) if tree is not None]
    except SqlglotError as error:
        first_line = str(error).splitlines()[0] if str(error) else type(error).__name__
        raise QueryRefused(f"The query cannot be parsed as {dialect} SQL: {first_line}") from None
    except RecursionError:
        # sqlglot's parser recurses several frames per nesting level, so a few dozen
        # nested parentheses or subqueries exhaust Python's stack; refuse, do not crash.
        raise QueryRefused(
            f"The query is too deeply nested to be parsed as {dialect} SQL; "
            "flatten its parentheses or subqueries (a CTE can name a nested part)."
        ) from None
    if len(trees) != 1:
        raise QueryRefused(
            f"The query holds {len(trees)} statements; send exactly one (no ';' between)."
        )
    tree = trees[0]
    return Statement(sql=sql, kind=kind_of(tree), tree=tree)


def check_read_only(sql: str, database_type: DatabaseType) -> Statement:
    """The statement, if it is one query that only reads; raises QueryRefused otherwise.

    The message names the first thing found that is not a read.
    """
    statement = parse_single(sql, database_type)
    tree = statement.tree
    if not isinstance(tree, READING_ROOTS):
        raise QueryRefused(
            f"Read-only mode runs only SELECT queries; this statement is {statement.kind}."
        )
    for node in tree.walk():
        problem = problem_of(node)
        if problem:
            raise QueryRefused(f"Read-only mode refused the query: it contains {problem}.")
    return statement


def problem_of(node: exp.Expr) -> str | None:
    """Why `node` has no place in a read, or None when it has."""
    if isinstance(node, exp.Into):
        return "SELECT ... INTO, which writes a table or a file"
    if isinstance(node, exp.Lock):
        return "a row lock (FOR UPDATE / FOR SHARE)"
    if isinstance(node, exp.PropertyEQ):
        return "a variable assignment (:=)"
    if isinstance(node, WRITING_NODES):
        return f"a statement of kind {kind_of(node)}"
    if isinstance(node, exp.Func):
        name = function_name(node)
        if name in DENIED_FUNCTIONS or name.startswith(DENIED_PREFIXES):
            return f"the function {shorten(name)!r}, which acts outside a read-only transaction"
    return None


def rolls_back_on_mysql(statement: Statement) -> bool:
    """True for the statements a MySQL or MariaDB rollback undoes: reads and data changes.

    An allow-list, because the server commits at once on far more than DDL: GRANT,
    REVOKE, SET PASSWORD, ANALYZE, LOCK TABLES, ...
    (https://dev.mysql.com/doc/refman/8.0/en/implicit-commit.html). sqlglot keeps
    REPLACE as text.
    """
    tree = statement.tree
    if isinstance(tree, exp.Command):
        return statement.kind == "REPLACE"
    return isinstance(tree, (*READING_ROOTS, exp.Insert, exp.Update, exp.Delete))


def tables_of(statement: Statement) -> tuple[tuple[str | None, str], ...]:
    """The (schema or None, table) pairs the statement names, in order, without repeats."""
    found = [(table.db or None, table.name) for table in statement.tree.find_all(exp.Table)]
    return tuple(dict.fromkeys(name for name in found if name[1]))


def function_name(node: exp.Func) -> str:
    """The called name in lower case, as the server would resolve it."""
    if isinstance(node, exp.Anonymous):
        return str(node.name).lower()
    return node.sql_name().lower()


def kind_of(node: exp.Expr) -> str:
    """A short upper-case name of a statement's kind, such as SELECT or INSERT."""
    if isinstance(node, exp.Command):
        return str(node.this).upper()
    return node.key.upper()


def dialect_of(database_type: DatabaseType) -> str:
    """The sqlglot dialect for a family; raises QueryRefused for one we cannot check."""
    dialect = SQLGLOT_DIALECTS.get(database_type)
    if dialect is None:
        raise QueryRefused(
            f"Querying {database_type.value} databases is not supported; "
            "use PostgreSQL, MySQL, MariaDB or SQLite."
        )
    return dialect


def shorten(text: str) -> str:
    """A name cut to a length fit for a message."""
    return text if len(text) <= LONGEST_QUOTED_NAME else text[:LONGEST_QUOTED_NAME] + "..."
