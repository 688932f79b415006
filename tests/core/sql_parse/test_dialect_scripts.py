"""Hand-written scripts for SQL Server, Oracle and MySQL (mysqldump style, DELIMITER)."""

from pathlib import Path

from chartdb_mcp.core.model import (
    DatabaseType,
    IdentityGeneration,
    ReferentialAction,
    Table,
)
from chartdb_mcp.core.sql.parse import ParsedScript, parse_script

SCRIPTS = Path(__file__).parent / "scripts"


def parse_file(name: str, database: DatabaseType) -> ParsedScript:
    parsed = parse_script((SCRIPTS / name).read_text(encoding="utf-8"), database)
    counted = sum(parsed.used.values()) + sum(parsed.skipped.values()) + len(parsed.problems)
    assert counted == parsed.statements, "every statement is read, skipped or a problem"
    return parsed


def table(parsed: ParsedScript, name: str) -> Table:
    return next(t for t in parsed.tables if t.name == name)


def test_sql_server_batches_brackets_and_identity() -> None:
    parsed = parse_file("sqlserver.sql", DatabaseType.SQLSERVER)
    assert [t.qualified_name for t in parsed.tables] == ["dbo.Customers", "dbo.Orders"]
    customers = table(parsed, "Customers")
    assert [c.name for c in customers.columns] == [
        "CustomerId",
        "Email",
        "Display Name",
        "CreatedAt",
    ]
    key = customers.columns[0]
    assert (key.autoincrement, key.identity, key.nullable) == (
        True,
        IdentityGeneration.BY_DEFAULT,
        False,
    )
    assert customers.column("CreatedAt").default == "(SYSUTCDATETIME())"  # type: ignore[union-attr]
    assert customers.primary_key is not None and customers.primary_key.name == "PK_Customers"
    assert [(u.name, u.columns) for u in customers.unique_constraints] == [
        ("UQ_Customers_Email", ["Email"])
    ]
    orders = table(parsed, "Orders")
    assert orders.primary_key is not None and orders.primary_key.columns == ["OrderId"]
    assert orders.column("Total").normalized_type == "numeric(10,2)"  # type: ignore[union-attr]
    [index] = orders.indexes
    assert (index.name, index.columns) == ("IX_Orders_CustomerId", ["CustomerId", "Total DESC"])
    [relationship] = parsed.relationships
    assert (relationship.name, relationship.on_delete) == (
        "FK_Orders_Customers",
        ReferentialAction.CASCADE,
    )
    assert [v.name for v in parsed.views] == ["BigOrders"]
    assert dict(parsed.skipped) == {"setting": 1, "procedure": 1, "grant": 1}
    assert parsed.problems == [] and parsed.warnings == []


def test_oracle_slash_terminated_blocks() -> None:
    parsed = parse_file("oracle.sql", DatabaseType.ORACLE)
    assert [t.name for t in parsed.tables] == ["departments", "employees"]
    departments = table(parsed, "departments")
    assert departments.columns[0].identity == IdentityGeneration.BY_DEFAULT
    employees = table(parsed, "employees")
    assert employees.comment == "People on the payroll"
    assert employees.column("email").comment == "Work address"  # type: ignore[union-attr]
    assert employees.column("hired").default == "SYSDATE"  # type: ignore[union-attr]
    assert [c.expression for c in employees.checks] == ["salary >= 0"]
    assert [(u.name, u.columns) for u in employees.unique_constraints] == [
        ("employees_email_uk", ["email"])
    ]
    assert [i.name for i in employees.indexes] == ["employees_department_ix"]
    [relationship] = parsed.relationships
    assert relationship.on_delete == ReferentialAction.SET_NULL
    assert dict(parsed.skipped) == {"sequence": 1, "trigger": 1, "procedure": 1}
    assert parsed.problems == []


def test_mysqldump_with_versioned_comments_and_delimiter_blocks() -> None:
    parsed = parse_file("mysql-delimiter.sql", DatabaseType.MYSQL)
    authors, books = parsed.tables
    assert authors.comment == "People who write"
    name = authors.column("name")
    assert name is not None and name.comment == "Pen name; may contain ; and ' quotes"
    assert authors.column("id").normalized_type == "integer unsigned"  # type: ignore[union-attr]
    status = authors.column("status")
    assert status is not None and (status.type, status.default) == (
        "enum('active','retired')",
        "'active'",
    )
    updated = authors.column("updated_at")
    assert updated is not None and updated.on_update == "current_timestamp()"
    assert [(i.name, i.unique, i.method) for i in authors.indexes] == [
        ("authors_name_uq", True, "btree"),
        ("authors_bio_ft", False, "fulltext"),
    ]
    # MySQL indexes a foreign key's columns itself when no index leads with them.
    assert [(i.name, i.columns) for i in books.indexes] == [("books_author_fk", ["author_id"])]
    assert [r.name for r in parsed.relationships] == ["books_author_fk"]
    assert dict(parsed.skipped) == {
        "setting": 4,
        "drop": 1,
        "trigger": 1,
        "procedure": 1,
        "function": 1,
    }
    assert parsed.problems == []


def test_sql_server_as_ssms_scripts_it() -> None:
    parsed = parse_file("sqlserver-ssms.sql", DatabaseType.SQLSERVER)
    [products] = parsed.tables
    assert products.qualified_name == "dbo.Products"
    assert [(c.name, c.type, c.normalized_type) for c in products.columns] == [
        ("ProductId", "int", "integer"),
        ("Name", "nvarchar(200)", "nvarchar(200)"),
        ("Price", "decimal(10, 2)", "numeric(10,2)"),
        ("CreatedAt", "datetime2(7)", "datetime2(7)"),
        ("Notes", "nvarchar(max)", "nvarchar(max)"),
    ]
    assert products.column("CreatedAt").default == "(sysutcdatetime())"  # type: ignore[union-attr]
    assert products.primary_key is not None and products.primary_key.columns == ["ProductId"]
    assert [(c.name, c.expression) for c in products.checks] == [
        ("CK_Products_Price", "([Price]>=(0))")
    ]
    # USE names a database on SQL Server, not the schema of the tables that follow.
    assert dict(parsed.skipped) == {"setting": 3, "table setting": 1}
    assert parsed.problems == [] and parsed.warnings == []


def test_oracle_as_dbms_metadata_writes_it() -> None:
    parsed = parse_file("oracle-metadata.sql", DatabaseType.ORACLE)
    assert [t.qualified_name for t in parsed.tables] == ["HR.REGIONS", "HR.COUNTRIES"]
    regions, countries = parsed.tables
    assert regions.primary_key is not None and regions.primary_key.name == "REG_ID_PK"
    assert regions.columns[0].nullable is False
    assert [(i.name, i.unique) for i in regions.indexes] == [("REG_NAME_UK", True)]
    assert countries.column("COUNTRY_ID").comment == "Primary key of countries table."  # type: ignore[union-attr]
    [relationship] = parsed.relationships
    assert relationship.name == "COUNTR_REG_FK"
    assert parsed.problems == [] and parsed.warnings == []


def test_mysql_ignores_column_references_and_names_keys_like_innodb() -> None:
    parsed = parse_script(
        "CREATE TABLE p (id INT PRIMARY KEY);\n"
        "CREATE TABLE c (a INT REFERENCES p (id), b INT, CONSTRAINT c_ibfk_1 FOREIGN KEY (b) "
        "REFERENCES p (id), c INT, FOREIGN KEY (c) REFERENCES p (id));",
        DatabaseType.MYSQL,
    )
    assert [(r.name, r.source_columns) for r in parsed.relationships] == [
        ("c_ibfk_1", ["b"]),
        ("c_ibfk_2", ["c"]),
    ]
    assert [(i.name, i.columns) for i in parsed.tables[1].indexes] == [
        ("c_ibfk_1", ["b"]),
        ("c", ["c"]),
    ]
    assert parsed.warnings == [
        "MySQL ignores REFERENCES written on a column (c.a); so does this import. "
        "Write FOREIGN KEY (...) REFERENCES ... instead."
    ]


def test_mysql_names_unnamed_checks_table_chk_n() -> None:
    parsed = parse_script(
        "CREATE TABLE t (a INT CHECK (a > 0), b INT, CHECK (b > 0), CONSTRAINT k CHECK (a < b));",
        DatabaseType.MYSQL,
    )
    assert [c.name for c in parsed.tables[0].checks] == ["t_chk_1", "t_chk_2", "k"]
