"""Bad scripts: a clear error when nothing can be imported, a report line otherwise."""

import pytest

from chartdb_mcp.core.model import DatabaseType
from chartdb_mcp.core.sql.parse import parse_script
from chartdb_mcp.errors import InvalidScript

PG = DatabaseType.POSTGRESQL


@pytest.mark.parametrize("script", ["", "   \n\t", "-- only a comment\n/* and another */"])
def test_an_empty_script_is_refused(script: str) -> None:
    with pytest.raises(InvalidScript, match="nothing to import"):
        parse_script(script, PG)


def test_garbage_is_refused_with_the_line_and_an_excerpt() -> None:
    with pytest.raises(InvalidScript) as error:
        parse_script("\n\nthis is not sql at all;\nneither is this;", PG)
    message = str(error.value)
    assert "None of the 2 statements" in message
    assert "Line 3: 'this is not sql at all'" in message


def test_a_script_over_the_limit_is_refused_before_it_is_read() -> None:
    script = "CREATE TABLE t (x int);\n" * 100
    with pytest.raises(InvalidScript, match=r"2,400 characters; the limit is 1,000"):
        parse_script(script, PG, max_chars=1_000)


def test_an_unreadable_statement_is_reported_and_the_rest_imports() -> None:
    parsed = parse_script(
        "CREATE TABLE a (id int PRIMARY KEY);\n"
        "CREATE TABLE (((;\n"
        "frobnicate the widgets;\n"
        "CREATE TABLE b (id int);",
        PG,
    )
    assert [t.name for t in parsed.tables] == ["a", "b"]
    assert [(p.line, p.excerpt) for p in parsed.problems] == [
        (2, "CREATE TABLE ((("),
        (3, "frobnicate the widgets"),
    ]
    assert "expected a name" in parsed.problems[0].reason
    assert parsed.problems[1].reason.startswith("sqlglot cannot parse it")
    assert parsed.statements == 4 and parsed.used == {"table": 2}


def test_a_foreign_key_to_a_missing_table_is_left_out_with_a_warning() -> None:
    parsed = parse_script(
        "CREATE TABLE orders (id int PRIMARY KEY, customer_id int REFERENCES customers (id));",
        PG,
    )
    assert parsed.relationships == []
    assert parsed.warnings == [
        "Foreign key orders_customer_id_fkey (line 1) references table 'public.customers', "
        "which the script does not create; it is left out."
    ]


def test_a_duplicate_table_keeps_the_first_definition_and_says_so() -> None:
    parsed = parse_script(
        "CREATE TABLE t (a int);\nCREATE TABLE t (b int);\nCREATE TABLE IF NOT EXISTS t (c int);",
        PG,
    )
    [table] = parsed.tables
    assert [c.name for c in table.columns] == ["a"]
    assert parsed.skipped["duplicate table"] == 2
    assert parsed.warnings == [
        "Table 'public.t' is created again on line 2; the first definition (line 1) is kept."
    ]


def test_alter_of_a_table_the_script_lacks_is_counted_and_warned() -> None:
    parsed = parse_script("CREATE TABLE a (id int);\nALTER TABLE b ADD PRIMARY KEY (id);", PG)
    assert parsed.skipped["ALTER TABLE of a table the script does not create"] == 1
    assert "names table 'b', which the script does not create" in parsed.warnings[0]


def test_a_repeated_column_is_a_problem_not_a_crash() -> None:
    parsed = parse_script("CREATE TABLE a (x int, x text);\nCREATE TABLE b (y int);", PG)
    assert [t.name for t in parsed.tables] == ["b"]
    assert "repeats column 'x'" in parsed.problems[0].reason
