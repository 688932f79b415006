"""normalize_type: aliases of one type get one spelling, distinct types stay apart."""

import pytest

from chartdb_mcp.core.model import DatabaseType
from chartdb_mcp.core.sql.types import normalize_type

POSTGRES = [
    ("integer", "integer"),
    ("int4", "integer"),
    ("INT", "integer"),
    ("serial", "integer"),
    ("int8", "bigint"),
    ("bigserial", "bigint"),
    ("int2", "smallint"),
    ("bool", "boolean"),
    ("character varying(45)", "varchar(45)"),
    ("VARCHAR(45)", "varchar(45)"),
    ("character varying", "varchar"),
    ("character(20)", "char(20)"),
    ("bpchar(20)", "char(20)"),
    ("char", "char(1)"),
    ("bpchar", "bpchar"),
    ('"char"', '"char"'),
    ("timestamp without time zone", "timestamp"),
    ("timestamp with time zone", "timestamptz"),
    ("TIMESTAMP WITH TIME ZONE", "timestamptz"),
    ("timestamp(3) with time zone", "timestamptz(3)"),
    ("time with time zone", "timetz"),
    ("numeric(5, 2)", "numeric(5,2)"),
    ("decimal(5,2)", "numeric(5,2)"),
    ("double precision", "double precision"),
    ("float8", "double precision"),
    ("float", "double precision"),
    ("float(24)", "real"),
    ("float4", "real"),
    ("bit varying(5)", "varbit(5)"),
    ("bit", "bit(1)"),
    ("text[]", "text[]"),
    ("TEXT[]", "text[]"),
    ("integer[3][3]", "integer[][]"),
    ("mpaa_rating", "mpaa_rating"),
    ('"mpaa_rating"', "mpaa_rating"),
    ("public.mpaa_rating", "public.mpaa_rating"),
    ('"bıgınt"', '"bıgınt"'),
    ('public."My Type"[]', 'public."My Type"[]'),
    ("interval day to second(3)", "interval day to second(3)"),
    ("geometry(Point, 4326)", "geometry(point,4326)"),
    ("tsvector", "tsvector"),
]

MYSQL = [
    ("int(10) unsigned", "integer unsigned"),
    ("INTEGER(10) UNSIGNED", "integer unsigned"),
    ("int unsigned", "integer unsigned"),
    ("int(11)", "integer"),
    ("int signed", "integer"),
    ("smallint(5) unsigned", "smallint unsigned"),
    ("tinyint(3) unsigned", "tinyint unsigned"),
    ("tinyint(1)", "tinyint(1)"),
    ("boolean", "tinyint(1)"),
    ("bool", "tinyint(1)"),
    ("bigint(20) unsigned zerofill", "bigint unsigned zerofill"),
    ("decimal", "numeric(10,0)"),
    ("decimal(5)", "numeric(5,0)"),
    ("decimal(5,2)", "numeric(5,2)"),
    ("real", "double precision"),
    ("double", "double precision"),
    ("float", "float"),
    ("float(30)", "double precision"),
    ("year(4)", "year"),
    ("char", "char(1)"),
    ("timestamp", "timestamp"),
    ("datetime(6)", "datetime(6)"),
    ("mediumtext", "mediumtext"),
    ("enum('G','PG','PG-13')", "enum('G','PG','PG-13')"),
    ("ENUM('G', 'PG', 'PG-13')", "enum('G','PG','PG-13')"),
    ("enum('it''s','a,b')", "enum('it''s','a,b')"),
    ("set('Trailers','Deleted Scenes')", "set('Trailers','Deleted Scenes')"),
    ("varchar(10) character set utf8mb4", "varchar(10) character set utf8mb4"),
]

SQLITE = [
    ("INTEGER", "integer"),
    ("INT", "integer"),
    ("VARCHAR(45)", "varchar(45)"),
    ("DECIMAL(5,2)", "numeric(5,2)"),
    ("TIMESTAMP", "timestamp"),
    ("BOOLEAN", "boolean"),
    ("unsigned big int", "unsigned big int"),
    ("BLOB SUB_TYPE TEXT", "blob sub_type text"),
]

CASES = (
    [(DatabaseType.POSTGRESQL, text, expected) for text, expected in POSTGRES]
    + [(DatabaseType.MYSQL, text, expected) for text, expected in MYSQL]
    + [(DatabaseType.MARIADB, text, expected) for text, expected in MYSQL]
    + [(DatabaseType.SQLITE, text, expected) for text, expected in SQLITE]
)


@pytest.mark.parametrize(("database", "text", "expected"), CASES)
def test_spelling(database: DatabaseType, text: str, expected: str) -> None:
    assert normalize_type(text, database) == expected


@pytest.mark.parametrize(
    ("database", "left", "right"),
    [
        (DatabaseType.POSTGRESQL, "varchar(10)", "text"),
        (DatabaseType.POSTGRESQL, "timestamp", "timestamptz"),
        (DatabaseType.POSTGRESQL, "year", "integer"),
        (DatabaseType.POSTGRESQL, "mpaa_rating", "public.mpaa_rating"),
        (DatabaseType.POSTGRESQL, "char", '"char"'),
        (DatabaseType.MYSQL, "text", "mediumtext"),
        (DatabaseType.MYSQL, "int", "int unsigned"),
        (DatabaseType.MYSQL, "enum('a','b')", "enum('A','B')"),
        (DatabaseType.MYSQL, "tinyint(1)", "tinyint"),
    ],
)
def test_distinct_types_stay_apart(database: DatabaseType, left: str, right: str) -> None:
    assert normalize_type(left, database) != normalize_type(right, database)


@pytest.mark.parametrize("text", ["'unterminated", "numeric(5", "", "   "])
def test_unreadable_text_comes_back_cleaned(text: str) -> None:
    assert normalize_type(text, DatabaseType.POSTGRESQL) == " ".join(text.split()).lower()


def test_accepts_the_database_type_as_text() -> None:
    assert normalize_type("int4", "postgresql") == "integer"
