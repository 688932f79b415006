"""Scripts people really write that once tripped the reader: every one still imports."""

from chartdb_mcp.core.model import DatabaseType
from chartdb_mcp.core.sql.parse import parse_script
from chartdb_mcp.core.sql.parse.canonical import canonical_expression

PG = DatabaseType.POSTGRESQL


def test_a_deeply_nested_unknown_statement_is_a_problem_not_a_crash() -> None:
    nested = "(" * 2_000 + "1" + ")" * 2_000
    parsed = parse_script(f"CREATE TABLE a (id int);\nfrobnicate {nested};", PG)
    assert [t.name for t in parsed.tables] == ["a"]
    [problem] = parsed.problems
    assert problem.line == 2
    assert "too deeply nested" in problem.reason


def test_a_deeply_nested_default_compares_as_text() -> None:
    nested = "(" * 1_000 + "1" + ")" * 1_000
    assert canonical_expression(nested, PG) == nested


def test_columns_named_period_exclude_and_like_are_columns() -> None:
    parsed = parse_script(
        "CREATE TABLE bookings (id int, period tstzrange NOT NULL, exclude boolean, "
        '"like" int, EXCLUDE USING gist (period WITH &&));',
        PG,
    )
    [table] = parsed.tables
    assert [c.name for c in table.columns] == ["id", "period", "exclude", "like"]
    assert parsed.warnings == ["EXCLUDE in table 'bookings' is not represented."]


def test_a_comma_inside_array_brackets_does_not_split_the_column_list() -> None:
    parsed = parse_script(
        "CREATE TABLE t (codes varchar(3)[] DEFAULT ARRAY['a', 'b']::varchar[], n int);", PG
    )
    [table] = parsed.tables
    assert [c.name for c in table.columns] == ["codes", "n"]
    assert table.columns[0].default == "ARRAY['a', 'b']::varchar[]"


def test_a_dollar_quote_never_closed_is_a_problem_not_a_silent_skip() -> None:
    parsed = parse_script(
        "CREATE TABLE a (id int);\n"
        "CREATE FUNCTION f() RETURNS int AS $$ SELECT 1;\n"
        "CREATE TABLE c (id int);",
        PG,
    )
    assert [t.name for t in parsed.tables] == ["a"]
    assert parsed.skipped == {}
    [problem] = parsed.problems
    assert problem.line == 2
    assert problem.reason == (
        "the dollar quote $$ opened on line 2 is never closed, so the rest of the script "
        "is inside it"
    )


def test_a_comment_never_closed_is_a_problem_not_a_silent_skip() -> None:
    parsed = parse_script("CREATE TABLE a (id int);\n/* to do\nCREATE TABLE b (id int);", PG)
    assert [t.name for t in parsed.tables] == ["a"]
    assert [(p.line, p.excerpt) for p in parsed.problems] == [(2, "/*")]
    assert "comment opened on line 2 is never closed" in parsed.problems[0].reason
    assert parsed.statements == 2


SSMS_SCRIPT = """
CREATE TABLE [dbo].[Customers](
    [CustomerID] [int] IDENTITY(1,1) NOT NULL,
    [Code] [nchar](10) NULL,
    [FullCode]  AS ([Code]+N'-x') PERSISTED,
 CONSTRAINT [PK_Customers] PRIMARY KEY CLUSTERED ([CustomerID] ASC)
) ON [PRIMARY]
GO
CREATE UNIQUE NONCLUSTERED INDEX [IX_Customers_Code] ON [dbo].[Customers]
(
    [Code] ASC
)
WHERE ([Code] IS NOT NULL)
WITH (PAD_INDEX = OFF, DROP_EXISTING = OFF) ON [PRIMARY]
GO
ALTER TABLE dbo.Customers ALTER COLUMN Code NCHAR(20) NOT NULL
GO
"""


def test_sql_server_filtered_index_persisted_column_and_alter_column() -> None:
    parsed = parse_script(SSMS_SCRIPT, DatabaseType.SQLSERVER)
    assert parsed.warnings == [] and parsed.problems == []
    [table] = parsed.tables
    [index] = table.indexes
    assert index.where == "[Code] IS NOT NULL"
    code = table.column("Code")
    assert code is not None and (code.type, code.nullable) == ("NCHAR(20)", False)
    full = table.column("FullCode")
    assert full is not None and full.generated == "[Code]+N'-x'"
