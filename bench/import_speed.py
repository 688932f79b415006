"""`python -m bench.import_speed` (`make bench`): our import against the vendor's dump tools.

For each dialect, on the scale fixture (pagila x50 on PostgreSQL, sakila x50 on MariaDB),
it alternates two sides for several rounds, each run in a fresh process:

- reference: `pg_dump --schema-only` / `mariadb-dump --no-data` of the copies;
- ours: `chartdb_import_database` of the same copies through a freshly started server over
  stdio, on a fresh store, timed from the client from call to result.

It prints a table per dialect and writes `bench/results/import_speed-<dialect>.json`.
Runs that read a different number of tables than the fixture holds stop it with status 1.
"""

import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

from bench.errors import BenchError, TableCountMismatch
from bench.fixtures import DEFAULT_SCHEMAS, DIALECTS, Fixture, fixture_for
from bench.measure import Run
from bench.paths import PROJECT_ROOT, RESULTS_DIR
from bench.report import Comparison, SideSummary, as_record, render, write_record
from bench.server_log import introspect_seconds

DEFAULT_ROUNDS = 5
SERVER_LOG_LINES = 40
FAILURE_LOG_LINES = 20


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    """The command line."""
    parser = argparse.ArgumentParser(
        prog="python -m bench.import_speed",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--dialect", choices=[*DIALECTS, "all"], default="all")
    parser.add_argument("--rounds", type=int, default=DEFAULT_ROUNDS, help="timed rounds")
    parser.add_argument(
        "--schemas",
        type=int,
        default=DEFAULT_SCHEMAS,
        help=f"copies of the schema to read (default {DEFAULT_SCHEMAS})",
    )
    parser.add_argument(
        "--warmup", type=int, default=1, help="untimed rounds first, to warm caches (default 1)"
    )
    parser.add_argument(
        "--server-log-level",
        choices=["DEBUG", "INFO", "WARNING", "ERROR"],
        default="WARNING",
        help="the server's --log-level; its stderr of the last run goes into the JSON",
    )
    parser.add_argument("--results", type=Path, default=RESULTS_DIR, help="where the JSON goes")
    args = parser.parse_args(argv)
    if args.rounds < 1 or args.schemas < 1 or args.warmup < 0:
        parser.error("--rounds and --schemas must be at least 1, --warmup at least 0")
    return args


def main(argv: list[str] | None = None) -> int:
    """Benchmark the chosen dialects; returns the exit status."""
    args = parse_args(argv)
    dialects = DIALECTS if args.dialect == "all" else (args.dialect,)
    failed = []
    for dialect in dialects:
        try:
            bench_dialect(fixture_for(dialect), args)
        except BenchError as error:
            print(f"error: {dialect}: {error}", file=sys.stderr)
            failed.append(dialect)
    return 1 if failed else 0


def bench_dialect(fixture: Fixture, args: argparse.Namespace) -> None:
    """Run every round of one dialect, then print and record the comparison."""
    count = args.schemas
    outcome = fixture.ensure(count)
    _progress(f"{fixture.dialect}: fixture ready ({len(outcome.loaded)} copies loaded now)")
    started_at = datetime.now(UTC).isoformat(timespec="seconds")
    runs, server_log = measure_rounds(fixture, args)
    comparison = Comparison(
        dialect=fixture.dialect,
        copies=count,
        expected_tables=fixture.expected_tables(count),
        reference_tool=Path(fixture.reference_command(count)[0]).name,
        reference=SideSummary.of(runs["reference"]),
        ours=SideSummary.of(runs["ours"]),
        ours_views=runs["ours"][-1].views,
        ours_relationships=runs["ours"][-1].relationships,
    )
    record = as_record(
        comparison,
        runs,
        started_at=started_at,
        rounds=args.rounds,
        warmup=args.warmup,
        machine=_machine(),
        source=fixture.source,
        server=f"{fixture.server.host}:{fixture.server.port}",
        server_log_level=args.server_log_level,
        server_log=server_log,
    )
    path = args.results / f"import_speed-{fixture.dialect}.json"
    write_record(record, path)
    print(render(comparison, args.rounds))
    print(f"  written to {_shown(path)}\n", flush=True)


def measure_rounds(
    fixture: Fixture, args: argparse.Namespace
) -> tuple[dict[str, list[Run]], list[str]]:
    """The timed runs of each side, and the server's stderr of the last run of ours.

    Warm-up rounds come first and are checked but not kept. Sides alternate which goes
    first from round to round, so neither always runs on caches the other warmed.
    """
    expected = fixture.expected_tables(args.schemas)
    runs: dict[str, list[Run]] = {"reference": [], "ours": []}
    with tempfile.TemporaryDirectory(prefix="chartdb-bench-") as folder:
        workdir = Path(folder)
        for number in range(args.warmup + args.rounds):
            timed = number >= args.warmup
            label = f"round {number - args.warmup + 1}" if timed else "warm-up"
            for side in ("reference", "ours") if number % 2 == 0 else ("ours", "reference"):
                stem = workdir / f"{number}-{side}"
                run = run_side(side, fixture.dialect, args.schemas, stem, args)
                if run.tables != expected:
                    raise TableCountMismatch(side, fixture.dialect, expected, run.tables)
                _progress(
                    f"  {label:<9} {side:<9} {run.seconds:7.2f}s {run.peak_kib / 1024:7.1f} MiB"
                )
                if timed:
                    runs[side].append(run)
        server_log = _log_lines(workdir / f"{args.warmup + args.rounds - 1}-ours.stderr")
    return runs, server_log


def run_side(side: str, dialect: str, count: int, stem: Path, args: argparse.Namespace) -> Run:
    """Measure one run in a fresh `bench.measure` process; its stderr goes to `<stem>.stderr`."""
    command = [sys.executable, "-m", "bench.measure", side, "--dialect", dialect]
    command += ["--schemas", str(count), "--server-log-level", args.server_log_level]
    if side == "ours":
        command += ["--store", str(stem.with_suffix(".sqlite"))]
    stderr_path = stem.with_suffix(".stderr")
    with stderr_path.open("w", encoding="utf-8") as stderr:
        completed = subprocess.run(
            command, check=False, cwd=PROJECT_ROOT, stdout=subprocess.PIPE, stderr=stderr, text=True
        )
    if completed.returncode != 0:
        tail = "\n".join(_log_lines(stderr_path)[-FAILURE_LOG_LINES:])
        raise BenchError(f"The {side} run on {dialect} failed:\n{tail}")
    stem.with_suffix(".sqlite").unlink(missing_ok=True)
    run = Run(**json.loads(completed.stdout))
    if side == "ours":
        run = replace(run, introspect_seconds=introspect_seconds(_log_lines(stderr_path)))
    return run


def _log_lines(path: Path) -> list[str]:
    if not path.exists():
        return []
    return path.read_text(encoding="utf-8", errors="replace").splitlines()[-SERVER_LOG_LINES:]


def _machine() -> dict[str, object]:
    return {
        "platform": platform.platform(),
        "python": platform.python_version(),
        "cpus": os.cpu_count(),
    }


def _shown(path: Path) -> Path:
    return path.relative_to(PROJECT_ROOT) if path.is_relative_to(PROJECT_ROOT) else path


def _progress(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


if __name__ == "__main__":
    sys.exit(main())
