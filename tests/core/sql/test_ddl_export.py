"""DDL export per dialect: what each target writes for each feature, and what it warns."""

import pytest

from chartdb_mcp.core.model import (
    CheckConstraint,
    Column,
    CustomType,
    CustomTypeKind,
    DatabaseType,
    Diagram,
    IdentityGeneration,
    Index,
    IndexPart,
    PrimaryKey,
    ReferentialAction,
    Relationship,
    Table,
    UniqueConstraint,
    View,
)
from chartdb_mcp.core.sql.ddl import export_ddl

ALL = [
    DatabaseType.POSTGRESQL,
    DatabaseType.MYSQL,
    DatabaseType.MARIADB,
    DatabaseType.SQLITE,
    DatabaseType.SQLSERVER,
    DatabaseType.ORACLE,
]


def shop(database_type: DatabaseType = DatabaseType.POSTGRESQL) -> Diagram:
    """Two tables with a composite FK, an enum, a domain, checks, indexes and a view."""
    orders = Table(
        id="orders",
        schema_name="public",
        name="orders",
        comment="Placed orders",
        columns=[
            Column(name="id", type="bigint", nullable=False, identity=IdentityGeneration.ALWAYS),
            Column(name="region", type="integer", nullable=False),
            Column(name="status", type="order_status", default="'new'::order_status"),
            Column(name="total", type="numeric(10,2)", default="0", comment="In cents"),
            Column(name="email", type="varchar(200)"),
            Column(name="taxed", type="numeric(10,2)", generated="total * 1.2"),
        ],
        primary_key=PrimaryKey(name="orders_pkey", columns=["id", "region"]),
        unique_constraints=[UniqueConstraint(name="orders_email_key", columns=["email"])],
        checks=[CheckConstraint(name="orders_total_check", expression="total >= 0")],
        indexes=[
            Index(name="orders_lower_email", parts=[IndexPart(expression="lower(email)")]),
            Index(
                name="orders_open",
                parts=[IndexPart(column="region"), IndexPart(column="id", descending=True)],
                where="status = 'new'",
            ),
        ],
    )
    lines = Table(
        id="lines",
        schema_name="public",
        name="order_lines",
        columns=[
            Column(name="order_id", type="bigint", nullable=False),
            Column(name="order_region", type="integer", nullable=False),
            Column(name="quantity", type="positive_int", nullable=False),
        ],
    )
    return Diagram(
        name="shop",
        database_type=database_type,
        tables=[orders, lines],
        relationships=[
            Relationship(
                name="lines_order_fkey",
                source_table_id="lines",
                source_columns=["order_id", "order_region"],
                target_table_id="orders",
                target_columns=["id", "region"],
                on_delete=ReferentialAction.CASCADE,
                on_update=ReferentialAction.RESTRICT,
            )
        ],
        custom_types=[
            CustomType(
                schema_name="public",
                name="order_status",
                kind=CustomTypeKind.ENUM,
                values=["new", "paid"],
            ),
            CustomType(
                schema_name="public",
                name="positive_int",
                kind=CustomTypeKind.DOMAIN,
                base_type="integer",
                checks=["VALUE > 0"],
            ),
        ],
        views=[View(name="open_orders", definition="SELECT id FROM orders WHERE status = 'new'")],
    )


def test_postgres_writes_every_feature_in_its_own_words() -> None:
    script = export_ddl(shop())
    text = script.text
    assert script.warnings == []
    assert "CREATE TYPE public.order_status AS ENUM ('new', 'paid')" in text
    assert "CREATE DOMAIN public.positive_int AS integer CHECK ((VALUE > 0))" in text
    assert "id bigint GENERATED ALWAYS AS IDENTITY" in text
    assert "status order_status DEFAULT 'new'::order_status" in text
    assert "taxed numeric(10,2) GENERATED ALWAYS AS (total * 1.2) STORED" in text
    assert "CONSTRAINT orders_pkey PRIMARY KEY (id, region)" in text
    assert "CONSTRAINT orders_email_key UNIQUE (email)" in text
    assert "CONSTRAINT orders_total_check CHECK (total >= 0)" in text
    assert "CREATE INDEX orders_lower_email ON public.orders (lower(email))" in text
    assert (
        "CREATE INDEX orders_open ON public.orders (region, id DESC) WHERE status = 'new'" in text
    )
    assert "COMMENT ON TABLE public.orders IS 'Placed orders'" in text
    assert "COMMENT ON COLUMN public.orders.total IS 'In cents'" in text
    assert (
        "ALTER TABLE public.order_lines ADD CONSTRAINT lines_order_fkey FOREIGN KEY"
        "(order_id, order_region) REFERENCES public.orders (id, region) "
        "ON DELETE CASCADE ON UPDATE RESTRICT"
    ) in text
    assert "CREATE VIEW open_orders AS SELECT id FROM orders WHERE status = 'new'" in text


def test_mysql_inlines_enums_and_comments_and_reports_the_partial_index() -> None:
    script = export_ddl(shop(), DatabaseType.MYSQL)
    text = script.text
    assert "status ENUM('new','paid') DEFAULT 'new'" in text
    assert "COMMENT 'In cents'" in text and "COMMENT='Placed orders'" in text
    assert "id BIGINT NOT NULL AUTO_INCREMENT" in text
    assert "CREATE TABLE `order_lines`" in text or "CREATE TABLE order_lines" in text
    assert "orders_open" not in text
    assert any("orders_open" in w and "partial" in w for w in script.warnings)
    assert any("positive_int" in w and "base type" in w for w in script.warnings)


def test_sqlite_keeps_foreign_keys_inside_create_table() -> None:
    script = export_ddl(shop(), DatabaseType.SQLITE)
    create = next(s for s in script.statements if s.startswith("CREATE TABLE order_lines"))
    assert "FOREIGN KEY(order_id, order_region) REFERENCES orders (id, region)" in create
    assert not any(s.startswith("ALTER TABLE") for s in script.statements)
    assert any("comments" in w for w in script.warnings)
    assert any("order_status" in w and "CHECK" in w for w in script.warnings)


@pytest.mark.parametrize("dialect", [DatabaseType.SQLSERVER, DatabaseType.ORACLE])
def test_targets_without_on_update_restrict_say_so(dialect: DatabaseType) -> None:
    script = export_ddl(shop(), dialect)
    assert any("lines_order_fkey" in w and "RESTRICT" in w for w in script.warnings)
    assert "ON DELETE CASCADE" in script.text


@pytest.mark.parametrize("dialect", ALL)
def test_every_target_writes_every_table_and_the_foreign_key(dialect: DatabaseType) -> None:
    script = export_ddl(shop(), dialect)
    creates = [s for s in script.statements if s.startswith("CREATE TABLE")]
    assert len(creates) == 2
    assert sum("FOREIGN KEY" in s for s in script.statements) == 1
    assert sum(s.startswith("CREATE VIEW") for s in script.statements) == 1


def test_a_table_filter_drops_the_foreign_key_to_a_table_left_out() -> None:
    script = export_ddl(shop(), table_ids={"lines"}, include_views=False)
    assert [s.split("(")[0].strip() for s in script.statements if "TABLE" in s] == [
        "CREATE TABLE public.order_lines"
    ]
    assert any("lines_order_fkey" in w and "not part of the export" in w for w in script.warnings)


def test_a_diagram_without_a_dialect_needs_one() -> None:
    with pytest.raises(ValueError, match="generic"):
        export_ddl(shop(DatabaseType.GENERIC))


def test_a_materialized_view_read_from_a_script_keeps_its_indexes() -> None:
    # A script import knows no view columns; the index still names its columns.
    view = View(
        name="order_totals",
        materialized=True,
        definition="SELECT region, sum(total) AS total FROM orders GROUP BY region",
        indexes=[
            Index(name="order_totals_region", unique=True, parts=[IndexPart(column="region")])
        ],
    )
    diagram = shop()
    diagram = diagram.model_copy(update={"views": [view]})
    script = export_ddl(diagram)
    assert "CREATE UNIQUE INDEX order_totals_region ON order_totals (region)" in script.text


@pytest.mark.parametrize("dialect", [DatabaseType.POSTGRESQL, DatabaseType.SQLITE])
def test_an_inline_mysql_enum_becomes_a_checked_string(dialect: DatabaseType) -> None:
    films = Table(
        name="film",
        columns=[Column(name="rating", type="ENUM('G','PG','R')", default="'G'")],
    )
    diagram = Diagram(name="films", database_type=DatabaseType.MYSQL, tables=[films])
    script = export_ddl(diagram, dialect)
    assert "rating VARCHAR(2)" in script.text
    assert "CHECK (rating IN ('G', 'PG', 'R'))" in script.text
    assert any("rating" in w and "CHECK" in w for w in script.warnings)


def film_tables() -> Diagram:
    """Two MySQL tables with an index of the same name, as sakila has."""

    def table(name: str) -> Table:
        return Table(
            name=name,
            columns=[Column(name="film_id", type="INT")],
            indexes=[Index(name="idx_fk_film_id", parts=[IndexPart(column="film_id")])],
        )

    return Diagram(
        name="films",
        database_type=DatabaseType.MYSQL,
        tables=[table("inventory"), table("film_actor")],
    )


@pytest.mark.parametrize(
    "dialect", [DatabaseType.POSTGRESQL, DatabaseType.SQLITE, DatabaseType.ORACLE]
)
def test_index_names_mysql_scopes_to_a_table_are_made_unique_per_schema(
    dialect: DatabaseType,
) -> None:
    script = export_ddl(film_tables(), dialect)
    indexes = [s for s in script.statements if s.startswith("CREATE INDEX")]
    assert len(indexes) == 2
    assert "idx_fk_film_id ON inventory" in indexes[0]
    assert "film_actor_idx_fk_film_id ON film_actor" in indexes[1]
    assert any("'film_actor_idx_fk_film_id'" in w for w in script.warnings)


def test_mysql_keeps_index_names_that_other_tables_share() -> None:
    script = export_ddl(film_tables(), DatabaseType.MARIADB)
    assert sum("INDEX idx_fk_film_id ON" in s for s in script.statements) == 2
    assert script.warnings == []


@pytest.mark.parametrize("dialect", [DatabaseType.POSTGRESQL, DatabaseType.SQLITE])
def test_mysql_character_set_introducers_stay_in_mysql(dialect: DatabaseType) -> None:
    diagram = film_tables().model_copy(
        update={
            "views": [
                View(
                    name="labels",
                    definition="SELECT CONCAT(_utf8'film ', film_id) AS label FROM inventory",
                )
            ]
        }
    )
    script = export_ddl(diagram, dialect)
    view = next(s for s in script.statements if s.startswith("CREATE VIEW"))
    assert "_utf8" not in view and "'film '" in view


def test_a_view_translated_to_another_family_is_flagged_for_checking() -> None:
    diagram = film_tables().model_copy(
        update={"views": [View(name="films", definition="SELECT film_id FROM inventory")]}
    )
    assert export_ddl(diagram, DatabaseType.MARIADB).warnings == []
    warnings = export_ddl(diagram, DatabaseType.POSTGRESQL).warnings
    assert any("view films" in w and "translated from mysql" in w for w in warnings)
