"""Words each database reserves, so a table or column named after one must be quoted.

Data, not code: the vendors' lists of reserved words. MySQL uses sqlglot's MySQL list;
MariaDB starts from it and differs where https://mariadb.com/kb/en/reserved-words/ does
(checked against MariaDB 10.11, which takes the words below unquoted as table and column
names in CREATE, INSERT, SELECT, UPDATE and CREATE INDEX). The others:
- PostgreSQL: https://www.postgresql.org/docs/current/sql-keywords-appendix.html
  (the words marked "reserved" for PostgreSQL)
- SQLite: https://www.sqlite.org/lang_keywords.html (every keyword)
- SQL Server: https://learn.microsoft.com/sql/t-sql/language-elements/reserved-keywords-transact-sql
- Oracle: https://docs.oracle.com/en/database/oracle/oracle-database/19/sqlrf/Oracle-SQL-Reserved-Words.html
"""

from sqlglot.dialects.mysql import MySQL

from chartdb_mcp.core.model import DatabaseType


def words(text: str) -> frozenset[str]:
    return frozenset(text.lower().split())


POSTGRESQL = words(
    """
    all analyse analyze and any array as asc asymmetric authorization binary both case cast
    check collate collation column concurrently constraint create cross current_catalog
    current_date current_role current_schema current_time current_timestamp current_user
    default deferrable desc distinct do else end except false fetch for foreign freeze from
    full grant group having ilike in initially inner intersect into is isnull join lateral
    leading left like limit localtime localtimestamp natural not notnull null offset on only
    or order outer overlaps placing primary references returning right select session_user
    similar some symmetric system_user table tablesample then to trailing true union unique
    user using variadic verbose when where window with
    """
)
SQLITE = words(
    """
    abort action add after all alter always analyze and as asc attach autoincrement before
    begin between by cascade case cast check collate column commit conflict constraint create
    cross current current_date current_time current_timestamp database default deferrable
    deferred delete desc detach distinct do drop each else end escape except exclude
    exclusive exists explain fail filter first following for foreign from full generated glob
    group groups having if ignore immediate in index indexed initially inner insert instead
    intersect into is isnull join key last left like limit match materialized natural no not
    nothing notnull null nulls of offset on or order others outer over partition plan pragma
    preceding primary query raise range recursive references regexp reindex release rename
    replace restrict returning right rollback row rows savepoint select set table temp
    temporary then ties to transaction trigger unbounded union unique update using vacuum
    values view virtual when where window with without
    """
)
SQLSERVER = words(
    """
    add all alter and any as asc authorization backup begin between break browse bulk by
    cascade case check checkpoint close clustered coalesce collate column commit compute
    constraint contains containstable continue convert create cross current current_date
    current_time current_timestamp current_user cursor database dbcc deallocate declare
    default delete deny desc disk distinct distributed double drop dump else end errlvl
    escape except exec execute exists exit external fetch file fillfactor for foreign
    freetext freetexttable from full function goto grant group having holdlock identity
    identity_insert identitycol if in index inner insert intersect into is join key kill left
    like lineno load merge national nocheck nonclustered not null nullif of off offsets on
    open opendatasource openquery openrowset openxml option or order outer over percent pivot
    plan precision primary print proc procedure public raiserror read readtext reconfigure
    references replication restore restrict return revert revoke right rollback rowcount
    rowguidcol rule save schema securityaudit select semantickeyphrasetable
    semanticsimilaritydetailstable semanticsimilaritytable session_user set setuser shutdown
    some statistics system_user table tablesample textsize then to top tran transaction
    trigger truncate try_convert tsequal union unique unpivot update updatetext use user
    values varying view waitfor when where while with within writetext
    """
)
ORACLE = words(
    """
    access add all alter and any as asc audit between by char check cluster column comment
    compress connect create current date decimal default delete desc distinct drop else
    exclusive exists file float for from grant group having identified immediate in
    increment index initial insert integer intersect into is level like lock long maxextents
    minus mlslabel mode modify noaudit nocompress not nowait null number of offline on online
    option or order pctfree prior public raw rename resource revoke row rowid rownum rows
    select session set share size smallint start successful synonym sysdate table then to
    trigger uid union unique update user validate values varchar varchar2 view whenever where
    with
    """
)
MYSQL = frozenset(word.lower() for word in MySQL.Generator.RESERVED_KEYWORDS)
# Reserved by MySQL 8 (window functions and more) but plain names in MariaDB.
MYSQL_ONLY = words(
    """
    cube cume_dist database dense_rank empty first_value function generated get grouping
    groups io_after_gtids io_before_gtids json_table lag last_value lateral lead master_bind
    nth_value ntile of optimizer_costs option percent_rank rank row schema stored system
    virtual window
    """
)
MARIADB_ONLY = words(
    """
    current_role delete_domain_id do_domain_ids ignore_domain_ids offset page_checksum portion
    ref_system_id returning stats_auto_recalc stats_persistent stats_sample_pages
    """
)
MARIADB = (MYSQL - MYSQL_ONLY) | MARIADB_ONLY

RESERVED: dict[DatabaseType, frozenset[str]] = {
    DatabaseType.POSTGRESQL: POSTGRESQL,
    DatabaseType.MYSQL: MYSQL,
    DatabaseType.MARIADB: MARIADB,
    DatabaseType.SQLITE: SQLITE,
    DatabaseType.SQLSERVER: SQLSERVER,
    DatabaseType.ORACLE: ORACLE,
    # A generic diagram may become any of them; the standard-like PostgreSQL list is the
    # common ground.
    DatabaseType.GENERIC: POSTGRESQL,
}

# The longest identifier each database accepts, in characters (PostgreSQL: bytes).
MAX_IDENTIFIER: dict[DatabaseType, int] = {
    DatabaseType.POSTGRESQL: 63,
    DatabaseType.MYSQL: 64,
    DatabaseType.MARIADB: 64,
    DatabaseType.SQLSERVER: 128,
    DatabaseType.ORACLE: 128,
}
# Oracle before 12.2 allowed 30; names past that break on older servers.
ORACLE_LEGACY_MAX = 30
