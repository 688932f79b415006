"""Whatever the text, reading it either imports something or refuses it clearly."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from chartdb_mcp.core.model import DatabaseType
from chartdb_mcp.core.sql.parse import parse_script
from chartdb_mcp.errors import InvalidScript

PIECES = [
    "CREATE TABLE ",
    "CREATE INDEX i ON ",
    "ALTER TABLE ",
    "ADD ",
    "CONSTRAINT c ",
    "PRIMARY KEY ",
    "FOREIGN KEY ",
    "REFERENCES ",
    "UNIQUE ",
    "CHECK ",
    "DEFAULT ",
    "NOT NULL ",
    "GENERATED ALWAYS AS ",
    "IDENTITY ",
    "PARTITION OF ",
    "FOR VALUES ",
    "COMMENT ON COLUMN ",
    "IS ",
    "CREATE TYPE t AS ENUM ",
    "CREATE DOMAIN d AS int ",
    "CREATE VIEW v AS SELECT 1 ",
    "DROP TABLE ",
    "USE db",
    "DELIMITER //\n",
    "DELIMITER ;\n",
    "\nGO\n",
    "\n/\n",
    "BEGIN ",
    "END",
    "CASE ",
    "$$",
    "$x$",
    "'",
    '"',
    "`",
    "[",
    "]",
    "(",
    ")",
    ",",
    ";",
    ".",
    "--",
    "/*",
    "*/",
    "/*!40101 ",
    "\\",
    "E'",
    "\n",
    " ",
    "a",
    "b",
    "int",
    "text",
    "varchar(10)",
    "serial",
    "1",
    "'x'",
    "a.b",
]


@settings(max_examples=150, deadline=None)
@given(
    text=st.lists(st.sampled_from(PIECES), max_size=40).map("".join),
    database=st.sampled_from(list(DatabaseType)),
)
def test_any_text_imports_or_is_refused_as_a_script(text: str, database: DatabaseType) -> None:
    try:
        parsed = parse_script(text, database)
    except InvalidScript as error:
        assert str(error)
        return
    counted = sum(parsed.used.values()) + sum(parsed.skipped.values()) + len(parsed.problems)
    assert counted == parsed.statements


@pytest.mark.parametrize("database", list(DatabaseType))
def test_a_lone_opening_quote_does_not_hang(database: DatabaseType) -> None:
    with pytest.raises(InvalidScript):
        parse_script("CREATE TABLE t (a int DEFAULT '", database)
