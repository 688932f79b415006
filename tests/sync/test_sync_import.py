"""sync-import on real databases: new tables come as a proposal; conflicts follow the policy."""

from pathlib import Path

import pytest

from support.mcp_client import call_error, call_ok
from support.profiles import MakeClient
from sync.live_schemas import loaded, run
from sync.test_sync_diff import imported

pytestmark = pytest.mark.anyio

DIALECTS = ["postgresql", "mariadb", "sqlite"]
OUTSIDE = [
    "ALTER TABLE author ADD COLUMN born INTEGER",
    "CREATE TABLE loan (id INTEGER PRIMARY KEY, book_id INTEGER NOT NULL,"
    " CONSTRAINT fk_loan_book FOREIGN KEY (book_id) REFERENCES book (id))",
]
# policy -> (added, replaced, kept, conflicts, statuses after apply and validate)
EXPECTED = {
    "list": (["loan"], [], [], ["author"], {"SYNCED": 4, "DRIFT": 1}),
    "keep-diagram": (["loan"], [], ["author"], [], {"SYNCED": 4, "DRIFT": 1}),
    "take-database": (["loan"], ["author"], [], [], {"SYNCED": 5}),
}


def bare(names: list[str]) -> list[str]:
    return [name.rpartition(".")[2] for name in names]


@pytest.mark.parametrize("policy", list(EXPECTED))
@pytest.mark.parametrize("dialect", DIALECTS)
async def test_each_conflict_policy(
    make_client: MakeClient, tmp_path: Path, dialect: str, policy: str
) -> None:
    added, replaced, kept, conflicts, after = EXPECTED[policy]
    with loaded(dialect, tmp_path) as url:
        async with make_client() as client:
            diagram_id = await imported(client, url)
            run(dialect, url, OUTSIDE)
            report = await call_ok(
                client, "chartdb_sync_import", diagram_id=diagram_id, conflict_policy=policy
            )
            assert bare(report["added"]) == added
            assert bare(report["replaced"]) == replaced
            assert bare(report["kept_from_diagram"]) == kept
            assert bare([c["table"] for c in report["conflicts"]]) == conflicts
            if conflicts:
                [conflict] = report["conflicts"]
                assert [(d["kind"], d["element"]) for d in conflict["differences"]] == [
                    ("column_only_in_database", "'born'")
                ]
            assert report["unchanged_count"] == 4 - len(replaced) - len(kept) - len(conflicts)

            schema = await call_ok(client, "chartdb_get_schema", diagram_id=diagram_id)
            assert "loan" not in str(schema), "a proposal must not change the diagram"
            await call_ok(client, "chartdb_apply_changes", proposal_id=report["proposal_id"])
            verified = await call_ok(client, "chartdb_validate", diagram_id=diagram_id)
            assert verified["counts"] == after
            assert verified["only_in_database_count"] == 0


async def test_new_and_named_scopes(make_client: MakeClient, tmp_path: Path) -> None:
    with loaded("sqlite", tmp_path) as url:
        async with make_client() as client:
            diagram_id = await imported(client, url)
            run("sqlite", url, OUTSIDE)
            new = await call_ok(client, "chartdb_sync_import", diagram_id=diagram_id, scope="new")
            assert bare(new["added"]) == ["loan"] and new["conflicts"] == []
            await call_ok(client, "chartdb_reject_changes", proposal_id=new["proposal_id"])

            named = await call_ok(
                client,
                "chartdb_sync_import",
                diagram_id=diagram_id,
                scope="tables",
                tables=["author"],
                conflict_policy="take-database",
            )
            assert named["added"] == [] and bare(named["replaced"]) == ["author"]
            proposal = await call_ok(
                client, "chartdb_get_proposal", proposal_id=named["proposal_id"]
            )
            lines = " ".join(proposal["op_lines"])
            assert "born" in lines and "loan" not in lines

            error = await call_error(
                client, "chartdb_sync_import", diagram_id=diagram_id, scope="tables", tables=["x"]
            )
            assert "'x'" in error
