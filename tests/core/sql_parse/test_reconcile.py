"""A script that says the same thing in other words leaves the diagram's spelling alone."""

from chartdb_mcp.core.edit.diff import diff_diagrams
from chartdb_mcp.core.edit.merge_import import merge_import
from chartdb_mcp.core.edit.replay import replay
from chartdb_mcp.core.model import DatabaseType, Diagram
from chartdb_mcp.core.sql.parse import parse_script
from chartdb_mcp.core.sql.parse.reconcile import reconcile

PG = DatabaseType.POSTGRESQL

CATALOG_SPELLING = """
CREATE TABLE public.t (
    a character varying(10) DEFAULT 'x'::character varying NOT NULL,
    b timestamp with time zone,
    CONSTRAINT t_a_check CHECK (((a)::text <> ''::text))
) PARTITION BY LIST (a);
CREATE TABLE public.t_x PARTITION OF public.t FOR VALUES IN ('x');
CREATE INDEX t_lower ON public.t USING btree (lower((a)::text));
CREATE INDEX t_b ON public.t USING btree (b);
"""
HAND_SPELLING = """
CREATE TABLE t (
    a varchar(10) NOT NULL DEFAULT 'x',
    b timestamptz,
    CONSTRAINT t_a_check CHECK (a <> '')
) PARTITION BY LIST (a);
CREATE TABLE t_x PARTITION OF t FOR VALUES IN ('x');
CREATE INDEX t_b ON t (b);
CREATE INDEX t_lower ON t (lower(a));
"""


def diagram_of(script: str) -> Diagram:
    parsed = parse_script(script, PG)
    return Diagram(
        name="d",
        database_type=PG,
        tables=parsed.tables,
        relationships=parsed.relationships,
        custom_types=parsed.custom_types,
    )


def merged_ops(existing: Diagram, script: str) -> list[str]:
    merged = merge_import(existing, diagram_of(script)).diagram
    return list(replay(diff_diagrams(existing, reconcile(existing, merged)), existing).lines)


def test_other_spellings_of_the_same_schema_change_nothing() -> None:
    existing = diagram_of(CATALOG_SPELLING)
    assert merged_ops(existing, HAND_SPELLING) == []


def test_real_differences_still_show() -> None:
    existing = diagram_of(CATALOG_SPELLING)
    changed = HAND_SPELLING.replace("varchar(10)", "varchar(20)").replace("(a <> '')", "(a > 'a')")
    assert merged_ops(existing, changed) == [
        "- check t_a_check on t",
        "~ column t.a: character varying(10) -> varchar(20)",
        "+ check t_a_check on t: a > 'a'",
        "~ column t_x.a: character varying(10) -> varchar(20)",
    ]
