"""Run the server over stdio, SSE or streamable HTTP."""

import ipaddress
import logging
from enum import StrEnum

from chartdb_mcp.config import Settings
from chartdb_mcp.server.app import build_server

logger = logging.getLogger(__name__)


class Transport(StrEnum):
    """How a host reaches the server."""

    STDIO = "stdio"
    SSE = "sse"
    STREAMABLE_HTTP = "streamable-http"


def serve(settings: Settings, transport: Transport, host: str, port: int) -> None:
    """Run until the host disconnects (stdio) or the process is stopped (HTTP)."""
    server = build_server(settings)
    logger.info("chartdb-mcp serving over %s with store %s", transport.value, settings.db_path)
    if transport is Transport.STDIO:
        server.run()
        return
    if not _is_loopback(host):
        logger.warning(
            "listening on %s: the server has no authentication, so anyone who can reach "
            "this address can read and change diagrams",
            host,
        )
    logger.info("listening on http://%s:%d", host, port)
    if transport is Transport.SSE:
        server.run("sse", host=host, port=port)
    else:
        server.run("streamable-http", host=host, port=port)


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False
