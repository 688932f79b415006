"""A change set as a readable text diff: what a person reviews before a change is applied.

Each table gets a line marked `+` (added), `~` (modified) or `-` (removed), with its
columns, keys, indexes, checks and settings indented under it; relationships and custom
types follow in their own sections, and a last line names the unchanged tables the
change reaches through foreign keys. A size limit cuts whole lines and says what it cut.
"""

import bisect

from chartdb_mcp.core.edit.changes import (
    ChangeSet,
    DetailChange,
    RelationshipChange,
    TableChange,
    TypeChange,
)

SIGNS = {"added": "+", "modified": "~", "removed": "-"}
INDENT = "    "
NO_CHANGES = "No changes: both versions have the same tables, relationships and custom types."
IMPACT_LABEL = "Affected, linked by foreign keys (unchanged)"


def render_change_text(changes: ChangeSet, max_chars: int | None = None) -> str:
    """The change set as lines of text, at most `max_chars` long when given.

    A text over the limit is cut after a whole line and ends with a line saying how many
    lines and tables were left out; it is never cut silently.
    """
    if changes.is_empty:
        return NO_CHANGES
    lines = change_lines(changes)
    text = "\n".join(lines)
    if max_chars is None or len(text) <= max_chars:
        return text
    return cut_to_fit(lines, max_chars, table_rows(changes))


def change_lines(changes: ChangeSet) -> list[str]:
    """Every line of the full text, tables first, the impact last."""
    lines = []
    for table in changes.tables:
        lines.append(table_line(table))
        lines += [INDENT + detail_line(detail) for detail in table.details]
    if changes.relationships:
        lines += ["", "Relationships:"]
        lines += [relationship_line(relationship) for relationship in changes.relationships]
    if changes.custom_types:
        lines += ["", "Custom types:"]
        lines += [type_line(custom_type) for custom_type in changes.custom_types]
    if changes.impact:
        lines += ["", f"{IMPACT_LABEL}: {', '.join(changes.impact)}"]
    return lines


def table_line(table: TableChange) -> str:
    """`+ table public.tags`, `~ table public.writers (renamed from public.authors)`."""
    line = f"{SIGNS[table.change]} table {table.name}"
    return line + (f" (renamed from {table.renamed_from})" if table.renamed_from else "")


def detail_line(detail: DetailChange) -> str:
    """`+ column title text NOT NULL`, `~ column title: type text → varchar(200)`."""
    head = " ".join(
        part
        for part in (SIGNS[detail.change], detail.element.replace("_", " "), detail.name)
        if part
    )
    if not detail.text:
        return head
    # A modified member's text is what changed, so it reads as "member: change".
    return f"{head}{': ' if detail.change == 'modified' else ' '}{detail.text}"


def relationship_line(relationship: RelationshipChange) -> str:
    """`+ post_tags_post_fk: public.post_tags(post_id) → public.posts(id)`."""
    name = f"{relationship.name}: " if relationship.name else ""
    return f"{SIGNS[relationship.change]} {name}{relationship.text}"


def type_line(custom_type: TypeChange) -> str:
    """`~ public.mood: enum (happy, sad) → enum (happy, sad, meh)`."""
    return f"{SIGNS[custom_type.change]} {custom_type.name}: {custom_type.text}"


def table_rows(changes: ChangeSet) -> list[int]:
    """The line number of each table's own line in `change_lines`."""
    rows, row = [], 0
    for table in changes.tables:
        rows.append(row)
        row += 1 + len(table.details)
    return rows


def cut_to_fit(lines: list[str], max_chars: int, table_rows: list[int]) -> str:
    """As many whole lines as fit, then a line on how many lines and tables were left out.

    When not even the note fits, the note alone is returned: saying that something was
    cut matters more than the limit.
    """
    # chars[kept] is the length of the first `kept` lines with their line breaks.
    chars = [0]
    for line in lines:
        chars.append(chars[-1] + len(line) + (1 if len(chars) > 1 else 0))
    note = ""
    for kept in range(len(lines) - 1, -1, -1):
        # table_rows ascend, so the tables at or after line `kept` are a tail of it.
        hidden_tables = len(table_rows) - bisect.bisect_left(table_rows, kept)
        note = left_out_note(len(lines) - kept, hidden_tables, len(table_rows))
        ends_in_gap = kept > 0 and not lines[kept - 1]
        if not ends_in_gap and chars[kept] + (1 if kept else 0) + len(note) <= max_chars:
            return "\n".join([*lines[:kept], note])
    return note


def left_out_note(hidden_lines: int, hidden_tables: int, table_count: int) -> str:
    """`… 12 more lines left out (2 of 5 tables not shown).`"""
    note = f"… {hidden_lines} more line{'s' if hidden_lines != 1 else ''} left out"
    if hidden_tables:
        note += f" ({hidden_tables} of {table_count} tables not shown)"
    return note + "."
