"""Write a diagram as DBML (https://dbml.dbdiagram.io/docs), built and rendered by pydbml.

DBML holds tables, columns, keys, indexes, references with their actions, enums, notes
and header colors. It has no views, checks, domains, canvas positions, collations or
generated columns, and pydbml's grammar accepts only the PostgreSQL index methods; the
export says what it left out. Types and names are quoted where DBML's grammar needs it.
"""

import re

from pydbml import Database
from pydbml.classes import Column as DbmlColumn
from pydbml.classes import Enum, Expression, Project, Reference, StickyNote
from pydbml.classes import Index as DbmlIndex
from pydbml.classes import Table as DbmlTable

from chartdb_mcp.core.formats.interchange.common import Exported, count_warning
from chartdb_mcp.core.model import (
    Cardinality,
    CustomTypeKind,
    DatabaseType,
    Diagram,
    ReferentialAction,
    Table,
)

# pydbml leaves out the schema 'public' when it renders, and assumes it when it parses.
DEFAULT_SCHEMA = "public"
DATABASE_NAMES = {
    DatabaseType.POSTGRESQL: "PostgreSQL",
    DatabaseType.MYSQL: "MySQL",
    DatabaseType.MARIADB: "MariaDB",
    DatabaseType.SQLITE: "SQLite",
    DatabaseType.SQLSERVER: "SQL Server",
    DatabaseType.ORACLE: "Oracle",
    DatabaseType.GENERIC: "Generic",
}
INDEX_METHODS = frozenset({"brin", "btree", "gin", "gist", "hash", "spgist"})
# A type DBML reads unquoted: a word, optional numeric arguments, optional [].
PLAIN_TYPE = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*(\(\d+(,\d+)?\))?(\[\])?$")
HEX_COLOR = re.compile(r"^#([0-9a-fA-F]{3}|[0-9a-fA-F]{6})$")
SQL_STRING = re.compile(r"^'((?:[^']|'')*)'$")
ACTIONS = {
    ReferentialAction.CASCADE: "cascade",
    ReferentialAction.RESTRICT: "restrict",
    ReferentialAction.SET_NULL: "set null",
    ReferentialAction.SET_DEFAULT: "set default",
}


def export_dbml(diagram: Diagram) -> Exported:
    """The diagram as DBML text, with a warning per kind of fact DBML cannot hold."""
    database = Database()
    lost: dict[str, list[str]] = {}
    names = Names(lost)
    database.add(
        Project(
            names.safe(diagram.name, diagram.name),
            items={"database_type": DATABASE_NAMES[diagram.database_type]},
            note=block_text(diagram.description),
        )
    )
    postgres = diagram.database_type == DatabaseType.POSTGRESQL
    named = [(t.schema_name, t.qualified_name) for t in diagram.tables]
    named += [(c.schema_name, c.qualified_name) for c in diagram.custom_types]
    for schema, label in named:
        schema_lost(schema, label, postgres, lost)
    for item in diagram.custom_types:
        if item.kind == CustomTypeKind.ENUM and item.values:
            label = item.qualified_name
            database.add(
                Enum(
                    names.safe(item.name, label),
                    [names.safe(value, f"{label}: {value}") for value in item.values],
                    schema=names.safe(item.schema_name or DEFAULT_SCHEMA, label),
                )
            )
        else:
            lost.setdefault("custom type", []).append(item.qualified_name)
    # A DBML table needs a column: pydbml would write an empty one, then refuse to read it.
    lost["no columns"] = [t.qualified_name for t in diagram.tables if not t.columns]
    tables = {table.id: table_of(table, lost, names) for table in diagram.tables if table.columns}
    for table in tables.values():
        database.add(table)
    for relationship in diagram.relationships:
        source, target = tables[relationship.source_table_id], tables[relationship.target_table_id]
        one_to_one = diagram.cardinality(relationship)[0] == Cardinality.ONE
        database.add(
            Reference(
                "-" if one_to_one else ">",
                [source[names.safe(name)] for name in relationship.source_columns],
                [target[names.safe(name)] for name in relationship.target_columns],
                name=reference_name(relationship.name),
                on_delete=ACTIONS.get(relationship.on_delete),
                on_update=ACTIONS.get(relationship.on_update),
            )
        )
    for number, note in enumerate(diagram.notes, start=1):
        database.add(StickyNote(f"note_{number}", block_text(note.content)))
    lost_diagram_facts(diagram, lost)
    return Exported(database.dbml + "\n", warnings(lost))


def schema_lost(schema: str | None, label: str, postgres: bool, lost: dict[str, list[str]]) -> None:
    """DBML cannot tell 'no schema' from 'public': PostgreSQL reads both as public."""
    if postgres and schema is None:
        lost.setdefault("default schema", []).append(label)
    elif not postgres and schema == DEFAULT_SCHEMA:
        lost.setdefault("public schema", []).append(label)


class Names:
    """Names as DBML can write them: its parser reads a quoted name up to the next `"`,
    with no escape, so a double quote in a name becomes a single one (and is reported)."""

    def __init__(self, lost: dict[str, list[str]]) -> None:
        self.lost = lost

    def safe(self, name: str, label: str | None = None) -> str:
        """`name` without double quotes; `label` says where, when the loss is to be told."""
        if '"' in name and label is not None:
            self.lost.setdefault("double quote", []).append(label)
        return name.replace('"', "'")


def table_of(table: Table, lost: dict[str, list[str]], names: Names) -> DbmlTable:
    """One DBML table: columns with their inline keys, then the index block."""
    label = table.qualified_name
    key = table.primary_key
    inline_key = key is not None and len(key.columns) == 1 and key.name is None
    single_unique = {u.columns[0] for u in table.unique_constraints if len(u.columns) == 1}
    color = table.color if table.color and HEX_COLOR.match(table.color) else None
    if table.color and color is None:
        lost.setdefault("color", []).append(label)
    result = DbmlTable(
        names.safe(table.name, label),
        schema=names.safe(table.schema_name or DEFAULT_SCHEMA, label),
        note=block_text(table.comment),
        header_color=color,
    )
    for column in table.columns:
        result.add_column(
            DbmlColumn(
                names.safe(column.name, f"{label}.{column.name}"),
                dbml_type(column.type),
                unique=column.name in single_unique,
                not_null=not column.nullable,
                pk=inline_key and key is not None and column.name in key.columns,
                autoinc=column.autoincrement or column.identity is not None,
                default=dbml_default(column.default),
                note=inline_text(column.comment),
            )
        )
        for what, value in (
            ("generated", column.generated),
            ("on update", column.on_update),
            ("identity", column.identity),
            ("collation", column.collation),
        ):
            if value is not None:
                lost.setdefault(what, []).append(f"{label}.{column.name}")
    if key is not None and not inline_key:
        result.add_index(
            DbmlIndex(
                [index_column(names.safe(c)) for c in key.columns],
                name=option_text(key.name),
                pk=True,
            )
        )
    for unique in table.unique_constraints:
        if unique.name is not None and len(unique.columns) == 1:
            lost.setdefault("unique name", []).append(f"{label}.{unique.name}")
        if len(unique.columns) > 1:
            columns = ", ".join(unique.columns)
            subject = f"{label}.{unique.name}" if unique.name else f"{label}({columns})"
            lost.setdefault("unique as index", []).append(subject)
            name = unique.name or "_".join([table.name, *unique.columns, "key"])
            subjects = [index_column(names.safe(c)) for c in unique.columns]
            result.add_index(DbmlIndex(subjects, name=option_text(name), unique=True))
    for index in table.indexes:
        index_label = f"{label}.{index.name}"
        method = (index.method or "").lower() or None
        if method is not None and method not in INDEX_METHODS:
            lost.setdefault("method", []).append(f"{index_label} ({index.method})")
            method = None
        for what, flag in (
            ("descending", any(p.descending for p in index.parts)),
            ("partial", index.where is not None),
            ("include", bool(index.include)),
        ):
            if flag:
                lost.setdefault(what, []).append(index_label)
        subjects = [
            index_column(names.safe(p.column))
            if p.column is not None
            else Expression(str(p.expression))
            for p in index.parts
        ]
        result.add_index(
            DbmlIndex(subjects, name=option_text(index.name), unique=index.unique, type=method)
        )
    if table.checks:
        lost.setdefault("check", []).extend(f"{label}: {c.expression}" for c in table.checks)
    if table.partition_by or table.partition_of or table.partition_bound:
        lost.setdefault("partitioning", []).append(label)
    return result


def option_text(text: str | None) -> str | None:
    """A name inside `[name: '...']`, which pydbml writes without escaping its quotes."""
    escaped = inline_text(text)
    return None if escaped is None else escaped.replace("'", "\\'")


def reference_name(name: str | None) -> str | None:
    """A reference's name, quoted unless it is a plain word (pydbml writes it bare)."""
    if name is None or re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", name):
        return name
    return '"' + name.replace('"', "") + '"'


def index_column(name: str) -> str:
    """A column as an index lists it; pydbml writes the name bare, so quote it ourselves."""
    return name if re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", name) else f'"{name}"'


def dbml_type(type_text: str) -> str:
    """The type as DBML reads it back whole: quoted unless it is one plain word."""
    return type_text if PLAIN_TYPE.match(type_text) else '"' + type_text.replace('"', "") + '"'


def dbml_default(default: str | None) -> str | Expression | None:
    """An SQL string literal as a DBML string; anything else as a backquoted expression."""
    if default is None:
        return None
    match = SQL_STRING.match(default)
    if match is not None:
        return inline_text(match[1].replace("''", "'"))
    return Expression(default)


# pydbml's parser reads backslash escapes in strings while its renderer writes text as it
# is; a column's note also keeps the indentation the renderer adds to its second line.
# So backslashes are doubled everywhere, and newlines written as \n in one-line strings.
def block_text(text: str | None) -> str | None:
    """Text for a note block, which may span lines."""
    return None if text is None else text.replace("\\", "\\\\")


def inline_text(text: str | None) -> str | None:
    """Text for a one-line string: a column's note or a string default."""
    return None if text is None else text.replace("\\", "\\\\").replace("\n", "\\n")


def lost_diagram_facts(diagram: Diagram, lost: dict[str, list[str]]) -> None:
    """Views, areas, canvas places and statuses: DBML has none of them."""
    lost["view"] = [view.qualified_name for view in diagram.views]
    lost["area"] = [area.name for area in diagram.areas]
    lost["position"] = [t.qualified_name for t in diagram.tables if t.position is not None]
    lost["note position"] = [f"note_{n}" for n, _ in enumerate(diagram.notes, start=1)]
    lost["status"] = [t.qualified_name for t in diagram.tables if t.status.value != "PLANNED"]


# Per kind of loss: (one, many, what happened).
LOSSES = {
    "default schema": (
        "table or type without a schema is",
        "tables or types without a schema are",
        "read back in the schema public, as PostgreSQL resolves them",
    ),
    "public schema": (
        "table or type in the schema public comes",
        "tables or types in the schema public come",
        "back without a schema: DBML does not tell the two apart",
    ),
    "double quote": (
        "name holds",
        "names hold",
        "a double quote, which DBML names cannot hold; written as a single quote",
    ),
    "no columns": (
        "table without columns was",
        "tables without columns were",
        "left out: a DBML table needs at least one column",
    ),
    "custom type": ("custom type was", "custom types were", "left out: DBML has enums only"),
    "color": (
        "table color was",
        "table colors were",
        "left out: DBML header colors are #rgb or #rrggbb",
    ),
    "generated": ("generated column lost", "generated columns lost", "the expression"),
    "on update": ("column lost", "columns lost", "the ON UPDATE expression"),
    "identity": (
        "identity column is",
        "identity columns are",
        "written as increment (the GENERATED kind is lost)",
    ),
    "collation": ("column lost", "columns lost", "the collation"),
    "unique name": (
        "single-column unique constraint lost",
        "single-column unique constraints lost",
        "the name: DBML marks the column unique",
    ),
    "unique as index": (
        "multi-column unique constraint was",
        "multi-column unique constraints were",
        "written as a unique index",
    ),
    "method": (
        "index lost",
        "indexes lost",
        "the method: DBML knows btree, hash, gin, gist, brin, spgist",
    ),
    "descending": ("index lost", "indexes lost", "the DESC order: DBML indexes have no order"),
    "partial": ("partial index lost", "partial indexes lost", "the WHERE predicate"),
    "include": ("index lost", "indexes lost", "the INCLUDE columns"),
    "check": ("check constraint was", "check constraints were", "left out: DBML has no checks"),
    "partitioning": ("table lost", "tables lost", "the partitioning details"),
    "view": ("view was", "views were", "left out: DBML has no views"),
    "area": ("area was", "areas were", "left out: DBML has no canvas areas"),
    "position": ("table lost", "tables lost", "the canvas position"),
    "note position": ("note lost", "notes lost", "the canvas position"),
    "status": ("table lost", "tables lost", "the status"),
}


def warnings(lost: dict[str, list[str]]) -> list[str]:
    found = []
    for what, names in lost.items():
        one, many, reason = LOSSES[what]
        shown = ", ".join(names[:5]) + (", ..." if len(names) > 5 else "")
        found += count_warning(len(names), one, many, f"{reason} ({shown}).")
    return found
