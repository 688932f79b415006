"""Scripts that once imported differently from the database they build.

Each script is loaded into a fresh database, introspected with the live importer and
compared with `parse_script` of the same text (see support.script_compare).
"""

from pathlib import Path

from chartdb_mcp.core.model import DatabaseType
from chartdb_mcp.core.sql.parse import parse_script
from chartdb_mcp.live.introspect import introspect
from chartdb_mcp.live.target import parse_target
from support.databases import load_postgres_script, postgres_database
from support.script_compare import diff_ops

POSTGRES_SCRIPT = """
CREATE TABLE bookings (
    id int PRIMARY KEY,
    period tstzrange NOT NULL,
    exclude boolean DEFAULT false,
    codes varchar(3)[] NOT NULL DEFAULT ARRAY['a', 'b']::varchar[],
    note text
);
CREATE INDEX ON bookings (note);
CREATE INDEX ON bookings (note);
CREATE UNIQUE INDEX ON bookings (id, note);
CREATE INDEX ON bookings (lower(note), note);
CREATE INDEX ON bookings USING gist (period);
"""


def test_postgres_unnamed_indexes_and_keyword_columns(tmp_path: Path) -> None:
    script = tmp_path / "bookings.sql"
    script.write_text(POSTGRES_SCRIPT, encoding="utf-8")
    parsed = parse_script(POSTGRES_SCRIPT, DatabaseType.POSTGRESQL)
    with postgres_database("tricky_pg") as url:
        load_postgres_script(url, script)
        live = introspect(parse_target(url), ["public"])
    lines = diff_ops(parsed, live)
    assert not lines, "\n".join(lines)
    [table] = parsed.tables
    assert sorted(index.name for index in table.indexes) == [
        "bookings_id_note_idx",
        "bookings_lower_note_idx",
        "bookings_note_idx",
        "bookings_note_idx1",
        "bookings_period_idx",
    ]
