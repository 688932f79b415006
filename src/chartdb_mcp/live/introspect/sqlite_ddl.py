"""What only SQLite's stored CREATE statements tell, read with sqlglot's tokenizer.

SQLite keeps each CREATE TABLE and CREATE INDEX exactly as written in sqlite_master. The
PRAGMAs report most of it, but not the expression of a generated column, a column's
COLLATE, the parentheses around a DEFAULT expression, or the text of an expression index
key. These helpers cut those from the statement's tokens, so the text stays as declared
(comments and string literals cannot confuse them), and return nothing they cannot read.
"""

from dataclasses import dataclass

from sqlglot import Token, TokenError, TokenType
from sqlglot.dialects import Dialect

# https://www.sqlite.org/lang_createtable.html: what starts a table constraint.
TABLE_CONSTRAINT_STARTS = frozenset(
    {TokenType.CONSTRAINT, TokenType.PRIMARY_KEY, TokenType.FOREIGN_KEY, TokenType.UNIQUE}
)
# https://www.sqlite.org/datatype3.html#collation: BINARY is what a column has unless told.
DEFAULT_COLLATION = "BINARY"


@dataclass(frozen=True)
class ColumnClauses:
    """A column's clauses as its CREATE TABLE writes them; None where it has none.

    `generated` is the expression inside `AS (...)`, `default` a parenthesized DEFAULT
    with its parentheses, `collation` a COLLATE other than BINARY.
    """

    generated: str | None = None
    default: str | None = None
    collation: str | None = None


def column_clauses(sql: str) -> dict[str, ColumnClauses]:
    """Lowercased column name -> its clauses, from a CREATE TABLE statement.

    Returns {} when the statement cannot be read or has no column list.
    """
    tokens = tokenize(sql)
    kinds = [token.token_type for token in tokens]
    if TokenType.L_PAREN not in kinds or TokenType.ALIAS in kinds[: kinds.index(TokenType.L_PAREN)]:
        return {}
    found = {}
    for group in comma_groups(tokens, kinds.index(TokenType.L_PAREN)):
        if group and not starts_table_constraint(group[0]):
            found[group[0].text.lower()] = clauses_of(group[1:], sql)
    return found


def starts_table_constraint(token: Token) -> bool:
    """Whether a definition starting with `token` is a table constraint, not a column."""
    if token.token_type in TABLE_CONSTRAINT_STARTS:
        return True
    return token.token_type == TokenType.VAR and token.text.upper() == "CHECK"


def clauses_of(tokens: list[Token], sql: str) -> ColumnClauses:
    """The generated expression, parenthesized default and collation of one column."""
    generated = default = collation = None
    position = 0
    while position < len(tokens) - 1:
        kind, following = tokens[position].token_type, tokens[position + 1]
        if following.token_type == TokenType.L_PAREN and kind in (
            TokenType.ALIAS,
            TokenType.DEFAULT,
        ):
            closing = matching_paren(tokens, position + 1)
            if closing is None:
                return ColumnClauses()
            if kind == TokenType.ALIAS:
                generated = text_between(sql, tokens[position + 2 : closing])
            else:
                default = text_between(sql, tokens[position + 1 : closing + 1])
            position = closing
        elif kind == TokenType.COLLATE and following.text.upper() != DEFAULT_COLLATION:
            collation = following.text
        elif kind == TokenType.L_PAREN:
            position = matching_paren(tokens, position) or len(tokens)
        position += 1
    return ColumnClauses(generated=generated, default=default, collation=collation)


def matching_paren(tokens: list[Token], opening: int) -> int | None:
    """The position of the parenthesis that closes the one at `opening`, if any."""
    depth = 0
    for position in range(opening, len(tokens)):
        if tokens[position].token_type == TokenType.L_PAREN:
            depth += 1
        elif tokens[position].token_type == TokenType.R_PAREN:
            depth -= 1
            if depth == 0:
                return position
    return None


def text_between(sql: str, tokens: list[Token]) -> str | None:
    """The statement's own text from the first to the last of `tokens`."""
    return sql[tokens[0].start : tokens[-1].end + 1] if tokens else None


def key_texts(sql: str) -> list[str]:
    """The key parts of a CREATE INDEX statement as written, without COLLATE and ASC/DESC.

    Returns [] when the statement cannot be read.
    """
    tokens = tokenize(sql)
    kinds = [token.token_type for token in tokens]
    if TokenType.ON not in kinds or TokenType.L_PAREN not in kinds[kinds.index(TokenType.ON) :]:
        return []
    texts = []
    for group in comma_groups(tokens, kinds.index(TokenType.L_PAREN, kinds.index(TokenType.ON))):
        part = text_between(sql, bare_key(group))
        if not part:
            return []
        texts.append(part)
    return texts


def tokenize(sql: str) -> list[Token]:
    """The statement's SQLite tokens, or [] when it cannot be tokenized."""
    try:
        tokens: list[Token] = Dialect.get_or_raise("sqlite").tokenize(sql)
    except TokenError:
        return []
    return tokens


def comma_groups(tokens: list[Token], opening: int) -> list[list[Token]]:
    """The comma-separated token groups inside the parentheses opened at `opening`."""
    groups, first, depth = [], opening + 1, 0
    for position in range(opening, len(tokens)):
        kind = tokens[position].token_type
        if kind == TokenType.L_PAREN:
            depth += 1
        elif kind == TokenType.R_PAREN:
            depth -= 1
            if depth == 0:
                groups.append(tokens[first:position])
                break
        elif kind == TokenType.COMMA and depth == 1:
            groups.append(tokens[first:position])
            first = position + 1
    return groups


def bare_key(group: list[Token]) -> list[Token]:
    """A key part without its trailing ASC/DESC and COLLATE name."""
    end = len(group)
    while end and group[end - 1].token_type in (TokenType.ASC, TokenType.DESC):
        end -= 1
    if end > 2 and group[end - 2].token_type == TokenType.COLLATE:
        end -= 2
    return group[:end]
