"""Cut a DDL script into statements, the way each database's own client does.

The scanner knows enough of each dialect's lexical rules to tell a terminator from a
character inside a string, quoted name or comment: `'...'` (with `''`, and backslash
escapes in MySQL), `"..."`, MySQL backticks, SQL Server and SQLite `[...]`,
PostgreSQL dollar quoting (`$tag$ ... $tag$`), `--` and `/* */` comments (and MySQL `#`).
MySQL's versioned comments (`/*!40101 ... */`) are code to MySQL, so their content is
kept. Terminators per dialect:

- `;` everywhere, except inside a block whose body has its own semicolons;
- MySQL: a `DELIMITER x` line sets the terminator until the next one;
- SQL Server: a line `GO` ends a batch; inside a batch a new line that starts a new
  statement (CREATE, ALTER, ...) ends the previous one, since T-SQL needs no `;`;
- PostgreSQL: a psql meta-command (`\\connect`, `\\restrict`) is a line of its own;
- Oracle: a line `/` ends a PL/SQL block (CREATE PROCEDURE, FUNCTION, TRIGGER,
  PACKAGE, TYPE, or an anonymous DECLARE/BEGIN block);
- SQLite and others: a CREATE TRIGGER body ends at the `END;` that closes its `BEGIN`.

Comments are replaced by spaces (newlines kept), so each statement's text still has its
line structure and its first line number.
"""

import re
from dataclasses import dataclass

from chartdb_mcp.core.model import DatabaseType

MYSQL_FAMILY = (DatabaseType.MYSQL, DatabaseType.MARIADB)
DOLLAR_TAG = re.compile(r"\$([A-Za-z_][A-Za-z0-9_]*)?\$")
DELIMITER_LINE = re.compile(r"[ \t]*DELIMITER[ \t]+(\S+)[ \t]*(?:\r?\n|$)", re.IGNORECASE)
GO_LINE = re.compile(r"[ \t]*GO(?:[ \t]+\d+)?[ \t]*(?:--[^\n]*)?(?:\r?\n|$)", re.IGNORECASE)
PSQL_COMMAND = re.compile(r"[ \t]*(\\[^\n]*)(?:\n|$)")
SLASH_LINE = re.compile(r"[ \t]*/[ \t]*(?:\r?\n|$)")
# A T-SQL statement that starts a new line starts a new statement.
TSQL_STARTS = re.compile(
    r"[ \t]*(CREATE|ALTER|DROP|INSERT|UPDATE|DELETE|SET|USE|EXEC|EXECUTE|PRINT|GRANT|DECLARE|IF)\b",
    re.IGNORECASE,
)
ORACLE_BLOCK = re.compile(
    r"\s*(?:DECLARE|BEGIN|CREATE\s+(?:OR\s+REPLACE\s+)?(?:(?:NON)?EDITIONABLE\s+)?"
    r"(?:PROCEDURE|FUNCTION|PACKAGE|TRIGGER|TYPE))\b",
    re.IGNORECASE,
)
TSQL_BLOCK = re.compile(
    r"\s*(?:CREATE|ALTER|CREATE\s+OR\s+ALTER)\s+(?:PROC|PROCEDURE|FUNCTION|TRIGGER|VIEW)\b",
    re.IGNORECASE,
)
TRIGGER_START = re.compile(
    r"\s*CREATE\s+(?:TEMP\s+|TEMPORARY\s+)?TRIGGER\b|\s*CREATE\s+TRIGGER\b", re.IGNORECASE
)
BLOCK_WORDS = re.compile(r"\b(BEGIN|CASE|END)\b", re.IGNORECASE)


@dataclass(frozen=True)
class Statement:
    """One statement's text (comments blanked, terminator removed) and its first line."""

    text: str
    line: int
    # Why the statement runs to the end of the script: a quote or comment never closed.
    unclosed: str = ""


class Scanner:
    """A single pass over the script that yields statements as it finds terminators."""

    def __init__(self, script: str, database: DatabaseType) -> None:
        self.src = script
        self.database = database
        self.pos = 0
        self.line = 1
        self.delimiter = ";"
        self.plain_run = plain_run(";")
        self.code: list[str] = []  # the current statement, comments blanked
        self.plain: list[str] = []  # the same with strings and names blanked too
        self.start_line = 1
        self.statements: list[Statement] = []
        self.in_versioned_comment = False
        self.has_content = False
        self.unclosed = ""

    def run(self) -> list[Statement]:
        """Scan to the end and return every non-empty statement."""
        while self.pos < len(self.src):
            if (self.pos == 0 or self.src[self.pos - 1] == "\n") and self.line_command():
                continue
            self.step()
        self.finish()
        return self.statements

    def line_command(self) -> bool:
        """Handle DELIMITER, GO, `/` and T-SQL line starts; True if the cursor moved."""
        rest = self.src
        if self.database in MYSQL_FAMILY:
            match = DELIMITER_LINE.match(rest, self.pos)
            if match:
                self.finish()
                self.delimiter = match.group(1)
                self.plain_run = plain_run(self.delimiter)
                self.advance_to(match.end())
                return True
        if self.database == DatabaseType.POSTGRESQL:
            # https://www.postgresql.org/docs/current/app-psql.html (meta-commands, e.g.
            # the \restrict lines newer pg_dump versions write) take the rest of the line.
            match = PSQL_COMMAND.match(rest, self.pos)
            if match:
                self.finish()
                self.statements.append(Statement(text=match.group(1).strip(), line=self.line))
                self.advance_to(match.end())
                return True
        if self.database == DatabaseType.SQLSERVER:
            match = GO_LINE.match(rest, self.pos)
            if match:
                self.finish()
                self.advance_to(match.end())
                return True
            if (
                TSQL_STARTS.match(rest, self.pos)
                and self.has_content
                and not TSQL_BLOCK.match("".join(self.code))
            ):
                self.finish()
        if self.database == DatabaseType.ORACLE:
            match = SLASH_LINE.match(rest, self.pos)
            if match:
                self.finish()
                self.advance_to(match.end())
                return True
        return False

    def advance_to(self, end: int) -> None:
        """Move past text that is no part of a statement, counting its lines."""
        self.line += self.src.count("\n", self.pos, end)
        self.pos = end

    def emit(self, text: str, *, plain: str | None = None) -> None:
        """Add text to the current statement (and its blanked twin)."""
        if not self.has_content and text.strip():
            self.start_line = self.line
            self.has_content = True
        self.code.append(text)
        self.plain.append(text if plain is None else plain)
        self.line += text.count("\n")

    def step(self) -> None:
        """Consume one lexical element at the cursor."""
        src, pos = self.src, self.pos
        char = src[pos]
        if src.startswith(self.delimiter, pos) and self.ends_here():
            self.pos += len(self.delimiter)
            self.finish()
        elif char == "'":
            self.quoted("'", escapes=self.database in MYSQL_FAMILY or self.escape_string())
        elif char == '"':
            self.quoted('"', escapes=self.database in MYSQL_FAMILY)
        elif char == "`" and self.database in MYSQL_FAMILY:
            self.quoted("`", escapes=False)
        elif char == "[" and self.database in (DatabaseType.SQLSERVER, DatabaseType.SQLITE):
            self.quoted("]", escapes=False, opening="[")
        elif src.startswith("--", pos) or (char == "#" and self.database in MYSQL_FAMILY):
            end = src.find("\n", pos)
            self.blank(len(src) if end < 0 else end)
        elif src.startswith("/*", pos):
            self.block_comment()
        elif src.startswith("*/", pos) and self.in_versioned_comment:
            self.in_versioned_comment = False
            self.pos += 2
            self.emit("  ")
        elif char == "$" and self.database == DatabaseType.POSTGRESQL:
            self.dollar()
        else:
            run = self.plain_run.match(src, pos)
            end = run.end() if run and run.end() > pos else pos + 1
            self.pos = end
            self.emit(src[pos:end])

    def ends_here(self) -> bool:
        """Whether a terminator at the cursor ends the statement (not a block's inner `;`)."""
        if self.delimiter != ";":
            return True
        code = "".join(self.code)
        if self.database == DatabaseType.ORACLE and ORACLE_BLOCK.match(code):
            return False
        if self.database == DatabaseType.SQLSERVER and TSQL_BLOCK.match(code):
            return False
        if self.database not in (DatabaseType.ORACLE, DatabaseType.SQLSERVER) and (
            self.delimiter == ";" and TRIGGER_START.match(code)
        ):
            return block_closed("".join(self.plain))
        return True

    def escape_string(self) -> bool:
        """Whether the quote opens a PostgreSQL escape string, `E'...'` (backslashes escape)."""
        # https://www.postgresql.org/docs/current/sql-syntax-lexical.html#SQL-SYNTAX-STRINGS-ESCAPE
        pos = self.pos
        if self.database != DatabaseType.POSTGRESQL or pos == 0 or self.src[pos - 1] not in "eE":
            return False
        return pos == 1 or not (self.src[pos - 2].isalnum() or self.src[pos - 2] == "_")

    def quoted(self, close: str, *, escapes: bool, opening: str | None = None) -> None:
        """A string or quoted name: copied whole, blanked in the plain twin."""
        src, start = self.src, self.pos
        pos = start + 1
        while pos < len(src):
            char = src[pos]
            if escapes and char == "\\":
                pos += 2
                continue
            if char == close:
                if src.startswith(close * 2, pos) and opening is None:
                    pos += 2
                    continue
                pos += 1
                break
            pos += 1
        text = src[start:pos]
        self.pos = pos
        self.emit(text, plain=(opening or close) + " " * max(len(text) - 2, 0) + close)

    def blank(self, end: int) -> None:
        """Replace a comment by spaces, keeping its newlines."""
        text = self.src[self.pos : end]
        self.pos = end
        blanked = re.sub(r"[^\n]", " ", text)
        self.code.append(blanked)
        self.plain.append(blanked)
        self.line += text.count("\n")

    def block_comment(self) -> None:
        """`/* ... */`; MySQL's `/*!NNNNN ... */` keeps its content as code."""
        src, pos = self.src, self.pos
        if self.database in MYSQL_FAMILY and src.startswith("/*!", pos):
            match = re.compile(r"/\*!\d*").match(src, pos)
            assert match is not None
            self.in_versioned_comment = True
            self.pos = match.end()
            self.emit(" ")
            return
        end = src.find("*/", pos + 2)
        if end < 0:
            self.never_closed("comment")
            if not self.has_content:
                self.start_line, self.has_content = self.line, True
                self.code.append("/*")
        self.blank(len(src) if end < 0 else end + 2)

    def dollar(self) -> None:
        """A PostgreSQL dollar-quoted string, or a lone `$` (as in `$1`)."""
        match = DOLLAR_TAG.match(self.src, self.pos)
        if not match:
            self.pos += 1
            self.emit("$")
            return
        tag = match.group(0)
        end = self.src.find(tag, match.end())
        if end < 0:
            self.never_closed(f"dollar quote {tag}")
        stop = len(self.src) if end < 0 else end + len(tag)
        text = self.src[self.pos : stop]
        self.pos = stop
        self.emit(text, plain=tag + re.sub(r"[^\n]", " ", text[len(tag) : -len(tag)]) + tag)

    def never_closed(self, what: str) -> None:
        """Note that a quote or comment opened here runs to the end of the script."""
        self.unclosed = (
            f"the {what} opened on line {self.line} is never closed, so the rest of the "
            "script is inside it"
        )

    def finish(self) -> None:
        """Close the current statement; an empty one is dropped."""
        text = "".join(self.code).strip()
        if text and self.has_content:
            self.statements.append(
                Statement(text=text, line=self.start_line, unclosed=self.unclosed)
            )
        self.code, self.plain, self.has_content = [], [], False


def plain_run(delimiter: str) -> re.Pattern[str]:
    """Characters that start nothing special: copied in one step, up to the next newline."""
    special = set("'\"`[-#/*$\n") | {delimiter[0]}
    return re.compile("[^" + "".join(re.escape(char) for char in sorted(special)) + "]+")


def block_closed(plain: str) -> bool:
    """Whether every BEGIN (and CASE) of a trigger body has met its END (none: at once)."""
    depth = 0
    for match in BLOCK_WORDS.finditer(plain):
        depth += -1 if match.group(1).upper() == "END" else 1
    return depth <= 0


def split_statements(script: str, database: DatabaseType) -> list[Statement]:
    """The script's statements in order, each with the line it starts on."""
    return Scanner(script, database).run()
