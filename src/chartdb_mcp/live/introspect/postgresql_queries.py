"""The pg_catalog queries the PostgreSQL reader runs, each for all requested schemas at once.

Types are spelled by `format_type`, defaults and expressions by `pg_get_expr`, views by
`pg_get_viewdef`: the texts `psql` and `pg_dump` show. The queries need PostgreSQL 12
(pg_attribute.attgenerated).
"""

from sqlalchemy import text

from chartdb_mcp.live.introspect.reader import schema_query

RELATIONS = schema_query("""
SELECT c.oid, n.nspname AS schema, c.relname AS name, c.relkind AS kind,
       d.description AS comment,
       CASE WHEN c.relkind = 'p' THEN pg_catalog.pg_get_partkeydef(c.oid) END AS partition_by,
       CASE WHEN c.relispartition THEN pg_catalog.pg_get_expr(c.relpartbound, c.oid) END
           AS partition_bound,
       pn.nspname AS parent_schema, pc.relname AS parent_name,
       NOT c.relispartition AND EXISTS (
           SELECT 1 FROM pg_catalog.pg_inherits i WHERE i.inhrelid = c.oid) AS inherits
FROM pg_catalog.pg_class c
JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
LEFT JOIN pg_catalog.pg_description d
  ON d.objoid = c.oid AND d.classoid = 'pg_catalog.pg_class'::regclass AND d.objsubid = 0
LEFT JOIN pg_catalog.pg_inherits inh ON c.relispartition AND inh.inhrelid = c.oid
LEFT JOIN pg_catalog.pg_class pc ON pc.oid = inh.inhparent
LEFT JOIN pg_catalog.pg_namespace pn ON pn.oid = pc.relnamespace
WHERE n.nspname IN :schemas AND c.relkind IN ('r', 'p', 'f', 'v', 'm', 'c')
ORDER BY n.nspname, c.relname
""")

# pg_get_viewdef deparses each view: the slowest query of all.
VIEW_DEFINITIONS = schema_query("""
SELECT c.oid, pg_catalog.pg_get_viewdef(c.oid, true) AS definition
FROM pg_catalog.pg_class c
JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
WHERE n.nspname IN :schemas AND c.relkind IN ('v', 'm')
""")

COLUMNS = schema_query("""
SELECT a.attrelid AS relation, a.attnum, a.attname AS name,
       pg_catalog.format_type(a.atttypid, a.atttypmod) AS type,
       NOT a.attnotnull AS nullable,
       pg_catalog.pg_get_expr(ad.adbin, ad.adrelid) AS default,
       a.attidentity AS identity, a.attgenerated AS generated,
       d.description AS comment,
       CASE WHEN a.attcollation <> t.typcollation THEN co.collname END AS collation,
       t.typcategory = 'A' AS is_array
FROM pg_catalog.pg_attribute a
JOIN pg_catalog.pg_class c ON c.oid = a.attrelid
JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
JOIN pg_catalog.pg_type t ON t.oid = a.atttypid
LEFT JOIN pg_catalog.pg_attrdef ad ON ad.adrelid = a.attrelid AND ad.adnum = a.attnum
LEFT JOIN pg_catalog.pg_description d
  ON d.objoid = a.attrelid AND d.classoid = 'pg_catalog.pg_class'::regclass
 AND d.objsubid = a.attnum
LEFT JOIN pg_catalog.pg_collation co ON co.oid = a.attcollation
WHERE n.nspname IN :schemas AND c.relkind IN ('r', 'p', 'f', 'v', 'm', 'c')
  AND a.attnum > 0 AND NOT a.attisdropped
ORDER BY a.attrelid, a.attnum
""")

CONSTRAINTS = schema_query("""
SELECT con.conrelid AS relation, con.conname AS name, con.contype AS kind,
       con.conkey AS columns, con.conparentid <> 0 AS cloned, con.conislocal AS local,
       fn.nspname AS target_schema, fc.relname AS target_table,
       ARRAY(SELECT fa.attname
             FROM unnest(con.confkey) WITH ORDINALITY AS k(attnum, position)
             JOIN pg_catalog.pg_attribute fa
               ON fa.attrelid = con.confrelid AND fa.attnum = k.attnum
             ORDER BY k.position) AS target_columns,
       con.confupdtype AS on_update, con.confdeltype AS on_delete,
       CASE WHEN con.contype = 'c' THEN pg_catalog.pg_get_expr(con.conbin, con.conrelid, true)
       END AS expression
FROM pg_catalog.pg_constraint con
JOIN pg_catalog.pg_namespace n ON n.oid = con.connamespace
LEFT JOIN pg_catalog.pg_class fc ON fc.oid = con.confrelid
LEFT JOIN pg_catalog.pg_namespace fn ON fn.oid = fc.relnamespace
WHERE n.nspname IN :schemas AND con.conrelid <> 0 AND con.contype IN ('p', 'u', 'f', 'c', 'x')
ORDER BY con.conrelid, con.conname
""")

INDEXES = schema_query("""
SELECT i.indrelid AS relation, n.nspname AS schema, tc.relname AS table_name,
       ic.relname AS name, i.indisunique AS unique,
       am.amname AS method, i.indnkeyatts AS key_count,
       i.indkey::int2[] AS attnums, i.indoption::int2[] AS options,
       pg_catalog.pg_get_expr(i.indpred, i.indrelid, true) AS predicate,
       CASE WHEN i.indexprs IS NOT NULL THEN
           ARRAY(SELECT pg_catalog.pg_get_indexdef(i.indexrelid, k, true)
                 FROM generate_series(1, i.indnkeyatts) AS k) END AS texts,
       ic.relispartition AS cloned, i.indclass::oid[] AS opclasses,
       EXISTS (SELECT 1 FROM pg_catalog.pg_constraint con
               WHERE con.conindid = i.indexrelid AND con.conrelid = i.indrelid
                 AND con.contype IN ('p', 'u', 'x')) AS backs_constraint
FROM pg_catalog.pg_index i
JOIN pg_catalog.pg_class ic ON ic.oid = i.indexrelid
JOIN pg_catalog.pg_class tc ON tc.oid = i.indrelid
JOIN pg_catalog.pg_namespace n ON n.oid = ic.relnamespace
JOIN pg_catalog.pg_am am ON am.oid = ic.relam
WHERE n.nspname IN :schemas
ORDER BY i.indrelid, ic.relname
""")

# Few operator classes are not their type's default; the rest need no mention.
SPECIAL_OPCLASSES = text("SELECT oid FROM pg_catalog.pg_opclass WHERE NOT opcdefault")

# Types an extension created belong to the extension, not to the user's schema.
TYPES = schema_query("""
SELECT n.nspname AS schema, t.typname AS name, t.typtype AS kind, t.typrelid AS relation,
       ARRAY(SELECT e.enumlabel FROM pg_catalog.pg_enum e
             WHERE e.enumtypid = t.oid ORDER BY e.enumsortorder) AS labels,
       CASE WHEN t.typtype = 'd' THEN pg_catalog.format_type(t.typbasetype, t.typtypmod) END
           AS base_type,
       NOT t.typnotnull AS nullable, t.typdefault AS default,
       ARRAY(SELECT pg_catalog.pg_get_expr(dc.conbin, 0, true) FROM pg_catalog.pg_constraint dc
             WHERE dc.contypid = t.oid AND dc.contype = 'c' ORDER BY dc.conname) AS checks
FROM pg_catalog.pg_type t
JOIN pg_catalog.pg_namespace n ON n.oid = t.typnamespace
LEFT JOIN pg_catalog.pg_class tc ON tc.oid = t.typrelid
WHERE n.nspname IN :schemas
  AND t.typtype IN ('e', 'd', 'c', 'r', 'b')
  AND (t.typtype <> 'c' OR tc.relkind = 'c')
  AND NOT (t.typtype = 'b' AND t.typcategory = 'A')
  AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_depend dep
                  WHERE dep.classid = 'pg_catalog.pg_type'::regclass
                    AND dep.objid = t.oid AND dep.deptype = 'e')
ORDER BY n.nspname, t.typname
""")
