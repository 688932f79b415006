"""Verification and sync-diff on real databases: outside changes become exactly those drifts."""

from pathlib import Path
from typing import Any

import pytest
from mcp import Client

from support.mcp_client import call_error, call_ok, text_of
from support.profiles import MakeClient
from sync.live_schemas import DRIFT, loaded, run

pytestmark = pytest.mark.anyio

DIALECTS = ["postgresql", "mariadb", "sqlite"]


async def imported(client: Client, url: str) -> str:
    """Import the database into a new diagram and give it a profile on the same database."""
    report = await call_ok(client, "chartdb_import_database", url=url)
    diagram_id = str(report["diagram_id"])
    await call_ok(client, "chartdb_add_connection", diagram_id=diagram_id, name="live", url=url)
    return diagram_id


def by_table(report: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """The report's table lines by bare table name."""
    return {line["table"].rpartition(".")[2]: line for line in report["tables"]}


def differences(line: dict[str, Any]) -> set[tuple[str, str]]:
    return {(d["kind"], d["element"]) for d in line["differences"]}


@pytest.mark.parametrize("dialect", DIALECTS)
async def test_outside_changes_are_reported_exactly_and_marked_drift(
    make_client: MakeClient, tmp_path: Path, dialect: str
) -> None:
    with loaded(dialect, tmp_path) as url:
        async with make_client() as client:
            diagram_id = await imported(client, url)
            first = await call_ok(client, "chartdb_validate", diagram_id=diagram_id)
            assert first["counts"] == {"SYNCED": 4}
            assert first["tables"] == [] and first["recorded"]

            run(dialect, url, DRIFT[dialect])
            report = await call_ok(client, "chartdb_sync_diff", diagram_id=diagram_id)

            lines = by_table(report)
            assert set(lines) == {"author", "book", "shelf"}
            assert {line["status"] for line in lines.values()} == {"DRIFT"}
            assert differences(lines["author"]) == {("column_only_in_database", "'born'")}
            assert differences(lines["book"]) == {("index_only_in_diagram", "'idx_book_title'")}
            assert differences(lines["shelf"]) == {("column_type", "'label'")}
            [type_change] = lines["shelf"]["differences"]
            assert "20" in type_change["diagram"] and "40" in type_change["database"]
            assert report["counts"] == {"SYNCED": 1, "DRIFT": 3}

            summary = await call_ok(client, "chartdb_status_summary", diagram_id=diagram_id)
            groups = {g["status"]: g for g in summary["groups"]}
            assert sorted(t.rpartition(".")[2] for t in groups["DRIFT"]["tables"]) == [
                "author",
                "book",
                "shelf",
            ]
            assert [t.rpartition(".")[2] for t in groups["SYNCED"]["tables"]] == ["genre"]
            assert any("sync-diff" in action for action in groups["DRIFT"]["next_actions"])

            schema = await client.call_tool("chartdb_get_schema", {"diagram_id": diagram_id})
            assert "shelf [DRIFT]" in text_of(schema) and "genre [SYNCED]" in text_of(schema)
            history = await call_ok(client, "chartdb_diagram_history", diagram_id=diagram_id)
            [latest, *_] = history["versions"]
            assert latest["summary"].startswith("Verified 4 tables against")
            assert sorted(c.split(":")[0].rpartition(".")[2] for c in latest["changes"]) == [
                "author",
                "book",
                "shelf",
            ]


async def test_verify_table_records_its_drift_details_and_repeats_write_nothing(
    make_client: MakeClient, tmp_path: Path
) -> None:
    with loaded("sqlite", tmp_path) as url:
        async with make_client() as client:
            diagram_id = await imported(client, url)
            run("sqlite", url, ["ALTER TABLE author ADD COLUMN born INTEGER"])
            report = await call_ok(
                client, "chartdb_verify_table", diagram_id=diagram_id, tables=["author"]
            )
            assert report["checked"] == 1 and report["recorded"]
            [line] = report["tables"]
            assert line["status"] == "DRIFT" and line["previous_status"] == "EXISTS"
            assert line["drift"] == ["column 'born' is in the database only"]

            again = await call_ok(
                client, "chartdb_verify_table", diagram_id=diagram_id, tables=["author"]
            )
            assert not again["recorded"] and again["version"] == report["version"]

            resource = await client.read_resource(f"chartdb://diagram/{diagram_id}/tables")
            assert "DRIFT" in resource.contents[0].text  # type: ignore[union-attr]


async def test_a_designed_table_is_planned_and_an_unknown_name_is_refused(
    make_client: MakeClient, tmp_path: Path
) -> None:
    with loaded("sqlite", tmp_path) as url:
        async with make_client() as client:
            diagram_id = await imported(client, url)
            review = await call_ok(
                client,
                "chartdb_create_table",
                diagram_id=diagram_id,
                table={"name": "loan", "columns": [{"name": "id", "type": "integer"}]},
            )
            await call_ok(client, "chartdb_apply_changes", proposal_id=review["id"])
            report = await call_ok(client, "chartdb_validate", diagram_id=diagram_id)
            assert report["counts"] == {"PLANNED": 1, "SYNCED": 4}
            [line] = report["tables"]
            assert line["table"].endswith("loan") and line["status"] == "PLANNED"

            error = await call_error(
                client, "chartdb_verify_table", diagram_id=diagram_id, tables=["lone"]
            )
            assert "'lone'" in error


async def test_set_table_status_is_a_proposal_that_apply_commits(
    make_client: MakeClient, tmp_path: Path
) -> None:
    with loaded("sqlite", tmp_path) as url:
        async with make_client() as client:
            diagram_id = await imported(client, url)
            review = await call_ok(
                client,
                "chartdb_set_table_status",
                diagram_id=diagram_id,
                tables=["shelf"],
                status="DEPRECATED",
            )
            before = await call_ok(client, "chartdb_status_summary", diagram_id=diagram_id)
            assert before["counts"]["DEPRECATED"] == 0
            await call_ok(client, "chartdb_apply_changes", proposal_id=review["id"])
            after = await call_ok(client, "chartdb_status_summary", diagram_id=diagram_id)
            assert after["counts"]["DEPRECATED"] == 1 and after["counts"]["EXISTS"] == 3
            mermaid = await call_ok(
                client, "chartdb_export_diagram", diagram_id=diagram_id, format="mermaid"
            )
            assert "(DEPRECATED)" in str(mermaid)
            verified = await call_ok(client, "chartdb_validate", diagram_id=diagram_id)
            assert verified["counts"] == {"SYNCED": 3, "DEPRECATED": 1}
