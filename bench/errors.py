"""The benchmarks' exceptions: one root, one subclass per condition."""


class BenchError(Exception):
    """Root of every error the benchmarks raise on purpose."""


class ToolMissing(BenchError):
    """A command-line tool the benchmark needs is not installed."""

    def __init__(self, tool: str) -> None:
        super().__init__(f"The command {tool!r} is not on PATH; install it to run this benchmark.")
        self.tool = tool


class CommandFailed(BenchError):
    """A command-line tool exited with an error."""

    def __init__(self, tool: str, status: int, stderr: str) -> None:
        tail = "\n".join(stderr.strip().splitlines()[-10:])
        super().__init__(f"{tool!r} exited with status {status}:\n{tail}")
        self.tool = tool
        self.status = status


class CorpusMissing(BenchError):
    """A schema file of the shared corpus is not where the benchmarks look for it."""


class FixtureIncomplete(BenchError):
    """A fixture was built but does not hold the objects its source schema defines."""


class ImportFailed(BenchError):
    """The server's import tool returned an error or no structured result."""


class TableCountMismatch(BenchError):
    """One side read a different number of tables than the fixture holds."""

    def __init__(self, side: str, dialect: str, expected: int, actual: int) -> None:
        super().__init__(
            f"{side} read {actual:,} tables from the {dialect} fixture; expected {expected:,}."
        )
        self.expected = expected
        self.actual = actual
