"""Runs the ASGI app under uvicorn, with Nagle's algorithm off when several workers share a port.

With --workers > 1 uvicorn binds the shared socket itself as `socket.socket(family)` (protocol
0), and asyncio only sets TCP_NODELAY on sockets whose protocol is IPPROTO_TCP: every answer
written in two parts (headers, then body) then waits for the client's delayed ACK, about 40 ms
per request on Linux (bench/webhook.py measured 44 ms p50 for a bare endpoint). Setting the
option on the listening socket fixes it: Linux copies it to every accepted connection.
"""

from __future__ import annotations

import contextlib
import socket
from typing import Any

import uvicorn
from uvicorn.supervisors import Multiprocess

from bot.config import Settings


class Config(uvicorn.Config):
    """uvicorn's Config whose shared listening socket has TCP_NODELAY set."""

    def bind_socket(self) -> socket.socket:
        sock = super().bind_socket()
        if sock.family in (socket.AF_INET, socket.AF_INET6):
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        return sock


def options(
    settings: Settings, *, host: str | None = None, port: int | None = None
) -> dict[str, Any]:
    """uvicorn's options for gratibot: logging goes through gratibot's redaction filter.

    log_config=None keeps uvicorn from installing its own handlers, which would print the
    access log (with query strings) and the error log around the filter; setup_logging has
    routed uvicorn's loggers to the redacting root handler.
    """
    return {
        "host": host or settings.web_host,
        "port": port or settings.web_port,
        "log_level": settings.log_level.lower(),
        "log_config": None,
        "proxy_headers": True,
    }


def run(app: str, **options: Any) -> None:
    """uvicorn.run for an import string; several workers get the TCP_NODELAY socket."""
    if options.get("workers", 1) <= 1:
        uvicorn.run(app, **options)
        return
    config = Config(app, **options)
    with contextlib.suppress(KeyboardInterrupt):
        Multiprocess(config, sockets=[config.bind_socket()]).run()
