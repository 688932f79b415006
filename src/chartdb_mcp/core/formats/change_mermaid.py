"""A change set as a Mermaid ER diagram of the area it touches, styled by what happened.

Only the changed tables and the unchanged tables linked to them are drawn: added ones
green, modified yellow, removed red, linked ones grey. A change to a custom type draws
the unchanged tables whose columns use it, white with a yellow border, each such column
marked (`~ uses changed type mood`). In a modified table each changed
column carries a comment (`+ added`, `~ type text → varchar(200)`, `- removed`), and
removed columns are still listed. Relationships between drawn tables use crow's-foot
ends; a changed one's label starts with its mark.

Mermaid's erDiagram grammar is narrower than SQL, so names and types are rewritten
deterministically: entities get plain identifiers with the real name as their alias,
attribute words lose characters the grammar rejects, and quotes in text become single
quotes. The grammar is in mermaid's erDiagram.jison
(https://github.com/mermaid-js/mermaid/blob/develop/packages/mermaid/src/diagrams/er/parser/erDiagram.jison);
styling entities with classDef and class needs Mermaid 11.5 or later.
"""

import re
from dataclasses import dataclass, replace
from typing import Literal

from chartdb_mcp.core.edit.changes import ChangeKind, ChangeSet, TableChange
from chartdb_mcp.core.edit.ops.custom_types import type_mention, uses_type
from chartdb_mcp.core.edit.ops.lookup import table_with_id
from chartdb_mcp.core.model import Cardinality, Column, Diagram, Relationship, Table

State = Literal["added", "modified", "removed", "typed", "linked"]
# Fill, border and text colour per state. Style values may not contain dots, so no
# fractional opacity: a linked table is dimmed with grey instead.
CLASS_STYLES: dict[State, str] = {
    "added": "fill:#dcfce7,stroke:#16a34a,color:#14532d",
    "modified": "fill:#fef9c3,stroke:#ca8a04,color:#713f12",
    "removed": "fill:#fee2e2,stroke:#dc2626,color:#7f1d1d",
    "typed": "fill:#ffffff,stroke:#ca8a04,color:#713f12",
    "linked": "fill:#f3f4f6,stroke:#9ca3af,color:#9ca3af",
}
SIGNS = {"added": "+", "modified": "~", "removed": "-"}
TYPE_WORDS = {"added": "added type", "modified": "changed type", "removed": "removed type"}
LEGEND = (
    "%% Tables touched by the change: green added, yellow modified, red removed, "
    "white with a yellow border unchanged but using a changed custom type, "
    "grey unchanged but linked by a foreign key."
)
# Words the erDiagram lexer (case-insensitively) takes for a keyword, or the start of one,
# where an entity name may stand; an entity id that is one of them gets a prefix.
RESERVED = {
    "accdescr",
    "acctitle",
    "class",
    "classdef",
    "direction",
    "end",
    "erdiagram",
    "many",
    "one",
    "only",
    "optionally",
    "style",
    "subgraph",
    "to",
    "u",
    "zero",
}
# Characters an attribute type or name may hold, and what it may start with. Mermaid
# 11.5, the first release that styles ER entities, has no `.` or `,` here (later ones do),
# so `numeric(10,2)` is drawn as `numeric(10_2)`.
ATTRIBUTE_REJECTED = re.compile(r"[^A-Za-z0-9\-_\[\]()\u00C0-\uFFFF]")
ATTRIBUTE_START = re.compile(r"[A-Za-z_\u00C0-\uFFFF]")
# The lexer takes PK, FK or UK followed by a word boundary as a key marker.
KEY_WORD = re.compile(r"(?i)(pk|fk|uk)\b")
# Outside entity blocks, a line holding `direction TB` (or BT, RL, LR) anywhere, even in
# quotes, is read as a direction statement; joining the words keeps a name a name.
DIRECTION = re.compile(r"(?i)(direction)\s+(TB|BT|RL|LR)")


@dataclass(frozen=True)
class Drawn:
    """A table to draw: which version of it, from which diagram, in which state."""

    table: Table
    diagram: Diagram
    state: State
    change: TableChange | None = None
    type_marks: tuple[tuple[str, str], ...] = ()


def render_change_mermaid(
    changes: ChangeSet, before: Diagram, after: Diagram, max_tables: int = 40
) -> str:
    """An erDiagram of the changed tables and their unchanged neighbours.

    At most `max_tables` tables are drawn, changed ones first; a `%%` comment says how
    many were left out.
    """
    drawn = drawn_tables(changes, before, after)
    left_out = drawn[max_tables:]
    drawn = drawn[:max_tables]
    ids = entity_ids([item.table for item in drawn])
    lines = ["erDiagram", f"    {LEGEND}"]
    if changes.is_empty:
        lines.append("    %% No changes.")
    if left_out:
        changed = sum(1 for item in left_out if item.state != "linked")
        lines.append(
            f"    %% {len(left_out)} more tables left out ({changed} changed, "
            f"{len(left_out) - changed} linked); the text diff lists every change."
        )
    for item in drawn:
        lines += entity_lines(item, ids[item.table.id], before)
    lines += relationship_lines(changes, before, after, ids)
    lines += style_lines(drawn, ids)
    return "\n".join(lines)


def drawn_tables(changes: ChangeSet, before: Diagram, after: Diagram) -> list[Drawn]:
    """Changed tables in the change set's order, then the linked ones."""
    drawn = []
    for change in changes.tables:
        diagram = before if change.change == "removed" else after
        table = table_with_id(diagram, change.table_id)
        if table is not None:
            drawn.append(Drawn(table, diagram, change.change, change))
    marks = type_marks(changes, before, after)
    drawn = [replace(item, type_marks=marks.get(item.table.id, ())) for item in drawn]
    shown = {item.table.id for item in drawn}
    drawn += [
        Drawn(table, after, "typed", type_marks=marks[table.id])
        for table in after.tables
        if table.id in marks and table.id not in shown
    ]
    shown = {item.table.id for item in drawn}
    by_name = {table.qualified_name: table for table in after.tables}
    drawn += [
        Drawn(by_name[name], after, "linked")
        for name in changes.impact
        if name in by_name and by_name[name].id not in shown
    ]
    return drawn


def type_marks(
    changes: ChangeSet, before: Diagram, after: Diagram
) -> dict[str, tuple[tuple[str, str], ...]]:
    """Per table id, (column name, mark) for each column that uses a changed custom type.

    A column counts when its type names the type as it was before or as it is after.
    """
    versions = {t.id: t for t in before.custom_types} | {t.id: t for t in after.custom_types}
    olds = {t.id: t for t in before.custom_types}
    marks: dict[str, list[tuple[str, str]]] = {}
    for change in changes.custom_types:
        patterns = [type_mention(t) for t in (olds.get(change.id), versions.get(change.id)) if t]
        for table in after.tables:
            for column in table.columns:
                if any(uses_type(column, pattern) for pattern in patterns):
                    mark = f"{SIGNS[change.change]} uses {TYPE_WORDS[change.change]} {change.name}"
                    marks.setdefault(table.id, []).append((column.name, mark))
    return {table_id: tuple(found) for table_id, found in marks.items()}


def entity_ids(tables: list[Table]) -> dict[str, str]:
    """A Mermaid identifier per table id: the name reduced to [A-Za-z0-9_], made unique."""
    ids: dict[str, str] = {}
    for table in tables:
        base = re.sub(r"[^A-Za-z0-9_]", "_", table.qualified_name)
        if not base[0].isalpha() or base.lower() in RESERVED:
            base = f"t_{base}"
        candidate, number = base, 1
        while candidate in ids.values():
            number += 1
            candidate = f"{base}_{number}"
        ids[table.id] = candidate
    return ids


def entity_lines(item: Drawn, entity_id: str, before: Diagram) -> list[str]:
    """The entity block: its alias (the readable name) and one line per column."""
    label = item.table.qualified_name
    if item.change is not None and item.change.renamed_from:
        label += f" (was {item.change.renamed_from})"
    label = alias_text(label)
    head = entity_id if label == entity_id else f'{entity_id}["{label}"]'
    rows = [f"        {row}" for row in column_rows(item, before)]
    return [f"    {head} {{", *rows, "    }"]


def column_rows(item: Drawn, before: Diagram) -> list[str]:
    """`type name KEYS "comment"` per column; a modified table also lists removed columns."""
    table, change = item.table, item.change
    typed = dict(item.type_marks)
    if change is None or change.change != "modified":
        return [
            column_row(table, column, item.diagram, typed.get(column.name, ""))
            for column in table.columns
        ]
    marks = {(d.name, d.change): d.text for d in change.details if d.element == "column"}
    rows = [
        column_row(table, column, item.diagram, column_mark(column.name, marks, typed))
        for column in table.columns
    ]
    before_table = table_with_id(before, table.id)
    kept = {column.id for column in table.columns}
    if before_table is not None:
        rows += [
            column_row(before_table, column, before, "- removed")
            for column in before_table.columns
            if column.id not in kept
        ]
    return rows


def column_mark(name: str, marks: dict[tuple[str, ChangeKind], str], typed: dict[str, str]) -> str:
    """`+ added` or `~ what changed` for a column of a modified table, else the mark of a
    changed type it uses; empty if neither."""
    if (name, "added") in marks:
        return "+ added"
    if (name, "modified") in marks:
        return f"~ {marks[(name, 'modified')]}"
    return typed.get(name, "")


def column_row(table: Table, column: Column, diagram: Diagram, mark: str) -> str:
    """One attribute line, with the real column name in the comment if it had to change."""
    name = attribute_word(column.name)
    keys = column_keys(table, column.name, diagram)
    notes = [mark] if mark else []
    if name != column.name:
        notes.append(f"name {column.name}")
    row = f"{attribute_word(column.type)} {name}"
    row += f" {', '.join(keys)}" if keys else ""
    return row + (f' "{comment_text("; ".join(notes))}"' if notes else "")


def column_keys(table: Table, name: str, diagram: Diagram) -> list[str]:
    """PK, FK and UK markers of the column, in that order."""
    keys = []
    if table.primary_key is not None and name in table.primary_key.columns:
        keys.append("PK")
    if any(
        relationship.source_table_id == table.id and name in relationship.source_columns
        for relationship in diagram.relationships
    ):
        keys.append("FK")
    single_unique = [u.columns for u in table.unique_constraints] + [
        index.columns for index in table.indexes if index.unique and index.where is None
    ]
    if [name] in single_unique:
        keys.append("UK")
    return keys


def relationship_lines(
    changes: ChangeSet, before: Diagram, after: Diagram, ids: dict[str, str]
) -> list[str]:
    """Relationships between drawn tables: current ones, then removed ones from before."""
    kinds: dict[str, ChangeKind] = {change.id: change.change for change in changes.relationships}
    drawn: list[tuple[Relationship, Diagram, str]] = [
        (relationship, after, SIGNS[kinds[relationship.id]] if relationship.id in kinds else "")
        for relationship in after.relationships
    ]
    drawn += [
        (relationship, before, SIGNS["removed"])
        for relationship in before.relationships
        if kinds.get(relationship.id) == "removed"
    ]
    return [
        relationship_line(relationship, diagram, ids, sign)
        for relationship, diagram, sign in drawn
        if relationship.source_table_id in ids and relationship.target_table_id in ids
    ]


def relationship_line(
    relationship: Relationship, diagram: Diagram, ids: dict[str, str], sign: str
) -> str:
    """`source }o--|| target : "+ post_id"` with crow's-foot ends read from the keys.

    The source end is one or many as its columns are unique or not; the target end is
    optional when a foreign key column may be null. A solid line marks a foreign key
    that is part of the source's primary key (an identifying relationship).
    """
    source_side, _ = diagram.cardinality(relationship)
    source = table_with_id(diagram, relationship.source_table_id)
    columns = [source.column(name) for name in relationship.source_columns] if source else []
    optional = any(column is None or column.nullable for column in columns)
    key = set(source.primary_key.columns) if source and source.primary_key else set()
    line = "--" if set(relationship.source_columns) <= key else ".."
    left = "}o" if source_side == Cardinality.MANY else "|o"
    right = "o|" if optional else "||"
    label = label_text(" ".join(filter(None, [sign, ", ".join(relationship.source_columns)])))
    return (
        f"    {ids[relationship.source_table_id]} {left}{line}{right} "
        f'{ids[relationship.target_table_id]} : "{label}"'
    )


def style_lines(drawn: list[Drawn], ids: dict[str, str]) -> list[str]:
    """A classDef per state in use and one class line assigning the tables to it."""
    lines = []
    for state, style in CLASS_STYLES.items():
        members = [ids[item.table.id] for item in drawn if item.state == state]
        if members:
            lines += [f"    classDef {state} {style}", f"    class {','.join(members)} {state}"]
    return lines


def attribute_word(text: str) -> str:
    """A type or column name as one attribute word: quotes and spaces around brackets and
    commas go, other spaces and rejected characters (commas and dots too) become `_`; a
    word that would start badly or read as a key marker gets a leading `_`."""
    word = re.sub(r"[\"'`]", "", text.strip())
    word = re.sub(r"\s*([)\]])", r"\1", re.sub(r"\s*([(\[,])\s*", r"\1", word))
    word = ATTRIBUTE_REJECTED.sub("_", re.sub(r"\s+", "_", word)) or "_"
    if not ATTRIBUTE_START.match(word) or KEY_WORD.match(word):
        word = f"_{word}"
    return word


def comment_text(text: str) -> str:
    """Text safe inside a double-quoted attribute comment: one line, no double quotes, and
    no `%%`, which could open a directive (`%%{init: ...}%%`) anywhere in the text."""
    return " ".join(re.sub("%{2,}", "%", text.replace('"', "'")).split())


def label_text(text: str) -> str:
    """Text safe as a relationship label, which the lexer reads outside entity blocks."""
    return DIRECTION.sub(r"\1_\2", comment_text(text))


def alias_text(text: str) -> str:
    """Text safe as an entity alias, which may not hold `"`, `%` or a backslash either."""
    return label_text(text).replace("%", "_").replace("\\", "/")
