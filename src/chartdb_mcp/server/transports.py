"""Run the server over stdio, SSE or streamable HTTP."""

import dataclasses
import ipaddress
import logging
from enum import StrEnum

import uvicorn

from chartdb_mcp.config import Settings
from chartdb_mcp.server.app import build_server

logger = logging.getLogger(__name__)


class Transport(StrEnum):
    """How a host reaches the server."""

    STDIO = "stdio"
    SSE = "sse"
    STREAMABLE_HTTP = "streamable-http"


def serve(settings: Settings, transport: Transport, host: str, port: int) -> None:
    """Run until the host disconnects (stdio) or the process is stopped (HTTP).

    A long-lived server (SSE, streamable HTTP) runs the automatic sync scheduler; under
    stdio only when the settings ask for it (`--auto-sync`).
    """
    if transport is not Transport.STDIO:
        settings = dataclasses.replace(settings, auto_sync=True)
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
        app = server.sse_app(host=host)
    else:
        app = server.streamable_http_app(host=host)
    # log_config=None keeps uvicorn's own logging setup (access lines on stdout) out:
    # its loggers then go through ours, to stderr, at the level the user chose.
    config = uvicorn.Config(app, host=host, port=port, log_config=None)
    uvicorn.Server(config).run()


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False
