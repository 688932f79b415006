"""The rule that names and types in proposed ops are one line of printable text.

Review answers, change lines and listings print each name on one line; a line break or
a control character in a table, column, schema, constraint or type name would let a
name pass for a change of its own (`+ column ...`) or hide characters from the person
reviewing. Comments, defaults and SQL expressions may span lines and are not checked.
"""

import unicodedata
from typing import Any

from chartdb_mcp.errors import InvalidChange

# Control, format (bidi overrides, zero-width) and line or paragraph separators.
UNPRINTABLE = {"Cc", "Cf", "Zl", "Zp"}

# Fields of an op's JSON form that hold a name or a type as the database spells it.
NAME_FIELDS = {"name", "new_name", "schema_name", "new_schema", "type", "normalized_type"}


def check_printable_names(dumped: Any) -> None:
    """InvalidChange naming the first name or type in the op's JSON form that holds a
    line break, a control or a format character."""
    if isinstance(dumped, dict):
        for field, value in dumped.items():
            if field in NAME_FIELDS and isinstance(value, str) and not printable(value):
                raise InvalidChange(
                    f"The {field.replace('_', ' ')} {value!r} holds a line break or a "
                    "control character; names and types must be one line of printable text."
                )
            check_printable_names(value)
    elif isinstance(dumped, list):
        for item in dumped:
            check_printable_names(item)


def printable(text: str) -> bool:
    """Whether the text has no character that `one_line` would turn into a space."""
    return not any(unicodedata.category(char) in UNPRINTABLE for char in text)
