"""deploy/nginx.conf: valid for nginx, TLS with HSTS, http moved to https, logins rate-limited.

The shipped file runs under a real nginx on loopback ports, with a self-signed certificate in
place of the operator's and a stub in place of the web replicas.
"""

from __future__ import annotations

import asyncio
import socket
import subprocess
import time
from collections.abc import AsyncIterator, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
import pytest
import uvicorn
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID
from fastapi import FastAPI, Request

from tests.conftest import free_port, need_binary

ROOT = Path(__file__).resolve().parents[1]


def self_signed(directory: Path) -> None:
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "localhost")])
    now = datetime.now(UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(days=1))
        .not_valid_after(now + timedelta(days=1))
        .sign(key, hashes.SHA256())
    )
    (directory / "fullchain.pem").write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    (directory / "privkey.pem").write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )


def configure(tmp: Path, upstream: int, http_port: int, https_port: int) -> Path:
    """The shipped server blocks inside a minimal main config, pointed at loopback."""
    shipped = (ROOT / "deploy" / "nginx.conf").read_text()
    for docker, here in (
        ("resolver 127.0.0.11 valid=10s;", ""),
        ("server web:8000;", f"server 127.0.0.1:{upstream};"),
        ("listen 80;", f"listen 127.0.0.1:{http_port};"),
        ("listen [::]:80;", ""),
        ("listen 443 ssl;", f"listen 127.0.0.1:{https_port} ssl;"),
        ("listen [::]:443 ssl;", ""),
        ("/etc/nginx/tls/", f"{tmp}/"),
    ):
        assert docker in shipped, docker
        shipped = shipped.replace(docker, here)
    (tmp / "gratibot.conf").write_text(shipped)
    self_signed(tmp)
    temp = "".join(
        f"{kind}_temp_path {tmp}/{kind};\n"
        for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
    )
    main = tmp / "nginx.conf"
    main.write_text(
        f"pid {tmp}/nginx.pid;\nerror_log stderr;\nevents {{}}\n"
        f"http {{\naccess_log off;\n{temp}include {tmp}/gratibot.conf;\n}}\n"
    )
    return main


@pytest.fixture
async def upstream() -> AsyncIterator[tuple[int, list[str]]]:
    """Stands in for the web replicas: records what nginx forwarded."""
    seen: list[str] = []
    app = FastAPI()

    @app.api_route("/{path:path}", methods=["GET", "POST"])
    async def anything(path: str, request: Request) -> dict[str, str]:
        seen.append(f"{request.method} /{path} for={request.headers.get('x-forwarded-for')}")
        return {"ok": "yes"}

    port = free_port()
    server = uvicorn.Server(
        uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan="off")
    )
    task = asyncio.create_task(server.serve())
    while not server.started:  # noqa: ASYNC110 (uvicorn exposes only a flag)
        await asyncio.sleep(0.01)
    yield port, seen
    server.should_exit = True
    await task


@pytest.fixture
def nginx(tmp_path: Path, upstream: tuple[int, list[str]]) -> Iterator[tuple[int, int]]:
    binary = need_binary("nginx")
    http_port, https_port = free_port(), free_port()
    main = configure(tmp_path, upstream[0], http_port, https_port)
    check = subprocess.run(
        [binary, "-t", "-p", str(tmp_path), "-c", str(main), "-e", "stderr"],
        capture_output=True,
        text=True,
    )
    assert check.returncode == 0, check.stderr
    log = (tmp_path / "error.log").open("wb")
    process = subprocess.Popen(
        [binary, "-p", str(tmp_path), "-c", str(main), "-e", "stderr", "-g", "daemon off;"],
        stderr=log,
    )
    deadline = time.monotonic() + 10
    while not _listening(https_port) and time.monotonic() < deadline:
        time.sleep(0.05)
    try:
        yield http_port, https_port
    finally:
        process.terminate()
        process.wait(timeout=10)
        log.close()


def _listening(port: int) -> bool:
    try:
        socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
    except OSError:
        return False
    return True


async def test_http_moves_to_https_and_https_sends_hsts(
    nginx: tuple[int, int], upstream: tuple[int, list[str]]
) -> None:
    http_port, https_port = nginx
    async with httpx.AsyncClient(verify=False) as client:
        moved = await client.get(f"http://127.0.0.1:{http_port}/dashboard?q=x")
        assert moved.status_code == 301
        assert moved.headers["location"].startswith("https://")
        # The compose healthcheck still answers over http.
        assert (await client.get(f"http://127.0.0.1:{http_port}/healthz")).status_code == 200
        page = await client.get(
            f"https://127.0.0.1:{https_port}/dashboard", headers={"X-Forwarded-For": "6.6.6.6"}
        )
    assert page.status_code == 200
    hsts = page.headers["strict-transport-security"]
    assert "max-age=63072000" in hsts and "includeSubDomains" in hsts
    # The address a client wrote itself is replaced by the one nginx saw.
    assert upstream[1][-1] == "GET /dashboard for=127.0.0.1"


async def test_login_posts_are_rate_limited_per_address(nginx: tuple[int, int]) -> None:
    _, https_port = nginx
    async with httpx.AsyncClient(verify=False) as client:
        url = f"https://127.0.0.1:{https_port}/login"
        posts = [(await client.post(url, data={"username": "x"})).status_code for _ in range(9)]
        pages = [(await client.get(url)).status_code for _ in range(9)]
    # 10 a minute with a burst of 5: the first 6 pass at once, the rest get 429.
    assert posts[:6] == [200] * 6 and set(posts[6:]) == {429}
    assert set(pages) == {200}  # the form itself is not limited


async def test_webhook_bodies_over_1_mb_stop_at_nginx(nginx: tuple[int, int]) -> None:
    _, https_port = nginx
    async with httpx.AsyncClient(verify=False) as client:
        response = await client.post(
            f"https://127.0.0.1:{https_port}/telegram/webhook", content=b"x" * (2 * 1024 * 1024)
        )
    assert response.status_code == 413
