"""Built-in read-only query templates per dialect: row counts, largest tables, keys, samples.

A template's SQL is fixed text except `{table}`, which is filled with a table name
quoted by sqlglot for the dialect (names cannot be bound parameters); `:limit` stays a
bound parameter. Every template passes the read-only classifier.
"""

from dataclasses import dataclass

from sqlglot import exp

from chartdb_mcp.core.model import DatabaseType
from chartdb_mcp.core.sql.readonly import dialect_of
from chartdb_mcp.errors import InvalidInput

MYSQL_FAMILY = (DatabaseType.MYSQL, DatabaseType.MARIADB)


@dataclass(frozen=True)
class QueryTemplate:
    """A named query: its purpose and its SQL for each dialect."""

    name: str
    description: str
    postgresql: str
    mysql: str
    sqlite: str

    @property
    def needs_table(self) -> bool:
        return "{table}" in self.postgresql

    def sql_for(self, database_type: DatabaseType) -> str:
        """The template's text for a database family (MariaDB shares MySQL's)."""
        if database_type == DatabaseType.POSTGRESQL:
            return self.postgresql
        if database_type in MYSQL_FAMILY:
            return self.mysql
        if database_type == DatabaseType.SQLITE:
            return self.sqlite
        raise InvalidInput(f"No query templates exist for {database_type.value} databases.")


TEMPLATES: tuple[QueryTemplate, ...] = (
    QueryTemplate(
        "row-counts",
        "Estimated rows per table (catalog statistics; exact per table with row-count).",
        postgresql=(
            "SELECT schemaname AS schema_name, relname AS table_name, n_live_tup AS rows "
            "FROM pg_stat_user_tables ORDER BY n_live_tup DESC, schemaname, relname"
        ),
        mysql=(
            "SELECT table_schema AS schema_name, table_name, table_rows AS `rows` "
            "FROM information_schema.tables WHERE table_schema = DATABASE() "
            "AND table_type = 'BASE TABLE' ORDER BY table_rows DESC, table_name"
        ),
        # SQLite keeps no row statistics without ANALYZE; sqlite_stat1 needs it, so list
        # the tables and let row-count count one.
        sqlite=(
            "SELECT name AS table_name FROM sqlite_master WHERE type = 'table' "
            "AND name NOT LIKE 'sqlite_%' ORDER BY name"
        ),
    ),
    QueryTemplate(
        "row-count",
        "The exact number of rows of one table.",
        postgresql="SELECT count(*) AS rows FROM {table}",
        mysql="SELECT count(*) AS `rows` FROM {table}",
        sqlite="SELECT count(*) AS rows FROM {table}",
    ),
    QueryTemplate(
        "largest-tables",
        "Tables by size on disk, indexes included, largest first.",
        postgresql=(
            "SELECT n.nspname AS schema_name, c.relname AS table_name, "
            "pg_total_relation_size(c.oid) AS bytes, "
            "pg_size_pretty(pg_total_relation_size(c.oid)) AS size "
            "FROM pg_class AS c JOIN pg_namespace AS n ON n.oid = c.relnamespace "
            "WHERE c.relkind IN ('r', 'p', 'm') "
            "AND n.nspname NOT IN ('pg_catalog', 'information_schema') "
            "ORDER BY bytes DESC LIMIT 50"
        ),
        mysql=(
            "SELECT table_schema AS schema_name, table_name, "
            "data_length + index_length AS bytes FROM information_schema.tables "
            "WHERE table_schema = DATABASE() ORDER BY bytes DESC LIMIT 50"
        ),
        sqlite=(
            "SELECT name AS table_name, sum(pgsize) AS bytes FROM dbstat "
            "GROUP BY name ORDER BY bytes DESC LIMIT 50"
        ),
    ),
    QueryTemplate(
        "foreign-keys",
        "Every foreign key: the referencing table and columns and the referenced ones.",
        postgresql=(
            "SELECT c.conrelid::regclass::text AS table_name, c.conname AS constraint_name, "
            "c.confrelid::regclass::text AS referenced_table, "
            "pg_get_constraintdef(c.oid) AS definition FROM pg_constraint AS c "
            "WHERE c.contype = 'f' ORDER BY table_name, constraint_name"
        ),
        mysql=(
            "SELECT table_name, constraint_name, column_name, referenced_table_name, "
            "referenced_column_name FROM information_schema.key_column_usage "
            "WHERE table_schema = DATABASE() AND referenced_table_name IS NOT NULL "
            "ORDER BY table_name, constraint_name, ordinal_position"
        ),
        sqlite=(
            "SELECT name AS table_name, sql AS definition FROM sqlite_master "
            "WHERE type = 'table' AND sql LIKE '%REFERENCES%' ORDER BY name"
        ),
    ),
    QueryTemplate(
        "sample-rows",
        "The first rows of one table (:limit, default 20).",
        postgresql="SELECT * FROM {table} LIMIT :limit",
        mysql="SELECT * FROM {table} LIMIT :limit",
        sqlite="SELECT * FROM {table} LIMIT :limit",
    ),
)


def find_template(name: str) -> QueryTemplate:
    """The template named `name`; raises InvalidInput listing the names there are."""
    for template in TEMPLATES:
        if template.name == name:
            return template
    known = ", ".join(template.name for template in TEMPLATES)
    raise InvalidInput(f"No query template is named {name!r}; the templates are: {known}.")


def render_template(template: QueryTemplate, database_type: DatabaseType, table: str | None) -> str:
    """The template's SQL for the dialect, with `{table}` quoted as an identifier.

    `table` may be `schema.table`. Raises InvalidInput when the template needs a table
    and none is given.
    """
    sql = template.sql_for(database_type)
    if not template.needs_table:
        return sql
    if not table or not table.strip():
        raise InvalidInput(f"The template {template.name!r} needs a table name.")
    parts = [part for part in table.strip().split(".") if part]
    if not 1 <= len(parts) <= 2:
        raise InvalidInput(f"{table!r} is not a table name (write table or schema.table).")
    name = exp.Table(
        this=exp.to_identifier(parts[-1], quoted=True),
        db=exp.to_identifier(parts[0], quoted=True) if len(parts) == 2 else None,
    )
    return sql.replace("{table}", name.sql(dialect=dialect_of(database_type)))
