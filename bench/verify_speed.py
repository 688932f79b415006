"""`python -m bench.verify_speed`: verifying a whole diagram against a plain import.

On the PostgreSQL scale fixture (pagila in schemas t1..t50: 1,100 tables), each round on
a fresh store file, through the service layer the tools call:

- import: `import_database` of the fifty schemas into a new diagram;
- verify: `verify_diagram` of that diagram against the same database through a
  connection profile; every table goes from EXISTS to SYNCED, so it writes a version;
- verify again: the same, when nothing changed (nothing is written).

It prints the median seconds of each side over `--rounds` and the ratio verify/import
(the target is at most 1.2). Nothing asserts on time: the figures are for reading. A run
whose verification does not find every table SYNCED stops with status 1.
"""

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

import anyio
from sqlalchemy.engine import make_url

from bench.fixtures import DEFAULT_SCHEMAS, fixture_for
from chartdb_mcp.service.connections import Secret, add_connection
from chartdb_mcp.service.importing import import_database
from chartdb_mcp.service.sync_verify import verify_diagram
from chartdb_mcp.store import open_store
from chartdb_mcp.store.master_key import KeySource

SIDES = ("import", "verify", "verify again")


def no_keys() -> KeySource:
    """The fixture's profile has no secret, so no key source is ever needed."""
    raise RuntimeError("the benchmark profile has no secret to open")


async def one_round(url: str, schemas: list[str], store_path: Path) -> dict[str, float]:
    """Seconds of each side on a fresh store."""
    parsed = make_url(url)
    fields = {
        "name": "bench",
        "dialect": "postgresql",
        "host": parsed.host,
        "port": parsed.port,
        "database": parsed.database,
        "username": parsed.username,
    }
    seconds: dict[str, float] = {}
    async with await open_store(store_path) as store:
        started = time.perf_counter()
        report = await import_database(store, url, schemas=schemas)
        seconds["import"] = time.perf_counter() - started
        await add_connection(store, no_keys, report.diagram_id, fields, Secret())
        for side in SIDES[1:]:
            started = time.perf_counter()
            verified = await verify_diagram(store, no_keys, report.diagram_id, None)
            seconds[side] = time.perf_counter() - started
            if verified.counts != {"SYNCED": report.tables}:
                raise SystemExit(f"verification found {verified.counts}, not all SYNCED")
    return seconds


def main(argv: list[str] | None = None) -> int:
    """Run the rounds and print the medians and the ratio."""
    parser = argparse.ArgumentParser(prog="python -m bench.verify_speed", description=__doc__)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--schemas", type=int, default=DEFAULT_SCHEMAS)
    args = parser.parse_args(argv)
    fixture = fixture_for("postgresql")
    fixture.ensure(args.schemas)
    schemas = fixture.schema_names(args.schemas)
    runs: dict[str, list[float]] = {side: [] for side in SIDES}
    with tempfile.TemporaryDirectory(prefix="chartdb-verify-") as folder:
        for number in range(args.rounds + 1):
            path = Path(folder) / f"{number}.db"
            seconds = anyio.run(one_round, fixture.import_url(), schemas, path)
            label = "warm-up" if number == 0 else f"round {number}"
            shown = "  ".join(f"{side} {seconds[side]:6.2f}s" for side in SIDES)
            print(f"  {label:<9} {shown}", file=sys.stderr, flush=True)
            if number:
                for side in SIDES:
                    runs[side].append(seconds[side])
    medians = {side: statistics.median(values) for side, values in runs.items()}
    tables = fixture.expected_tables(args.schemas)
    print(f"pagila x{args.schemas} on PostgreSQL ({tables} tables), median of {args.rounds}:")
    for side in SIDES:
        ratio = medians[side] / medians["import"]
        print(f"  {side:<13} {medians[side]:7.3f}s  {ratio:5.2f}x import")
    return 0


if __name__ == "__main__":
    sys.exit(main())
