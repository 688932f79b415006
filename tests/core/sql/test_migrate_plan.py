"""Migration plans without a database: risks, reasons, inverses and the SQLite rebuild."""

import pytest

from chartdb_mcp.core.model import CustomType, CustomTypeKind, DatabaseType, Diagram
from chartdb_mcp.core.sql.migrate import Risk, plan_migration
from support.migration_pairs import LITE, MARIA, PAIRS, PG, Pair, add_columns, blog, column

BY_NAME = {pair.name: pair for pair in PAIRS}


def plan_for(name: str, dialect: DatabaseType):  # type: ignore[no-untyped-def]
    pair: Pair = BY_NAME[name]
    before = pair.before(blog(dialect))
    return plan_migration(before, pair.after(before), dialect)


@pytest.mark.parametrize(
    ("name", "risk", "reason"),
    [
        ("drop table", Risk.DESTRUCTIVE, "drops the table"),
        ("drop column", Risk.DESTRUCTIVE, "drops the column"),
        ("add NOT NULL column without default", Risk.BLOCKED, "without a default"),
        ("add NOT NULL column with default", Risk.SAFE, None),
        ("narrow varchar", Risk.DESTRUCTIVE, "narrows the type"),
        ("widen varchar", Risk.SAFE, None),
        ("integer to bigint", Risk.SAFE, None),
        ("set NOT NULL", Risk.WARNING, "holds NULL"),
        ("add unique", Risk.WARNING, "repeat a value"),
        ("add index", Risk.WARNING, "CONCURRENTLY"),
        ("add foreign key with a new column", Risk.WARNING, "missing parents"),
        ("add check", Risk.WARNING, "break the check"),
        ("rename table", Risk.SAFE, None),
        ("rename column", Risk.SAFE, None),
    ],
)
def test_each_change_carries_its_risk_and_reason_on_postgres(
    name: str, risk: Risk, reason: str | None
) -> None:
    plan = plan_for(name, PG)
    assert plan.highest_risk == risk
    riskiest = next(step for step in plan.steps if step.risk == risk)
    assert (riskiest.reason is None) == (reason is None)
    if reason is not None:
        assert reason in (riskiest.reason or "")


def test_renames_are_renames_not_drop_and_add() -> None:
    for name in ("rename table", "rename column", "rename a key column"):
        for dialect in (PG, MARIA, LITE):
            sql = [step.sql for step in plan_for(name, dialect).steps]
            assert len(sql) == 1 and "RENAME" in sql[0] and "DROP" not in sql[0], (name, sql)


def test_statements_undo_themselves_where_sql_can() -> None:
    plan = plan_for("rename and retype a column", PG)
    assert [step.inverse for step in plan.steps] == [
        "ALTER TABLE public.authors RENAME COLUMN mail TO email",
        "ALTER TABLE public.authors ALTER COLUMN mail TYPE varchar(200) USING mail::varchar(200)",
    ]
    drop = plan_for("drop column", PG).steps[0]
    assert drop.inverse == "ALTER TABLE public.authors ADD COLUMN bio text"


def test_mysql_restates_the_column_and_commits_each_statement() -> None:
    plan = plan_for("set default", MARIA)
    assert [step.sql for step in plan.steps] == [
        "ALTER TABLE authors MODIFY COLUMN email varchar(200) DEFAULT 'nobody@example.com'"
    ]
    assert plan.steps[0].transactional is False
    assert plan.steps[0].inverse == "ALTER TABLE authors MODIFY COLUMN email varchar(200)"


def test_sqlite_rebuilds_what_alter_table_cannot_do_with_foreign_keys_off_outside() -> None:
    plan = plan_for("change foreign key action", LITE)
    sql = [step.sql.split("(")[0].strip() for step in plan.steps]
    assert sql == [
        "PRAGMA foreign_keys = OFF",
        "CREATE TABLE _chartdb_new_posts",
        "INSERT INTO _chartdb_new_posts",
        "PRAGMA legacy_alter_table = ON",
        "DROP TABLE posts",
        "ALTER TABLE _chartdb_new_posts RENAME TO posts",
        "PRAGMA legacy_alter_table = OFF",
        "CREATE INDEX posts_author ON posts",
        "CREATE INDEX posts_title ON posts",
        "PRAGMA foreign_key_check",
        "PRAGMA foreign_keys = ON",
    ]
    transactional = [step.transactional for step in plan.steps]
    assert transactional == [False] + [True] * 9 + [False]
    assert "ON DELETE CASCADE" in plan.steps[1].sql
    assert "SELECT id, author_id, title, score, body FROM posts" in plan.steps[2].sql


def test_sqlite_uses_alter_table_where_it_can() -> None:
    plan = plan_for("add nullable column", LITE)
    assert [step.sql for step in plan.steps] == [
        "ALTER TABLE posts ADD COLUMN subtitle varchar(100)"
    ]


def test_a_rebuild_that_loses_a_column_is_destructive() -> None:
    plan = plan_for("drop a referenced table", LITE)
    assert plan.highest_risk == Risk.DESTRUCTIVE
    before = blog(LITE)
    after = add_columns(before, "tags", column("weight", nullable=False))
    copy = next(s for s in plan_migration(before, after, LITE).steps if s.sql.startswith("INSERT"))
    assert copy.risk == Risk.BLOCKED


@pytest.mark.parametrize("dialect", [PG, MARIA, LITE])
def test_what_only_looks_different_needs_no_statement(dialect: DatabaseType) -> None:
    for pair in PAIRS:
        if pair.empty and dialect in pair.dialects:
            assert plan_for(pair.name, dialect).steps == [], pair.name


BASE = blog(PG)


def enum_diagram(values: list[str]) -> Diagram:
    mood = CustomType(
        id="mood", schema_name="public", name="mood", kind=CustomTypeKind.ENUM, values=values
    )
    return BASE.model_copy(update={"custom_types": [mood]})


def test_enum_labels_are_added_in_place_outside_a_transaction() -> None:
    plan = plan_migration(enum_diagram(["ok", "sad"]), enum_diagram(["ok", "meh", "sad"]), PG)
    assert [(s.sql, s.transactional) for s in plan.steps] == [
        ("ALTER TYPE mood ADD VALUE 'meh' BEFORE 'sad'", False)
    ]
    removed = plan_migration(enum_diagram(["ok", "sad"]), enum_diagram(["ok"]), PG)
    assert removed.highest_risk == Risk.BLOCKED


def test_postgres_warns_that_a_column_added_in_the_middle_goes_last() -> None:
    before = blog(PG)
    authors = before.table_by_id("authors")
    assert authors is not None
    columns = [authors.columns[0], column("nick", "varchar(20)"), *authors.columns[1:]]
    after = before.model_copy(
        update={
            "tables": [
                t.model_copy(update={"columns": columns}) if t.id == "authors" else t
                for t in before.tables
            ]
        }
    )
    plan = plan_migration(before, after, PG)
    assert any("adds columns at the end" in warning for warning in plan.warnings)
    mysql = plan_migration(
        before.model_copy(update={"database_type": MARIA}),
        after.model_copy(update={"database_type": MARIA}),
        MARIA,
    )
    assert any(step.sql.endswith("AFTER id") for step in mysql.steps)


def test_dialects_without_migrations_are_refused() -> None:
    with pytest.raises(ValueError, match="sqlserver"):
        plan_migration(blog(PG), blog(PG), DatabaseType.SQLSERVER)


def test_the_script_marks_each_risky_statement() -> None:
    script = plan_for("drop table", PG).script
    assert script.startswith("-- destructive: drops the table")
    assert "DROP TABLE public.tags;" in script


def unnamed_foreign_keys(diagram: Diagram) -> Diagram:
    """The diagram with every relationship's name taken away."""
    unnamed = [r.model_copy(update={"name": None}) for r in diagram.relationships]
    return diagram.model_copy(update={"relationships": unnamed})
