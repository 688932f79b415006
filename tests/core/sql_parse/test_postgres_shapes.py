"""PostgreSQL scripts give the shapes the live importer gives for the same schema."""

from chartdb_mcp.core.model import (
    CustomTypeKind,
    DatabaseType,
    IdentityGeneration,
    ReferentialAction,
    Table,
)
from chartdb_mcp.core.sql.parse import ParsedScript, parse_script

PG = DatabaseType.POSTGRESQL


def parse(script: str) -> ParsedScript:
    return parse_script(script, PG)


def table(parsed: ParsedScript, name: str) -> Table:
    return next(t for t in parsed.tables if t.name == name)


def test_pg_dump_identity_and_sequence_defaults_added_by_alter() -> None:
    parsed = parse(
        "CREATE TABLE public.a (id integer NOT NULL, b bigint NOT NULL, c integer);\n"
        "ALTER TABLE public.a ALTER COLUMN id ADD GENERATED ALWAYS AS IDENTITY (\n"
        "    SEQUENCE NAME public.a_id_seq START WITH 1 INCREMENT BY 1 NO MINVALUE CACHE 1);\n"
        "CREATE SEQUENCE public.a_b_seq AS bigint START WITH 1;\n"
        "ALTER SEQUENCE public.a_b_seq OWNED BY public.a.b;\n"
        "ALTER TABLE ONLY public.a ALTER COLUMN b\n"
        "    SET DEFAULT nextval('public.a_b_seq'::regclass);\n"
        "ALTER TABLE public.a ALTER COLUMN c SET NOT NULL;"
    )
    columns = {c.name: c for c in table(parsed, "a").columns}
    assert (columns["id"].identity, columns["id"].autoincrement) == (
        IdentityGeneration.ALWAYS,
        True,
    )
    assert columns["b"].default == "nextval('a_b_seq'::regclass)"
    assert columns["b"].autoincrement is True
    assert columns["c"].nullable is False
    assert parsed.skipped == {"sequence": 1, "sequence (folded into its column)": 1}


def test_serial_becomes_its_integer_with_a_sequence_default() -> None:
    parsed = parse(
        "CREATE SCHEMA shop;\n"
        "CREATE TABLE shop.items (id bigserial PRIMARY KEY, n smallserial, label text);"
    )
    items = table(parsed, "items")
    ids = items.columns[0]
    assert (ids.type, ids.default, ids.nullable) == (
        "bigint",
        "nextval('shop.items_id_seq'::regclass)",
        False,
    )
    assert items.columns[1].type == "smallint" and items.columns[1].autoincrement
    assert items.primary_key is not None and items.primary_key.name == "items_pkey"
    assert parsed.schemas == ["shop"]


def test_composite_foreign_keys_keep_column_order_and_actions() -> None:
    parsed = parse(
        "CREATE TABLE p (a int, b int, PRIMARY KEY (b, a));\n"
        "CREATE TABLE c (x int, y int, CONSTRAINT c_p FOREIGN KEY (y, x) REFERENCES p "
        "ON DELETE SET NULL ON UPDATE SET DEFAULT);\n"
        "CREATE TABLE d (z int REFERENCES p (b) MATCH FULL DEFERRABLE INITIALLY DEFERRED);"
    )
    first, second = parsed.relationships
    assert (first.name, first.source_columns, first.target_columns) == (
        "c_p",
        ["y", "x"],
        ["b", "a"],
    )
    assert (first.on_delete, first.on_update) == (
        ReferentialAction.SET_NULL,
        ReferentialAction.SET_DEFAULT,
    )
    assert (second.name, second.target_columns) == ("d_z_fkey", ["b"])


def test_indexes_keep_methods_expressions_predicates_and_includes() -> None:
    parsed = parse(
        "CREATE TABLE t (a text, b int, c jsonb);\n"
        "CREATE INDEX t_expr ON public.t USING btree (lower(a) DESC, b);\n"
        "CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS t_part ON ONLY t (b) INCLUDE (a) "
        "WHERE (b > 0);\n"
        "CREATE INDEX t_gin ON t USING gin (c jsonb_path_ops);"
    )
    expr, part, gin = table(parsed, "t").indexes
    assert [(p.column, p.expression, p.descending) for p in expr.parts] == [
        (None, "lower(a)", True),
        ("b", None, False),
    ]
    assert (part.unique, part.where, part.include, part.method) == (True, "b > 0", ["a"], "btree")
    assert (gin.method, gin.columns) == ("gin", ["c"])


def test_enums_domains_composites_and_comments() -> None:
    parsed = parse(
        "CREATE TYPE public.mood AS ENUM ('sad', 'it''s ok');\n"
        "CREATE TYPE pair AS (x integer, y text);\n"
        "CREATE TYPE float_range AS RANGE (subtype = float8);\n"
        "CREATE DOMAIN public.year AS integer DEFAULT 2000 NOT NULL\n"
        "    CONSTRAINT year_check CHECK (((VALUE >= 1901) AND (VALUE <= 2155)));\n"
        "CREATE TABLE t (m public.mood DEFAULT 'sad'::public.mood, y public.year);\n"
        "COMMENT ON TABLE public.t IS 'Moods';\n"
        "COMMENT ON COLUMN t.m IS 'How it went';\n"
        "CREATE MATERIALIZED VIEW v AS SELECT m FROM t WITH NO DATA;\n"
        "CREATE UNIQUE INDEX v_m ON v (m);\n"
        "COMMENT ON MATERIALIZED VIEW v IS 'Cached';"
    )
    mood, pair, year = parsed.custom_types
    assert (mood.kind, mood.values) == (CustomTypeKind.ENUM, ["sad", "it's ok"])
    assert (pair.kind, [f.name for f in pair.fields]) == (CustomTypeKind.COMPOSITE, ["x", "y"])
    assert (year.kind, year.base_type, year.nullable, year.default) == (
        CustomTypeKind.DOMAIN,
        "integer",
        False,
        "2000",
    )
    assert year.checks == ["(VALUE >= 1901) AND (VALUE <= 2155)"]
    t = table(parsed, "t")
    assert t.comment == "Moods"
    assert (t.columns[0].type, t.columns[0].default, t.columns[0].comment) == (
        "mood",
        "'sad'::mood",
        "How it went",
    )
    [view] = parsed.views
    assert (view.materialized, view.comment, view.definition) == (True, "Cached", "SELECT m FROM t")
    assert [i.name for i in view.indexes] == ["v_m"]
    assert parsed.skipped == {"type (range, base or shell)": 1}


def test_partitions_by_attach_and_by_partition_of() -> None:
    parsed = parse(
        "CREATE TABLE m (id int NOT NULL, at date NOT NULL, PRIMARY KEY (id, at))"
        " PARTITION BY RANGE (at);\n"
        "CREATE TABLE m_2023 (id int NOT NULL, at date NOT NULL);\n"
        "ALTER TABLE ONLY m ATTACH PARTITION m_2023\n"
        "    FOR VALUES FROM ('2023-01-01') TO ('2024-01-01');\n"
        "CREATE TABLE m_rest PARTITION OF m DEFAULT;"
    )
    parent = table(parsed, "m")
    assert parent.partition_by == "RANGE (at)"
    m_2023, rest = table(parsed, "m_2023"), table(parsed, "m_rest")
    assert (m_2023.partition_of, m_2023.partition_bound) == (
        parent.id,
        "FOR VALUES FROM ('2023-01-01') TO ('2024-01-01')",
    )
    assert (rest.partition_of, rest.partition_bound) == (parent.id, "DEFAULT")
    assert [c.name for c in rest.columns] == ["id", "at"]
    assert rest.primary_key is None


def test_drop_and_recreate_keeps_the_last_definition() -> None:
    parsed = parse(
        "CREATE TABLE a (x int);\nCREATE VIEW v AS SELECT 1;\n"
        "DROP TABLE IF EXISTS a;\nDROP VIEW v;\nCREATE TABLE a (y int);\n"
        "CREATE OR REPLACE VIEW w AS SELECT 2;\nCREATE OR REPLACE VIEW w AS SELECT 3;"
    )
    assert [c.name for c in table(parsed, "a").columns] == ["y"]
    assert [(v.name, v.definition) for v in parsed.views] == [("w", "SELECT 3")]
    assert parsed.warnings == []
