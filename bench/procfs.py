"""What Linux's /proc tells about another process: its children, peak memory and CPU time.

The benchmark reads the server's own figures here rather than from `getrusage`, which
would lump every child of the measuring process together.
"""

import os
from pathlib import Path

from bench.errors import BenchError

PROC = Path("/proc")
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


def child_pids(parent: int) -> list[int]:
    """The live processes whose parent is `parent`."""
    children = []
    for entry in PROC.iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = _stat_fields(int(entry.name))
        except OSError:  # the process ended while we looked
            continue
        if int(fields[1]) == parent:
            children.append(int(entry.name))
    return children


def only_child(parent: int) -> int:
    """The single live child of `parent`; raises `BenchError` if there is not exactly one."""
    children = child_pids(parent)
    if len(children) != 1:
        raise BenchError(f"Expected one child of process {parent}, found {len(children)}.")
    return children[0]


def peak_rss_kib(pid: int) -> int:
    """The process's peak resident set size so far (`VmHWM`), in KiB."""
    for line in (PROC / str(pid) / "status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
    raise BenchError(f"/proc/{pid}/status has no VmHWM line.")


def cpu_seconds(pid: int) -> float:
    """User plus system CPU time the process (all its threads) has used so far."""
    fields = _stat_fields(pid)
    # Fields 14 and 15 of proc(5) (utime, stime); `fields` starts at field 3 (state).
    return (int(fields[11]) + int(fields[12])) / CLOCK_TICKS


def _stat_fields(pid: int) -> list[str]:
    """`/proc/<pid>/stat` after the command name, which may itself hold spaces."""
    text = (PROC / str(pid) / "stat").read_text()
    return text[text.rindex(")") + 2 :].split()
