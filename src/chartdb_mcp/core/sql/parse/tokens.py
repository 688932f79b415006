"""A cursor over one statement's sqlglot tokens, with the source text of any span.

The statement readers walk tokens rather than sqlglot's syntax tree because the model
keeps types, defaults and expressions as the script spells them (so they compare with
what a database's catalog prints), and a tree re-renders them. sqlglot's tokenizer does
the dialect's lexing: quoted names, strings, dollar quotes, numbers and operators.
"""

import re
from dataclasses import dataclass

from sqlglot import Token, TokenError, TokenType
from sqlglot.dialects import Dialect

from chartdb_mcp.core.model import DatabaseType
from chartdb_mcp.core.sql.types import TOKENIZER_DIALECTS

WORDLIKE = re.compile(r"[\w$#@]+")
NOT_NAMES = frozenset(
    {
        TokenType.L_PAREN,
        TokenType.R_PAREN,
        TokenType.COMMA,
        TokenType.DOT,
        TokenType.SEMICOLON,
        TokenType.STRING,
        TokenType.NUMBER,
    }
)


# Array subscripts and constructors (`ARRAY['a', 'b']`) nest like parentheses.
OPENERS = frozenset({TokenType.L_PAREN, TokenType.L_BRACKET})
CLOSERS = frozenset({TokenType.R_PAREN, TokenType.R_BRACKET})
QUOTED = frozenset(
    {TokenType.STRING, TokenType.IDENTIFIER, TokenType.NATIONAL_STRING, TokenType.HEREDOC_STRING}
)


class ReadError(ValueError):
    """A statement does not have the shape its first words promise."""


@dataclass(frozen=True)
class Name:
    """A possibly qualified name: the last part is the object, the one before its schema."""

    parts: tuple[str, ...]

    @property
    def name(self) -> str:
        """The object's own name."""
        return self.parts[-1]

    @property
    def schema(self) -> str | None:
        """The qualifier just before the name, if any."""
        return self.parts[-2] if len(self.parts) > 1 else None


def tokenize(text: str, database: DatabaseType) -> list[Token]:
    """sqlglot's tokens of `text` in the dialect; ReadError if it cannot lex it."""
    try:
        dialect = Dialect.get_or_raise(TOKENIZER_DIALECTS[database] or None)
        tokens = dialect.tokenize(text)
    except TokenError as error:
        raise ReadError(f"cannot be tokenized: {str(error).splitlines()[0][:120]}") from error
    return [part for token in tokens for part in single_words(token, text)]


def single_words(token: Token, text: str) -> list[Token]:
    """sqlglot lexes some word pairs as one keyword (`PRIMARY KEY`); give one token per word."""
    if token.token_type in QUOTED or not any(char.isspace() for char in token.text):
        return [token]
    source = text[token.start : token.end + 1]
    return [
        Token(
            TokenType.VAR,
            match.group(),
            line=token.line,
            start=token.start + match.start(),
            end=token.start + match.end() - 1,
        )
        for match in re.finditer(r"\S+", source)
    ]


class Cursor:
    """Reads tokens in order; `word` tests compare unquoted tokens case-insensitively."""

    def __init__(self, text: str, tokens: list[Token]) -> None:
        self.text = text
        self.tokens = tokens
        self.pos = 0

    @classmethod
    def of(cls, text: str, database: DatabaseType) -> "Cursor":
        """A cursor at the start of `text`."""
        return cls(text, tokenize(text, database))

    def done(self) -> bool:
        """Whether every token was read."""
        return self.pos >= len(self.tokens)

    def peek(self, ahead: int = 0) -> Token | None:
        """The token `ahead` places on, or None past the end."""
        index = self.pos + ahead
        return self.tokens[index] if index < len(self.tokens) else None

    def is_word(self, *words: str, ahead: int = 0) -> bool:
        """Whether the next token is one of `words` (unquoted)."""
        token = self.peek(ahead)
        return (
            token is not None
            and token.token_type != TokenType.IDENTIFIER
            and token.text.upper() in words
        )

    def is_type(self, kind: TokenType, ahead: int = 0) -> bool:
        """Whether the next token has this sqlglot token type."""
        token = self.peek(ahead)
        return token is not None and token.token_type == kind

    def take(self) -> Token:
        """The next token; ReadError at the end."""
        token = self.peek()
        if token is None:
            raise ReadError("ends too early")
        self.pos += 1
        return token

    def accept(self, *words: str) -> bool:
        """Consume the words in sequence if they are next; False (nothing read) if not."""
        if all(self.is_word(word, ahead=offset) for offset, word in enumerate(words)):
            self.pos += len(words)
            return True
        return False

    def expect(self, *words: str) -> None:
        """Consume the words or fail naming the first one missing."""
        if not self.accept(*words):
            found = self.peek()
            shown = found.text if found is not None else "the end"
            raise ReadError(f"expected {' '.join(words)} but found {shown!r}")

    def accept_type(self, kind: TokenType) -> bool:
        """Consume one token of this type if it is next."""
        if self.is_type(kind):
            self.pos += 1
            return True
        return False

    def name(self) -> Name:
        """A dotted name such as `schema.table` or `"Quoted"."Name"`."""
        parts = [self.name_part()]
        while self.accept_type(TokenType.DOT):
            parts.append(self.name_part())
        return Name(tuple(parts))

    def name_part(self) -> str:
        """One part of a name: a quoted identifier or any word-like token."""
        token = self.take()
        if token.token_type == TokenType.IDENTIFIER:
            return token.text
        if token.token_type in NOT_NAMES or not WORDLIKE.fullmatch(token.text):
            raise ReadError(f"expected a name but found {token.text!r}")
        return token.text

    def group(self) -> tuple[int, int]:
        """Read a parenthesized group; returns the token range inside the parentheses."""
        if not self.accept_type(TokenType.L_PAREN):
            found = self.peek()
            raise ReadError(f"expected '(' but found {found.text if found else 'the end'!r}")
        start, depth = self.pos, 1
        while depth:
            token = self.take()
            if token.token_type == TokenType.L_PAREN:
                depth += 1
            elif token.token_type == TokenType.R_PAREN:
                depth -= 1
        return start, self.pos - 1

    def skip_group(self) -> None:
        """Skip a parenthesized group if one is next."""
        if self.is_type(TokenType.L_PAREN):
            self.group()

    def source(self, start: int, stop: int) -> str:
        """The statement text of tokens [start, stop) exactly as written."""
        if stop <= start:
            return ""
        return self.text[self.tokens[start].start : self.tokens[stop - 1].end + 1]

    def until(self, stop_words: frozenset[str], *, stop_at_comma: bool = True) -> tuple[int, int]:
        """Tokens up to a stop word (or comma, or closing parenthesis) at depth 0."""
        start, depth = self.pos, 0
        while not self.done():
            token = self.tokens[self.pos]
            kind = token.token_type
            if depth == 0:
                if kind in CLOSERS or (stop_at_comma and kind == TokenType.COMMA):
                    break
                if kind != TokenType.IDENTIFIER and token.text.upper() in stop_words:
                    break
            if kind in OPENERS:
                depth += 1
            elif kind in CLOSERS:
                depth -= 1
            self.pos += 1
        return start, self.pos

    def split_items(self, start: int, stop: int) -> list[tuple[int, int]]:
        """Token ranges of the comma-separated items in [start, stop) at depth 0."""
        items, depth, item_start = [], 0, start
        for index in range(start, stop):
            kind = self.tokens[index].token_type
            if kind in OPENERS:
                depth += 1
            elif kind in CLOSERS:
                depth -= 1
            elif kind == TokenType.COMMA and depth == 0:
                items.append((item_start, index))
                item_start = index + 1
        if item_start < stop:
            items.append((item_start, stop))
        return items

    def sub(self, start: int, stop: int) -> "Cursor":
        """A cursor over tokens [start, stop) of the same text."""
        return Cursor(self.text, self.tokens[start:stop])

    def rest(self) -> str:
        """The source text from the cursor to the end."""
        return self.source(self.pos, len(self.tokens))

    def string(self) -> str:
        """A string literal's value."""
        token = self.take()
        if token.token_type not in (TokenType.STRING, TokenType.NATIONAL_STRING):
            raise ReadError(f"expected a string but found {token.text!r}")
        return token.text

    def name_list(self) -> list[str]:
        """A parenthesized list of plain column names, in order."""
        start, stop = self.group()
        names = []
        for item_start, item_stop in self.split_items(start, stop):
            names.append(self.sub(item_start, item_stop).name().name)
        return names
