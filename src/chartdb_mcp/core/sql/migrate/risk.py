"""Why a statement is risky on a table that holds rows: the reasons, as data and checks."""

import re

from chartdb_mcp.core.model import Column, DatabaseType
from chartdb_mcp.core.sql.migrate.plan import Risk
from chartdb_mcp.core.sql.types import normalize_type

DROP_TABLE = (Risk.DESTRUCTIVE, "drops the table and every row in it")
DROP_COLUMN = (Risk.DESTRUCTIVE, "drops the column and its values")
REBUILT_COLUMN = (
    Risk.DESTRUCTIVE,
    "the column is dropped and added again (its place or a property no ALTER changes "
    "differs), so its values are lost",
)
NOT_NULL_NO_DEFAULT = (
    Risk.BLOCKED,
    "adds a NOT NULL column without a default, which fails on a table with rows; "
    "give it a default or add it nullable and backfill first",
)
SET_NOT_NULL = (Risk.WARNING, "fails if any row holds NULL in the column")
NARROWING = (Risk.DESTRUCTIVE, "narrows the type; values that do not fit fail or are cut")
TYPE_CHANGE = (Risk.WARNING, "changes the type, which rewrites the column and may fail on values")
UNIQUE_ON_DATA = (Risk.WARNING, "fails if existing rows repeat a value")
FOREIGN_KEY_ON_DATA = (Risk.WARNING, "fails if existing rows reference missing parents")
CHECK_ON_DATA = (Risk.WARNING, "fails if existing rows break the check")
INDEX_NOT_CONCURRENT = (
    Risk.WARNING,
    "builds the index without CONCURRENTLY, blocking writes to the table while it runs",
)
REBUILD = (
    Risk.WARNING,
    "SQLite cannot ALTER this; the table is rebuilt (new table, copy, drop, rename)",
)
PRIMARY_KEY_ON_DATA = (Risk.WARNING, "fails if existing rows repeat a key or hold NULL")
DROP_TYPE = (Risk.DESTRUCTIVE, "drops the type")
DROP_SEQUENCE = (Risk.DESTRUCTIVE, "drops the sequence and the value it had reached")

SIZED = re.compile(r"^(?P<name>[a-z ]+?)\s*\((?P<args>[\d, ]+)\)")
INTEGER_WIDTHS = {"smallint": 2, "integer": 4, "bigint": 8, "tinyint": 1, "mediumint": 3}


def type_change(old: Column, new: Column, dialect: DatabaseType) -> tuple[Risk, str] | None:
    """The risk of changing `old`'s type to `new`'s: None when only the spelling differs."""
    before = normalize_type(old.type, dialect)
    after = normalize_type(new.type, dialect)
    if before == after:
        return None
    if is_widening(before, after):
        return Risk.SAFE, "widens the type"
    if is_narrowing(before, after):
        return NARROWING
    return TYPE_CHANGE


def sizes(type_text: str) -> tuple[str, list[int]] | None:
    """`varchar(20)` -> ("varchar", [20]); None for a type without size arguments."""
    match = SIZED.match(type_text)
    if match is None:
        return None
    return match.group("name"), [int(a) for a in match.group("args").replace(" ", "").split(",")]


def is_widening(before: str, after: str) -> bool:
    """A longer string, a bigger integer, more precision, or bounded text to text."""
    if INTEGER_WIDTHS.get(before, 99) < INTEGER_WIDTHS.get(after, 0):
        return True
    first, second = sizes(before), sizes(after)
    if first and after == "text" and first[0] in ("varchar", "char"):
        return True
    if first and second and first[0] == second[0]:
        return all(b >= a for a, b in zip(first[1], second[1], strict=False))
    return False


def is_narrowing(before: str, after: str) -> bool:
    """A shorter string, a smaller integer, less precision, or text to a bounded string."""
    if INTEGER_WIDTHS.get(before, 0) > INTEGER_WIDTHS.get(after, 99):
        return True
    first, second = sizes(before), sizes(after)
    if before == "text" and second and second[0] in ("varchar", "char"):
        return True
    if first and second and first[0] == second[0]:
        return any(b < a for a, b in zip(first[1], second[1], strict=False))
    return False
