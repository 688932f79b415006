"""Compare a script import with a live import of the same schema through the diff engine.

The script's diagram is merged onto the live one by name, as a re-import would, so ids
line up; both are reduced to what a script can state; then `diff_ops` lists the change
ops `diff_diagrams` finds (none means the two imports agree).

What a script cannot state, and so is left out of the comparison, explicitly:

- the type text: the catalog prints its own spelling (`int(10) unsigned` for
  `INT UNSIGNED`, `character varying(45)` for `varchar(45)`); the normalized type is
  compared instead;
- defaults, ON UPDATE, generated, check, index and predicate expressions are compared
  in one canonical spelling (`canonical_expression`: no redundant parentheses, no
  casts), since catalogs re-print them and add the casts they infer;
- PostgreSQL partition bounds are compared with their timestamps in UTC
  (`canonical_bound`): the server prints timestamptz bounds in its own time zone;
- the order of relationships, indexes, unique constraints and checks: catalogs list
  them by name, a script in the order it declares them;
- the status and sync record: a live import marks tables EXISTS, a script PLANNED;
- view columns and definitions: the database works them out from the query (the diff
  does not cover views; the tests compare names and materialization);
- MySQL/MariaDB collations: `VARCHAR(40) BINARY` makes the server pick its charset's
  binary collation (`utf8mb3_bin`), which the script does not name;
- the MySQL/MariaDB database name: fixtures load scripts into uniquely named databases.
"""

import json

from chartdb_mcp.core.edit.diff import diff_diagrams
from chartdb_mcp.core.edit.merge_import import merge_import
from chartdb_mcp.core.model import Column, DatabaseType, Diagram, Index, Table, TableStatus
from chartdb_mcp.core.sql.parse import ParsedScript
from chartdb_mcp.core.sql.parse.canonical import canonical_bound, canonical_expression
from chartdb_mcp.live.introspect import LiveSchema

MYSQL_FAMILY = (DatabaseType.MYSQL, DatabaseType.MARIADB)


def diff_ops(parsed: ParsedScript, live: LiveSchema) -> list[str]:
    """The diff from the live import to the script's, one JSON line per op."""
    database = live.database_type
    schema = live.schemas[0] if database in MYSQL_FAMILY else None
    live_diagram = Diagram(
        name="live",
        database_type=database,
        schemas=live.schemas,
        tables=live.tables,
        relationships=live.relationships,
        views=live.views,
        custom_types=live.custom_types,
    )
    script = Diagram(
        name="script",
        database_type=database,
        tables=[
            t.model_copy(update={"schema_name": schema or t.schema_name}) for t in parsed.tables
        ],
        relationships=parsed.relationships,
        views=parsed.views,
        custom_types=parsed.custom_types,
    )
    outcome = merge_import(live_diagram, script)
    lines = [f"only in the script: {name}" for name in outcome.added]
    lines += [f"only in the database: {name}" for name in outcome.not_in_database]
    old = comparable(live_diagram, database)
    new = comparable(outcome.diagram, database)
    for op in diff_diagrams(old, new):
        fields = op.model_dump(mode="json", exclude_none=True, exclude={"table_id"})
        lines.append(json.dumps(fields)[:300])
    return lines


def comparable(diagram: Diagram, database: DatabaseType) -> Diagram:
    """The diagram without what a script cannot state (see the module docstring)."""
    names = {table.id: table.name for table in diagram.tables}
    relationships = sorted(
        diagram.relationships,
        key=lambda r: (names[r.source_table_id], r.name or "", r.source_columns),
    )
    custom_types = [
        custom.model_copy(
            update={"checks": [canonical_expression(c, database) or "" for c in custom.checks]}
        )
        for custom in diagram.custom_types
    ]
    return diagram.model_copy(
        update={
            "tables": [comparable_table(table, database) for table in diagram.tables],
            "relationships": relationships,
            "custom_types": custom_types,
            "schemas": [],
            "source": None,
        }
    )


def comparable_table(table: Table, database: DatabaseType) -> Table:
    """The table in a fixed order, with texts in one spelling and no live-only facts."""
    checks = [
        check.model_copy(update={"expression": canonical_expression(check.expression, database)})
        for check in table.checks
    ]
    return table.model_copy(
        update={
            "status": TableStatus.PLANNED,
            "sync": None,
            "partition_bound": canonical_bound(table.partition_bound),
            "columns": [comparable_column(column, database) for column in table.columns],
            "indexes": sorted(
                (comparable_index(index, database) for index in table.indexes),
                key=lambda index: index.name,
            ),
            "unique_constraints": sorted(table.unique_constraints, key=lambda u: u.columns),
            "checks": sorted(checks, key=lambda check: (check.name or "", check.expression)),
        }
    )


def comparable_index(index: Index, database: DatabaseType) -> Index:
    """The index with its expressions and predicate in one spelling."""
    parts = [
        part.model_copy(update={"expression": canonical_expression(part.expression, database)})
        for part in index.parts
    ]
    return index.model_copy(
        update={"parts": parts, "where": canonical_expression(index.where, database)}
    )


def comparable_column(column: Column, database: DatabaseType) -> Column:
    """The column with its normalized type as its type, and canonical expressions."""
    return column.model_copy(
        update={
            "type": column.normalized_type,
            "default": canonical_expression(column.default, database),
            "on_update": canonical_expression(column.on_update, database),
            "generated": canonical_expression(column.generated, database),
            "collation": None if database in MYSQL_FAMILY else column.collation,
        }
    )
