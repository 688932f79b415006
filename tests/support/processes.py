"""Start the server as a real process, the way a host or a remote agent would."""

import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from mcp import StdioServerParameters


def server_command(store: Path, *extra: str) -> list[str]:
    """Arguments that run `chartdb-mcp` with this store (before any subcommand)."""
    return ["-m", "chartdb_mcp", "--db-path", str(store), *extra]


def stdio_parameters(store: Path, *extra: str) -> StdioServerParameters:
    """What a host's mcp.json amounts to: a command and its arguments."""
    return StdioServerParameters(command=sys.executable, args=server_command(store, *extra))


def free_port() -> int:
    """A TCP port on the loopback interface that nothing listens on right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@contextmanager
def http_server(store: Path, transport: str, log: Path) -> Iterator[int]:
    """Run `chartdb-mcp serve` over SSE or streamable HTTP on a free port; yields the port.

    Its stderr goes to `log`, its stdout to `log` with the suffix `.stdout`.
    """
    port = free_port()
    command = [
        sys.executable,
        *server_command(store),
        "serve",
        "--transport",
        transport,
        "--port",
        str(port),
    ]
    with log.open("wb") as errors, log.with_suffix(".stdout").open("wb") as output:
        process = subprocess.Popen(command, stdout=output, stderr=errors)
    try:
        _wait_for_port(port, process)
        yield port
    finally:
        process.terminate()
        process.wait(timeout=10)


def _wait_for_port(port: int, process: subprocess.Popen[bytes], timeout: float = 20) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"server exited early with status {process.returncode}")
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.1)
    raise RuntimeError(f"server did not listen on port {port} within {timeout}s")
