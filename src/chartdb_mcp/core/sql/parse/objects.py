"""Objects beside tables: enum and composite types, domains, views and materialized views.

A view's output columns are what the database works out from its query; a script does
not state them, so views from a script have a definition and no columns.
"""

from sqlglot import TokenType

from chartdb_mcp.core.model import CustomType, CustomTypeKind, View
from chartdb_mcp.core.sql.parse.columns import (
    plain_text,
    read_column,
    read_expression,
    strip_parens,
)
from chartdb_mcp.core.sql.parse.drafts import ScriptState, TableDraft
from chartdb_mcp.core.sql.parse.tokens import Cursor


def read_create_type(cursor: Cursor, state: ScriptState, line: int) -> str:
    """CREATE TYPE name AS ENUM (...) or AS (fields); other forms are only counted."""
    cursor.expect("CREATE")
    cursor.accept("OR", "REPLACE")
    cursor.expect("TYPE")
    name = cursor.name()
    schema = state.key_of(name.schema, name.name)[0]
    if cursor.accept("AS", "ENUM"):
        start, stop = cursor.group()
        labels = [cursor.sub(a, b).string() for a, b in cursor.split_items(start, stop)]
        state.custom_types.append(
            CustomType(schema_name=schema, name=name.name, kind=CustomTypeKind.ENUM, values=labels)
        )
        return "type"
    if cursor.accept("AS") and cursor.is_type(TokenType.L_PAREN):
        holder = TableDraft(schema=schema, name=name.name, line=line)
        start, stop = cursor.group()
        fields = [
            read_column(cursor.sub(a, b), state, holder)[0]
            for a, b in cursor.split_items(start, stop)
        ]
        state.custom_types.append(
            CustomType(
                schema_name=schema, name=name.name, kind=CustomTypeKind.COMPOSITE, fields=fields
            )
        )
        return "type"
    return "type (range, base or shell)"


def read_create_domain(cursor: Cursor, state: ScriptState, line: int) -> str:
    """CREATE DOMAIN name [AS] type [DEFAULT x] [NOT NULL] [CONSTRAINT c] CHECK (...)..."""
    cursor.expect("CREATE", "DOMAIN")
    name = cursor.name()
    cursor.accept("AS")
    start = cursor.pos
    while not cursor.done() and not cursor.is_word(
        "DEFAULT", "NOT", "NULL", "CONSTRAINT", "CHECK", "COLLATE"
    ):
        if cursor.is_type(TokenType.L_PAREN):
            cursor.group()
        else:
            cursor.take()
    base_type = plain_text(cursor.source(start, cursor.pos), state)
    nullable, default, checks = True, None, []
    while not cursor.done():
        if cursor.accept("NOT", "NULL"):
            nullable = False
        elif cursor.accept("NULL"):
            nullable = True
        elif cursor.accept("DEFAULT"):
            default = plain_text(read_expression(cursor), state)
        elif cursor.accept("CONSTRAINT"):
            cursor.name_part()
        elif cursor.accept("CHECK"):
            group_start, group_stop = cursor.group()
            checks.append(strip_parens(plain_text(cursor.source(group_start, group_stop), state)))
        elif cursor.accept("COLLATE"):
            cursor.name()
        else:
            cursor.take()
    state.custom_types.append(
        CustomType(
            schema_name=state.key_of(name.schema, name.name)[0],
            name=name.name,
            kind=CustomTypeKind.DOMAIN,
            base_type=base_type,
            nullable=nullable,
            default=default,
            checks=checks,
        )
    )
    return "domain"


def read_create_view(cursor: Cursor, state: ScriptState, line: int) -> str:
    """CREATE [OR REPLACE] [options] [MATERIALIZED] VIEW name [(columns)] AS query."""
    cursor.expect("CREATE")
    materialized = False
    while not cursor.is_word("VIEW"):
        word = cursor.take().text.upper()
        materialized = materialized or word == "MATERIALIZED"
    cursor.expect("VIEW")
    cursor.accept("IF", "NOT", "EXISTS")
    name = cursor.name()
    cursor.skip_group()
    while not cursor.done() and not cursor.is_word("AS"):
        cursor.take()
    cursor.expect("AS")
    definition = cursor.rest()
    for ending in ("WITH NO DATA", "WITH DATA"):
        if definition.upper().endswith(ending):
            definition = definition[: -len(ending)].rstrip()
    schema = state.key_of(name.schema, name.name)[0]
    # A view created again (CREATE OR REPLACE, mysqldump's stand-ins) replaces the first.
    state.views = [v for v in state.views if (v.schema_name, v.name) != (schema, name.name)]
    state.views.append(
        View(
            schema_name=schema,
            name=name.name,
            definition=definition,
            materialized=materialized,
        )
    )
    return "materialized view" if materialized else "view"
