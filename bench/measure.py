"""`python -m bench.measure`: one side of one round, in a process of its own.

`bench.import_speed` starts this module once per run so that no two runs share a process
and memory figures never mix. It prints one JSON object (a `Run`) on stdout.

- reference: the vendor's dump tool runs under GNU time, which reports the tool's own peak
  memory and CPU. (Not `getrusage(RUSAGE_CHILDREN)` here: a child forked from this Python
  process inherits its high-water mark, so every dump would "peak" at our size.) Its wall
  time is taken here, from spawn to exit.
- ours: the server is started over stdio through the SDK client, as a host would start it,
  on a fresh store; the one `chartdb_import_database` call is timed from the client side,
  and the server's peak memory (`VmHWM`) and CPU are read from /proc before it is stopped.
"""

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import anyio
from mcp import Client, StdioServerParameters
from mcp.types import CallToolResult, TextContent

from bench import procfs
from bench.errors import BenchError, CommandFailed, ImportFailed
from bench.fixtures import DEFAULT_SCHEMAS, DIALECTS, Fixture, fixture_for
from bench.servers import executable

IMPORT_TOOL = "chartdb_import_database"
# Peak resident set size (KiB), user and system CPU seconds of the timed command.
GNU_TIME_FORMAT = "%M %U %S"
DIGITS = 4
SIDES = ("reference", "ours")


@dataclass
class Run:
    """What one run measured. Seconds are wall clock; memory is peak resident set size."""

    side: str
    seconds: float
    """The timed part: the whole dump, or the import call from request to result."""
    peak_kib: int
    cpu_seconds: float
    """CPU of the measured process: the dump tool's whole life, or the server's during the call."""
    tables: int
    views: int | None = None
    relationships: int | None = None
    startup_seconds: float | None = None
    """Ours only: from spawning the server to the end of the MCP handshake."""
    server_seconds: float | None = None
    """Ours only: the import's duration as the server itself reports it."""
    output_bytes: int | None = None
    """Reference: the size of the dump; ours: the size of the store file afterwards."""
    introspect_seconds: float | None = None
    """Ours only, from the server's INFO log: reading the catalogs, before the model is stored."""


def measure_reference(fixture: Fixture, count: int) -> Run:
    """Run the vendor's schema dump of the first `count` copies once, under GNU time."""
    command = fixture.reference_command(count)
    with tempfile.TemporaryDirectory(prefix="chartdb-bench-") as folder:
        dump, stats = Path(folder) / "dump.sql", Path(folder) / "time.txt"
        timed = [executable("time"), f"--format={GNU_TIME_FORMAT}", f"--output={stats}"]
        with dump.open("wb") as output:
            started = time.perf_counter()
            completed = subprocess.run(
                [*timed, *command],
                check=False,
                stdout=output,
                stderr=subprocess.PIPE,
                env=fixture.server.cli_env(),
            )
            seconds = time.perf_counter() - started
        if completed.returncode != 0:
            stderr = completed.stderr.decode(errors="replace")
            raise CommandFailed(os.path.basename(command[0]), completed.returncode, stderr)
        peak_kib, user, system = stats.read_text().split()[-3:]
        text, size = dump.read_text(encoding="utf-8", errors="replace"), dump.stat().st_size
    return Run(
        side="reference",
        seconds=round(seconds, DIGITS),
        peak_kib=int(peak_kib),
        cpu_seconds=round(float(user) + float(system), DIGITS),
        tables=fixture.count_tables(text),
        output_bytes=size,
    )


async def measure_ours(fixture: Fixture, count: int, store: Path, log_level: str) -> Run:
    """Start the server on a fresh store and import the first `count` copies once."""
    server = server_parameters(store, log_level)
    arguments = {
        "url": fixture.import_url(),
        "schemas": fixture.schema_names(count),
        "name": f"bench {fixture.dialect} x{count}",
    }
    started = time.perf_counter()
    async with Client(server) as client:
        ready = time.perf_counter()
        pid = procfs.only_child(os.getpid())
        cpu_before = procfs.cpu_seconds(pid)
        result = await client.call_tool(IMPORT_TOOL, arguments)
        done = time.perf_counter()
        cpu_after = procfs.cpu_seconds(pid)
        peak_kib = procfs.peak_rss_kib(pid)
    report = _import_report(result)
    return Run(
        side="ours",
        seconds=round(done - ready, DIGITS),
        peak_kib=peak_kib,
        cpu_seconds=round(cpu_after - cpu_before, DIGITS),
        tables=int(report["tables"]),
        views=int(report["views"]),
        relationships=int(report["relationships"]),
        startup_seconds=round(ready - started, DIGITS),
        server_seconds=float(report["seconds"]),
        output_bytes=store.stat().st_size if store.exists() else None,
    )


def server_parameters(store: Path, log_level: str) -> StdioServerParameters:
    """How a host starts the server: this interpreter, `-m chartdb_mcp`, over stdio."""
    return StdioServerParameters(
        command=sys.executable,
        args=["-m", "chartdb_mcp", "--db-path", str(store), "--log-level", log_level],
        env=dict(os.environ),
    )


def _import_report(result: CallToolResult) -> dict[str, Any]:
    """The structured result of a successful import; raises `ImportFailed` otherwise."""
    if result.is_error or result.structured_content is None:
        text = "\n".join(b.text for b in result.content if isinstance(b, TextContent))
        raise ImportFailed(f"{IMPORT_TOOL} failed: {text or 'no structured result'}")
    report: dict[str, Any] = result.structured_content
    return report


def _run_ours(fixture: Fixture, count: int, store: Path, log_level: str) -> Run:
    """`measure_ours` with a failure of the server or the protocol turned into `ImportFailed`."""
    try:
        return anyio.run(measure_ours, fixture, count, store, log_level)
    except BenchError:
        raise
    except Exception as error:  # the edge: whatever the client raised, say it in one line
        leaf: BaseException = error
        while isinstance(leaf, BaseExceptionGroup) and leaf.exceptions:
            leaf = leaf.exceptions[0]
        raise ImportFailed(
            f"The server run failed ({type(leaf).__name__}: {leaf}); its stderr is above."
        ) from error


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    """The command line."""
    parser = argparse.ArgumentParser(prog="python -m bench.measure", description=__doc__)
    parser.add_argument("side", choices=SIDES)
    parser.add_argument("--dialect", choices=DIALECTS, required=True)
    parser.add_argument("--schemas", type=int, default=DEFAULT_SCHEMAS)
    parser.add_argument("--store", type=Path, help="ours: a store file that does not exist yet")
    parser.add_argument("--server-log-level", default="WARNING")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    """Measure one run and print it as JSON; returns the exit status."""
    args = parse_args(argv)
    fixture = fixture_for(args.dialect)
    try:
        if args.side == "reference":
            run = measure_reference(fixture, args.schemas)
        else:
            if args.store is None or args.store.exists():
                raise BenchError("ours needs --store naming a file that does not exist yet.")
            run = _run_ours(fixture, args.schemas, args.store, args.server_log_level)
    except BenchError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    print(json.dumps(asdict(run)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
