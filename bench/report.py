"""Summaries of the runs of one dialect: statistics, the JSON record and the printed table."""

import json
import os
import statistics
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from bench.measure import Run

KIB_PER_MIB = 1024
TARGET_RATIO = 1.0


@dataclass(frozen=True)
class SideSummary:
    """One side's runs reduced to the figures the report shows."""

    runs: int
    median_seconds: float
    min_seconds: float
    max_seconds: float
    median_peak_mib: float
    max_peak_mib: float
    median_cpu_seconds: float
    tables: int
    median_startup_seconds: float | None = None
    median_server_seconds: float | None = None
    median_introspect_seconds: float | None = None

    @classmethod
    def of(cls, runs: Sequence[Run]) -> "SideSummary":
        """Summarize one side's timed runs (warm-up runs left out by the caller)."""
        seconds = [run.seconds for run in runs]
        peaks = [round(run.peak_kib / KIB_PER_MIB, 1) for run in runs]
        return cls(
            runs=len(runs),
            median_seconds=statistics.median(seconds),
            min_seconds=min(seconds),
            max_seconds=max(seconds),
            median_peak_mib=statistics.median(peaks),
            max_peak_mib=max(peaks),
            median_cpu_seconds=statistics.median(run.cpu_seconds for run in runs),
            tables=runs[-1].tables,
            median_startup_seconds=_median_of(run.startup_seconds for run in runs),
            median_server_seconds=_median_of(run.server_seconds for run in runs),
            median_introspect_seconds=_median_of(run.introspect_seconds for run in runs),
        )


@dataclass(frozen=True)
class Comparison:
    """Both sides of one dialect and how they compare (ours / reference; lower is better)."""

    dialect: str
    copies: int
    expected_tables: int
    reference_tool: str
    reference: SideSummary
    ours: SideSummary
    ours_views: int | None
    ours_relationships: int | None

    @property
    def seconds_ratio(self) -> float:
        """Median seconds, ours over reference: the headline figure (target ≤ 1.0)."""
        return self.ours.median_seconds / self.reference.median_seconds

    @property
    def min_seconds_ratio(self) -> float:
        """Best run against best run."""
        return self.ours.min_seconds / self.reference.min_seconds

    @property
    def memory_ratio(self) -> float:
        """Median peak memory, ours over reference."""
        return self.ours.median_peak_mib / self.reference.median_peak_mib


def as_record(comparison: Comparison, runs: dict[str, list[Run]], **context: Any) -> dict[str, Any]:
    """The JSON record of one dialect: context, summaries, ratios and every run."""
    return {
        "benchmark": "import_speed",
        "dialect": comparison.dialect,
        **context,
        "copies": comparison.copies,
        "expected_tables": comparison.expected_tables,
        "reference": {
            "tool": comparison.reference_tool,
            "summary": asdict(comparison.reference),
            "runs": [asdict(run) for run in runs["reference"]],
        },
        "ours": {
            "tool": "chartdb_import_database",
            "summary": asdict(comparison.ours),
            "views": comparison.ours_views,
            "relationships": comparison.ours_relationships,
            "runs": [asdict(run) for run in runs["ours"]],
        },
        "ratios": {
            "median_seconds": round(comparison.seconds_ratio, 3),
            "min_seconds": round(comparison.min_seconds_ratio, 3),
            "median_peak_memory": round(comparison.memory_ratio, 3),
        },
        "target": {
            "median_seconds_ratio_at_most": TARGET_RATIO,
            "met": comparison.seconds_ratio <= TARGET_RATIO,
        },
    }


def write_record(record: dict[str, Any], path: Path) -> None:
    """Write the record as JSON, replacing any earlier file only once it is complete."""
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(path.name + ".tmp")
    partial.write_text(json.dumps(record, indent=2) + "\n", encoding="utf-8")
    os.replace(partial, path)


def render(comparison: Comparison, rounds: int) -> str:
    """The human-readable table of one dialect."""
    reference, ours = comparison.reference, comparison.ours
    verdict = "met" if comparison.seconds_ratio <= TARGET_RATIO else "MISSED"
    lines = [
        f"{comparison.dialect}: {comparison.copies} copies, "
        f"{comparison.expected_tables:,} tables, {rounds} rounds",
        f"  {'':<28}{'median s':>10}{'min s':>10}{'peak MiB':>10}{'CPU s':>10}",
        _row(f"reference ({comparison.reference_tool})", reference),
        _row("ours (import over stdio)", ours),
        f"  {'ours / reference':<28}{comparison.seconds_ratio:>9.2f}x"
        f"{comparison.min_seconds_ratio:>9.2f}x{comparison.memory_ratio:>9.2f}x"
        f"   target ≤ {TARGET_RATIO:.1f}: {verdict}",
        f"  server start-up {ours.median_startup_seconds or 0:.2f}s (not in the ratio); "
        f"import as the server reports it {ours.median_server_seconds or 0:.2f}s",
        *_phase_lines(ours),
        f"  imported {ours.tables:,} tables, {comparison.ours_views or 0:,} views, "
        f"{comparison.ours_relationships or 0:,} relationships; "
        f"dumped {reference.tables:,} tables",
    ]
    return "\n".join(lines)


def _phase_lines(ours: SideSummary) -> list[str]:
    """Where our time went, when the server logged its phases (`--server-log-level INFO`)."""
    introspect, server = ours.median_introspect_seconds, ours.median_server_seconds
    if introspect is None or server is None:
        return []
    return [
        f"  phases (medians): introspection {introspect:.2f}s, model and store "
        f"{server - introspect:.2f}s, protocol {ours.median_seconds - server:.2f}s"
    ]


def _row(label: str, side: SideSummary) -> str:
    return (
        f"  {label:<28}{side.median_seconds:>10.2f}{side.min_seconds:>10.2f}"
        f"{side.median_peak_mib:>10.1f}{side.median_cpu_seconds:>10.2f}"
    )


def _median_of(values: Iterable[float | None]) -> float | None:
    present = [value for value in values if value is not None]
    return statistics.median(present) if present else None
