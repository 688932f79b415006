"""Property tests: random diagrams survive ChartDB JSON and DBML, minus the warned losses.

The diagrams mix what the formats find hard: names with spaces, quotes and non-ASCII
letters, reserved words, types with spaces, sizes and arrays, string defaults with
quotes, multi-line comments, composite and named keys, composite foreign keys with
actions, unique constraints, enums, colors and positions.
"""

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from chartdb_mcp.core.edit.diff import diff_diagrams
from chartdb_mcp.core.formats.interchange import (
    ExportFormat,
    ImportFormat,
    export_diagram,
    import_document,
)
from chartdb_mcp.core.model import (
    Area,
    Column,
    CustomType,
    CustomTypeKind,
    DatabaseType,
    Diagram,
    Index,
    IndexPart,
    Note,
    Position,
    PrimaryKey,
    ReferentialAction,
    Relationship,
    Table,
    UniqueConstraint,
    View,
)
from chartdb_mcp.core.sql.types import normalize_type
from support.adopt_ids import adopt_ids
from support.format_losses import LOSSES

TABLE_NAMES = ["users", "order", "line items", "Straße", "x_1", "user", "it's", "a\\b"]
COLUMN_NAMES = ["id", "name", "owner id", "größe", "select", "a", "b", "c'q"]
TYPES = [
    "integer",
    "bigint",
    "text",
    "character varying(255)",
    "numeric(10,2)",
    "timestamp with time zone",
    "text[]",
    "mood",
]
DEFAULTS = [None, None, "0", "'x'", "'it''s'", "now()", "'a'::text", "'c:\\dir'", "'two\nlines'"]
COMMENTS = [None, None, "plain", "two\nlines", "quote ' and \" marks", "back\\slash \\n"]
COLORS = [None, "#ff6363", "#8eb7ff"]
KINDS = [DatabaseType.POSTGRESQL, DatabaseType.MYSQL, DatabaseType.SQLITE, DatabaseType.SQLSERVER]


@st.composite
def tables(draw: st.DrawFn, number: int, name: str, kind: DatabaseType) -> Table:
    names = draw(st.lists(st.sampled_from(COLUMN_NAMES), min_size=1, max_size=5, unique=True))
    columns = [
        Column(
            name=column,
            type=(type_ := draw(st.sampled_from(TYPES))),
            normalized_type=normalize_type(type_, kind),
            nullable=draw(st.booleans()),
            default=draw(st.sampled_from(DEFAULTS)),
            comment=draw(st.sampled_from(COMMENTS)),
            autoincrement=draw(st.booleans()),
            is_array=type_.endswith("[]"),
        )
        for column in names
    ]
    key_columns = draw(st.lists(st.sampled_from(names), max_size=2, unique=True))
    key = (
        PrimaryKey(name=draw(st.sampled_from([None, f"pk_{number}"])), columns=key_columns)
        if key_columns
        else None
    )
    if key is not None:
        columns = [
            c.model_copy(update={"nullable": False}) if c.name in key.columns else c
            for c in columns
        ]
    some = st.lists(st.sampled_from(names), min_size=1, max_size=2, unique=True)
    uniques = [UniqueConstraint(columns=draw(some)) for _ in range(draw(st.integers(0, 2)))]
    uniques = list({tuple(u.columns): u for u in uniques}.values())
    indexes = [
        Index(
            name=f"ix_{number}_{n}",
            parts=[IndexPart(column=c) for c in draw(some)],
            unique=draw(st.booleans()),
        )
        for n in range(draw(st.integers(0, 2)))
    ]
    return Table(
        id=f"t{number}",
        schema_name=draw(st.sampled_from([None, "public", "app"])),
        name=name,
        columns=columns,
        primary_key=key,
        unique_constraints=uniques,
        indexes=indexes,
        comment=draw(st.sampled_from(COMMENTS)),
        color=draw(st.sampled_from(COLORS)),
        position=Position(x=draw(st.integers(-500, 500)), y=draw(st.integers(-500, 500))),
    )


@st.composite
def diagrams(draw: st.DrawFn) -> Diagram:
    names = draw(st.lists(st.sampled_from(TABLE_NAMES), min_size=1, max_size=4, unique=True))
    kind = draw(st.sampled_from(KINDS))
    drawn = [draw(tables(n, name, kind)) for n, name in enumerate(names)]
    relationships = []
    for number in range(draw(st.integers(0, 3))):
        source, target = draw(st.sampled_from(drawn)), draw(st.sampled_from(drawn))
        if target.primary_key is None:
            continue
        width = len(target.primary_key.columns)
        if len(source.columns) < width:
            continue
        source_columns = draw(st.permutations([c.name for c in source.columns]))[:width]
        relationships.append(
            Relationship(
                name=f"fk_{number}",
                source_table_id=source.id,
                source_columns=source_columns,
                target_table_id=target.id,
                target_columns=target.primary_key.columns,
                on_delete=draw(st.sampled_from(list(ReferentialAction))),
                on_update=draw(st.sampled_from(list(ReferentialAction))),
            )
        )
    mood = CustomType(
        schema_name="public", name="mood", kind=CustomTypeKind.ENUM, values=["sad", "it's ok"]
    )
    views = [
        View(
            schema_name=draw(st.sampled_from([None, "app"])),
            name=f"v{number}",
            definition=draw(st.sampled_from([None, "SELECT 1 AS one"])),
            columns=[
                Column(name="one", type="integer", normalized_type=normalize_type("integer", kind))
            ],
        )
        for number in range(draw(st.integers(0, 2)))
    ]
    place = st.builds(Position, x=st.integers(-99, 99), y=st.integers(-99, 99))
    notes = [
        Note(
            content=draw(st.sampled_from(COMMENTS[2:])),
            position=draw(place),
            width=120.0,
            height=80.0,
            color="#ffe374",
        )
        for _ in range(draw(st.integers(0, 2)))
    ]
    areas = [
        Area(name=f"area {n}", position=draw(place), width=400.0, height=300.0, color="#eee")
        for n in range(draw(st.integers(0, 2)))
    ]
    return Diagram(
        name="random",
        views=views,
        notes=notes,
        areas=areas,
        database_type=kind,
        tables=drawn,
        relationships=relationships,
        custom_types=[mood],
    )


def round_trip(diagram: Diagram, export_as: ExportFormat, import_as: ImportFormat) -> None:
    exported = export_diagram(diagram, export_as)
    expected = LOSSES[export_as](diagram)
    back = adopt_ids(expected, import_document(exported.content, import_as).diagram)
    assert diff_diagrams(expected, back) == []
    assert len(back.relationships) == len(diagram.relationships)
    assert back.views == expected.views
    assert back.notes == expected.notes and back.areas == expected.areas


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(diagrams())
def test_chartdb_json_round_trip(diagram: Diagram) -> None:
    round_trip(diagram, ExportFormat.CHARTDB_JSON, ImportFormat.CHARTDB_JSON)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(diagrams())
def test_dbml_round_trip(diagram: Diagram) -> None:
    round_trip(diagram, ExportFormat.DBML, ImportFormat.DBML)
