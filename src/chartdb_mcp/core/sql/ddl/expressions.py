"""SQL expressions (defaults, checks, index expressions, view queries) for a target.

Within one family the diagram's text is kept as written. Across families sqlglot reads
it in the diagram's dialect and writes it in the target's; casts of literals to the
diagram's own types (`'G'::mpaa_rating`) lose the cast, since the type does not exist
there, and MySQL's character set introducers (`_utf8' '`) are dropped. Text sqlglot
cannot read is kept as written, with a warning.
"""

import re
from typing import Any

from sqlglot import ErrorLevel, ParseError, TokenError, UnsupportedError, exp, parse_one

from chartdb_mcp.core.model import DatabaseType
from chartdb_mcp.core.sql.ddl.targets import Target, same_family, sqlglot_name
from chartdb_mcp.core.sql.ddl.warnings import Warnings

SEQUENCE_DEFAULT = re.compile(r"^\s*nextval\s*\(", re.IGNORECASE)


def is_sequence_default(default: str | None) -> bool:
    """Whether a default draws from a PostgreSQL sequence (`nextval(...)`)."""
    return default is not None and SEQUENCE_DEFAULT.match(default) is not None


def sequence_of(default: str) -> str | None:
    """The sequence name in `nextval('name'::regclass)`, without quotes or the cast."""
    match = re.match(r"^\s*nextval\s*\(\s*'([^']+)'", default, re.IGNORECASE)
    return match.group(1) if match else None


class ExpressionWriter:
    """Writes expressions of the source dialect in the target's, collecting warnings."""

    def __init__(self, source: DatabaseType, target: Target, warnings: Warnings) -> None:
        self.source = source
        self.target = target
        self.warnings = warnings
        self.verbatim = same_family(source, target.database_type)

    def expression(self, where: str, text: str) -> str:
        """`text` as the target spells it (unchanged within one family)."""
        if self.verbatim:
            return text
        try:
            tree = parse_one(text, read=sqlglot_name(self.source))
        except (ParseError, TokenError, ValueError):
            self.warnings.add(
                f"{where}: the expression {text!r} could not be read, so it is written "
                f"unchanged; check it works in {self.target.database_type.value}."
            )
            return text
        tree = drop_introducers(drop_literal_casts(tree))
        try:
            written: str = tree.sql(dialect=self.target.sqlglot, unsupported_level=ErrorLevel.RAISE)
        except UnsupportedError as error:
            self.warnings.add(
                f"{where}: {self.target.database_type.value} cannot say all of {text!r} "
                f"({error}); the nearest form is written, check it."
            )
            written = tree.sql(dialect=self.target.sqlglot, unsupported_level=ErrorLevel.IGNORE)
        return written

    def default(self, where: str, text: str) -> str:
        """A column default; MySQL wants expressions other than literals in parentheses."""
        written = self.expression(where, text)
        if self.verbatim or self.target.database_type not in MYSQL_FAMILY:
            return written
        if is_plain_mysql_default(written):
            return written
        return f"({written})"

    def query(self, where: str, text: str) -> str:
        """A view's SELECT in the target's dialect."""
        if self.verbatim:
            return text.strip().rstrip(";")
        return self.expression(where, text.strip().rstrip(";"))

    def unqualified_query(self, where: str, text: str, schemas: set[str]) -> str:
        """The query with table names no longer qualified by the diagram's own schemas.

        A MySQL server writes a view's tables as `database`.`table`; exported without
        schemas, the view must name the tables of the database it is loaded into.
        """
        try:
            tree = parse_one(text, read=self.target.sqlglot)
        except (ParseError, TokenError, ValueError):
            self.warnings.add(
                f"{where}: the query could not be read, so names qualified by schema are "
                "left as they are."
            )
            return text
        for node in tree.find_all(exp.Table, exp.Column):
            if node.text("db") in schemas:
                node.set("db", None)
                node.set("catalog", None)
        written: str = tree.sql(dialect=self.target.sqlglot)
        return written


MYSQL_FAMILY = {DatabaseType.MYSQL, DatabaseType.MARIADB}
# https://dev.mysql.com/doc/refman/8.0/en/data-type-defaults.html: literals and
# CURRENT_TIMESTAMP need no parentheses; every other expression does.
PLAIN_DEFAULT = re.compile(
    r"^(NULL|TRUE|FALSE|-?\d+(\.\d+)?|'([^']|'')*'|CURRENT_TIMESTAMP(\(\d*\))?)$",
    re.IGNORECASE,
)


def is_plain_mysql_default(text: str) -> bool:
    """Whether MySQL accepts this default without parentheses."""
    return PLAIN_DEFAULT.match(text.strip()) is not None


def drop_literal_casts(tree: Any) -> Any:
    """Replace `literal::type` by the literal (the type is the source database's own)."""

    def strip(node: exp.Expression) -> exp.Expression:
        if isinstance(node, exp.Cast) and isinstance(node.this, exp.Literal):
            return node.this
        return node

    return tree.transform(strip)


def drop_introducers(tree: Any) -> Any:
    """Replace MySQL's `_utf8'text'` by the string: other databases know no introducers."""

    def strip(node: exp.Expression) -> exp.Expression:
        if isinstance(node, exp.Introducer) and isinstance(node.expression, exp.Expression):
            return node.expression
        return node

    return tree.transform(strip)
