"""The corpus survives ChartDB JSON and DBML: export, import, and the diff finds nothing.

Each corpus database is imported from the live server, given colors and canvas places,
written out and read back. The diagram read back is compared with the original reduced
by exactly the losses the export warned about; ids are matched by name first.
"""

from pathlib import Path

import pytest

from chartdb_mcp.core.edit.diff import diff_diagrams, unsupported_differences
from chartdb_mcp.core.formats.interchange import (
    ExportFormat,
    ImportFormat,
    export_diagram,
    import_document,
)
from chartdb_mcp.core.model import Diagram, Position
from chartdb_mcp.live.introspect import introspect
from chartdb_mcp.live.target import parse_target
from support.adopt_ids import adopt_ids
from support.format_losses import LOSSES

COLORS = ["#ff6363", "#4dee8a", "#8eb7ff", "#ffe374"]


def live_diagram(url: str) -> Diagram:
    live = introspect(parse_target(url))
    diagram = Diagram(
        name="corpus",
        database_type=live.database_type,
        schemas=live.schemas,
        tables=live.tables,
        relationships=live.relationships,
        views=live.views,
        custom_types=live.custom_types,
    )
    placed = [
        table.model_copy(
            update={"color": COLORS[n % 4], "position": Position(x=n * 10.5, y=-n * 3.0)}
        )
        for n, table in enumerate(diagram.tables)
    ]
    return diagram.model_copy(update={"tables": placed})


def round_trip(
    diagram: Diagram, export_as: ExportFormat, import_as: ImportFormat
) -> tuple[Diagram, Diagram, list[str]]:
    exported = export_diagram(diagram, export_as)
    imported = import_document(exported.content, import_as)
    expected = LOSSES[export_as](diagram)
    return expected, adopt_ids(expected, imported.diagram), exported.warnings


@pytest.fixture(scope="module", params=["pagila-postgres", "sakila-mariadb", "sakila-sqlite"])
def corpus(request: pytest.FixtureRequest) -> Diagram:
    if request.param == "pagila-postgres":
        return live_diagram(request.getfixturevalue("pagila_postgres_url"))
    if request.param == "sakila-mariadb":
        return live_diagram(request.getfixturevalue("sakila_mariadb_url"))
    path: Path = request.getfixturevalue("sakila_sqlite_path")
    return live_diagram(str(path))


@pytest.mark.parametrize(
    ("export_as", "import_as"),
    [
        (ExportFormat.CHARTDB_JSON, ImportFormat.CHARTDB_JSON),
        (ExportFormat.DBML, ImportFormat.DBML),
    ],
)
def test_round_trip_changes_nothing_but_what_was_warned(
    corpus: Diagram, export_as: ExportFormat, import_as: ImportFormat
) -> None:
    expected, back, _ = round_trip(corpus, export_as, import_as)

    assert diff_diagrams(expected, back) == []
    assert [t.qualified_name for t in back.tables] == [t.qualified_name for t in corpus.tables]
    assert len(back.relationships) == len(corpus.relationships)
    assert [(t.color, t.position) for t in back.tables] == [
        (t.color, t.position) for t in expected.tables
    ]
    assert [d for d in unsupported_differences(expected, back) if "setting" not in d] == []
