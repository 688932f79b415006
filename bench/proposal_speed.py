"""`python -m bench.proposal_speed`: how long large proposals take to propose and apply.

Three cases, each on a fresh store file and through the service layer the tools call:

- `tables`: one proposal creating N tables (default 400), each with a key, plus a
  relationship from every table after the first to the one before it (N - 1), proposed
  on an empty diagram and then applied;
- `columns`: one proposal adding M columns (default 1,000) to one table, proposed and
  applied;
- `stale`: the `tables` proposal applied after another change landed first, so the apply
  rebases it.

It prints seconds per step (the median of `--rounds`). Nothing asserts on time: the
figures are for reading, not for a pass or a fail.
"""

import argparse
import statistics
import tempfile
import time
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import anyio

from chartdb_mcp.core.model import DatabaseType
from chartdb_mcp.service import applying, diagrams, proposals
from chartdb_mcp.store import DiagramStore, open_store

Step = Callable[[DiagramStore], Awaitable[dict[str, float]]]


def table_op(number: int) -> dict[str, Any]:
    """A create_table op for table `t<number>` with an id key and a parent column."""
    return {
        "kind": "create_table",
        "table": {
            "name": f"t{number}",
            "columns": [
                {"name": "id", "type": "integer", "nullable": False},
                {"name": "parent_id", "type": "integer"},
                {"name": "label", "type": "varchar(80)"},
            ],
            "primary_key": {"columns": ["id"]},
        },
    }


def link_op(number: int) -> dict[str, Any]:
    """A relationship from `t<number>.parent_id` to the table before it."""
    return {
        "kind": "add_relationship",
        "source_table": f"t{number}",
        "source_columns": ["parent_id"],
        "target_table": f"t{number - 1}",
        "target_columns": ["id"],
    }


def tables_ops(count: int) -> list[dict[str, Any]]:
    """N create_table ops followed by N - 1 relationships."""
    return [table_op(n) for n in range(count)] + [link_op(n) for n in range(1, count)]


async def timed(action: Awaitable[Any]) -> tuple[float, Any]:
    """Seconds the awaited action took, and its result."""
    started = time.perf_counter()
    result = await action
    return time.perf_counter() - started, result


def tables_case(count: int, stale: bool) -> Step:
    """Propose and apply the N-table proposal (after another change first when `stale`)."""

    async def step(store: DiagramStore) -> dict[str, float]:
        created = await diagrams.create_diagram(store, "bench", DatabaseType.POSTGRESQL)
        ops = proposals.parse_ops(tables_ops(count))
        propose_s, review = await timed(proposals.propose(store, created.id, ops, max_chars=20_000))
        if stale:
            other = proposals.parse_ops([table_op(count + 1)])
            first = await proposals.propose(store, created.id, other)
            await applying.apply_proposal(store, first.id)
        apply_s, _ = await timed(applying.apply_proposal(store, review.id))
        return {"propose": propose_s, "apply": apply_s}

    return step


def columns_case(count: int) -> Step:
    """Propose and apply M add_column ops on one table."""

    async def step(store: DiagramStore) -> dict[str, float]:
        created = await diagrams.create_diagram(store, "bench", DatabaseType.POSTGRESQL)
        first = await proposals.propose(store, created.id, proposals.parse_ops([table_op(0)]))
        await applying.apply_proposal(store, first.id)
        ops = proposals.parse_ops(
            [
                {"kind": "add_column", "table": "t0", "column": {"name": f"c{n}", "type": "text"}}
                for n in range(count)
            ]
        )
        propose_s, review = await timed(proposals.propose(store, created.id, ops, max_chars=20_000))
        apply_s, _ = await timed(applying.apply_proposal(store, review.id))
        return {"propose": propose_s, "apply": apply_s}

    return step


async def run(step: Step, rounds: int) -> dict[str, float]:
    """The median seconds of each phase over `rounds` fresh stores."""
    figures: dict[str, list[float]] = {}
    for _ in range(rounds):
        with tempfile.TemporaryDirectory() as folder:
            store = await open_store(Path(folder) / "bench.sqlite")
            try:
                for phase, seconds in (await step(store)).items():
                    figures.setdefault(phase, []).append(seconds)
            finally:
                await store.close()
    return {phase: statistics.median(values) for phase, values in figures.items()}


def main(argv: list[str] | None = None) -> None:
    """Run the cases and print one line each."""
    parser = argparse.ArgumentParser(prog="python -m bench.proposal_speed", description=__doc__)
    parser.add_argument("--tables", type=int, default=400)
    parser.add_argument("--columns", type=int, default=1000)
    parser.add_argument("--rounds", type=int, default=1)
    args = parser.parse_args(argv)
    cases = {
        f"{args.tables} tables + {args.tables - 1} relationships": tables_case(args.tables, False),
        f"{args.columns} add_column": columns_case(args.columns),
        f"{args.tables} tables + {args.tables - 1} relationships, rebased": tables_case(
            args.tables, True
        ),
    }
    for label, step in cases.items():
        figures = anyio.run(run, step, args.rounds)
        shown = ", ".join(f"{phase} {seconds:.2f} s" for phase, seconds in figures.items())
        print(f"{label}: {shown}")


if __name__ == "__main__":
    main()
