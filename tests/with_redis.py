"""Runs a command with TEST_REDIS_URL pointing at a Redis that answers.

Order: TEST_REDIS_URL if it answers; else a local Redis on 127.0.0.1:6379; else a throwaway
`redis-server` on a free port, stopped (and its files removed) when the command ends.
Usage: python tests/with_redis.py COMMAND [ARGS...]
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time

import redis


def answers(url: str) -> bool:
    try:
        client = redis.Redis.from_url(url, socket_connect_timeout=1, socket_timeout=1)
        client.ping()
        client.close()
        return True
    except (redis.RedisError, OSError, ValueError):
        return False


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def main(argv: list[str]) -> int:
    if not argv:
        print(__doc__, file=sys.stderr)
        return 2
    env = dict(os.environ)
    for url in (env.get("TEST_REDIS_URL"), "redis://127.0.0.1:6379/0"):
        if url and answers(url):
            env["TEST_REDIS_URL"] = url
            return subprocess.call(argv, env=env)

    binary = shutil.which("redis-server")
    if binary is None:
        print(
            "No Redis answers and redis-server is not installed.\n"
            "Install it (Debian/Ubuntu: sudo apt-get install redis-server) or set TEST_REDIS_URL.",
            file=sys.stderr,
        )
        return 2
    port = free_port()
    with tempfile.TemporaryDirectory(prefix="gratibot-redis-") as tmp:
        server = subprocess.Popen(
            [
                binary,
                "--port",
                str(port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                "--dir",
                tmp,
            ],
            stdout=subprocess.DEVNULL,
        )
        try:
            url = f"redis://127.0.0.1:{port}/0"
            deadline = time.monotonic() + 10
            while not answers(url):
                if server.poll() is not None or time.monotonic() > deadline:
                    print("the throwaway redis-server did not start", file=sys.stderr)
                    return 2
                time.sleep(0.05)
            print(f"started a throwaway redis-server on port {port}", file=sys.stderr)
            env["TEST_REDIS_URL"] = url
            return subprocess.call(argv, env=env)
        finally:
            server.terminate()
            server.wait(10)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
