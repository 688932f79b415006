"""How databases spell the same thing differently: types, defaults and expressions.

`same_type` compares types through `normalize_type`; `same_default` and
`bare_expression` read defaults, checks, index expressions and predicates with sqlglot
and drop what a server adds when it reports them back: casts of literals and to text,
parentheses around a single term, identifier quotes, case outside string literals and
spacing. Parentheses that change the meaning stay.
"""

import re
from typing import Any

from sqlglot import ParseError, TokenError, exp, parse_one

from chartdb_mcp.core.model import DatabaseType
from chartdb_mcp.core.sql.types import TOKENIZER_DIALECTS, normalize_type

LITERAL_CAST = re.compile(
    r"('(?:[^']|'')*'|-?\d+(?:\.\d+)?)::[a-z_][\w .\"\[\]]*(\(\d+(,\s*\d+)?\))?", re.I
)

# Spellings of one default that databases report differently.
DEFAULT_ALIASES = {
    "current_timestamp()": "current_timestamp",
    "now()": "current_timestamp",
    "current_date()": "current_date",
    "curdate()": "current_date",
    "true": "1",
    "false": "0",
}

TEXT_TYPES = {"text", "varchar", "char", "nvarchar", "nchar", "bpchar"}

MAX_PASSES = 8

# Nodes that never need parentheses around them; a paren around one is the server's.
ATOMS = (exp.Column, exp.Literal, exp.Func, exp.Paren, exp.Cast, exp.Null, exp.Boolean)

STRING_LITERAL = re.compile(r"('(?:[^']|'')*')")


def same_type(first: str, second: str, dialect: DatabaseType) -> bool:
    """Whether two type spellings name the same type in `dialect`."""
    return normalize_type(first, dialect) == normalize_type(second, dialect)


def same_default(first: str | None, second: str | None, dialect: DatabaseType) -> bool:
    """Whether two defaults are one expression spelled two ways."""
    return canonical_default(first or "null", dialect) == canonical_default(
        second or "null", dialect
    )


def canonical_default(text: str, dialect: DatabaseType) -> str:
    """A default without literal casts, outer parentheses, case or spacing differences."""
    value = text.strip()
    previous = None
    while previous != value:
        previous = value
        value = LITERAL_CAST.sub(r"\1", value).strip()
        if value.startswith("(") and value.endswith(")") and balanced(value[1:-1]):
            value = value[1:-1].strip()
    if not value.startswith("'"):
        value = squeeze(value)
    value = DEFAULT_ALIASES.get(value, value)
    bare = bare_expression(value, dialect)
    return DEFAULT_ALIASES.get(bare, bare)


def balanced(text: str) -> bool:
    """Whether the parentheses of `text` pair up (outside string literals)."""
    depth = 0
    quoted = False
    for char in text:
        if char == "'":
            quoted = not quoted
        elif not quoted and char == "(":
            depth += 1
        elif not quoted and char == ")":
            depth -= 1
            if depth < 0:
                return False
    return depth == 0


def bare_expression(text: str, dialect: DatabaseType | None = None) -> str:
    """An expression without casts to text or of literals, redundant parentheses,
    identifier quotes, case or spacing; sqlglot reads it in `dialect`."""
    try:
        tree = parse_one(text, read=TOKENIZER_DIALECTS[dialect] if dialect else None)
    except (ParseError, TokenError, ValueError):
        tree = None
    if tree is not None:
        for _ in range(MAX_PASSES):  # a node replaced in one pass is visited in the next
            previous, tree = tree, tree.transform(plainer)
            if tree == previous:
                break
        text = tree.sql()
    value = squeeze(text.replace("`", "").replace('"', ""))
    while value.startswith("(") and value.endswith(")") and balanced(value[1:-1]):
        value = value[1:-1]
    return value


def plainer(node: Any) -> Any:
    """Drop what databases add when they report an expression back."""
    if isinstance(node, exp.Paren) and (isinstance(node.this, ATOMS) or node.parent is None):
        return node.this
    if isinstance(node, exp.Cast):
        inner = node.this
        while isinstance(inner, exp.Paren):
            inner = inner.this
        target = node.to.sql().lower().split("(")[0]
        if isinstance(inner, exp.Literal) or target in TEXT_TYPES:
            return inner
    return node


def squeeze(text: str) -> str:
    """Text with its spacing removed and lowercased, except inside string literals."""
    pieces = STRING_LITERAL.split(text)
    return "".join(
        piece if number % 2 else re.sub(r"\s+", "", piece).lower()
        for number, piece in enumerate(pieces)
    )


def expression_of(text: str | None, dialect: DatabaseType) -> str:
    """An index expression as `bare_expression` spells it."""
    return bare_expression(text or "", dialect)
