"""`gratibot serve --workers N`: the shared socket has Nagle's algorithm off."""

from __future__ import annotations

import socket

from bot.web.serving import Config


def test_shared_socket_and_its_connections_have_nodelay() -> None:
    config = Config("bot.web.main:build", host="127.0.0.1", port=0, workers=2, factory=True)
    listener = config.bind_socket()
    try:
        listener.listen()
        assert listener.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY) == 1
        with socket.create_connection(listener.getsockname()[:2]):
            accepted, _ = listener.accept()
            with accepted:
                # Linux copies the option to accepted sockets; asyncio would not set it here.
                assert accepted.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY) != 0
    finally:
        listener.close()
