"""A query result as a plain text table, within a character budget."""

import json
from typing import Any

WIDEST_CELL = 40


def result_table(columns: list[str], rows: list[list[Any]], budget: int) -> tuple[str, int]:
    """The rows as an aligned text table of at most about `budget` characters.

    Returns the table and how many rows it shows; rows that do not fit are left out
    from the end (the caller says so).
    """
    if not columns:
        return "", 0
    cells = [[cell_text(value, WIDEST_CELL) for value in row] for row in rows]
    widths = [min(WIDEST_CELL, len(name)) for name in columns]
    for row in cells:
        widths = [max(width, len(cell)) for width, cell in zip(widths, row, strict=True)]
    header = " | ".join(
        cell_text(name, WIDEST_CELL).ljust(w) for name, w in zip(columns, widths, strict=True)
    )
    lines = [header, "-+-".join("-" * width for width in widths)]
    used = len(header) * 2 + 2
    shown = 0
    for row in cells:
        line = " | ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True))
        if used + len(line) + 1 > budget:
            break
        lines.append(line.rstrip())
        used += len(line) + 1
        shown += 1
    return "\n".join(lines), shown


def cell_text(value: Any, width: int) -> str:
    """A JSON-safe value as one cell: NULL for None, on one line, cut to `width` characters."""
    if value is None:
        text = "NULL"
    elif isinstance(value, str):
        text = value
    else:
        text = json.dumps(value, ensure_ascii=False)
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"
