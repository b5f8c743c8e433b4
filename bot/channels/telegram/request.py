"""How the Bot talks HTTP: an aiohttp connection pool, and stamina retries around it.

python-telegram-bot's own HTTPXRequest works, but httpx and httpcore spend more CPU per call
than the bot spends on the update itself (bench/webhook.py: 28-43% of a worker in connection
pool bookkeeping alone, encode/httpcore#1035); aiohttp's client does the same calls for less
(README: Benchmarks). Both sit behind python-telegram-bot's BaseRequest, so nothing else
changes; TELEGRAM_HTTP_CLIENT=httpx brings the library's default back.

A call without files goes as one JSON document (the Bot API takes JSON bodies), encoded once,
rather than as a form whose nested values are each encoded and then URL-quoted. The first
attempt of a call runs without the retry machinery, which costs more than the call's own HTTP
bookkeeping when nothing fails; stamina takes over at the first failure.
"""

from __future__ import annotations

import json
import logging

import aiohttp
import stamina
from telegram._utils.defaultvalue import DefaultValue
from telegram._utils.types import ODVInput
from telegram.error import BadRequest, NetworkError, TimedOut
from telegram.request import BaseRequest, HTTPXRequest, RequestData

log = logging.getLogger(__name__)

RETRY_ATTEMPTS = 4
JSON_HEADERS = {"Content-Type": "application/json"}


class AiohttpRequest(BaseRequest):
    """BaseRequest over one aiohttp ClientSession with `pool_size` keep-alive connections."""

    def __init__(
        self,
        *,
        pool_size: int,
        connect_timeout: float = 5.0,
        read_timeout: float = 10.0,
        pool_timeout: float = 5.0,
    ) -> None:
        self.pool_size = pool_size
        self._connect = connect_timeout
        self._read = read_timeout
        self._pool = pool_timeout
        self._session: aiohttp.ClientSession | None = None

    @property
    def read_timeout(self) -> float:
        return self._read

    def _client(self) -> aiohttp.ClientSession:
        # Made on first use, inside the running event loop, as aiohttp wants.
        if self._session is None or self._session.closed:
            connector = aiohttp.TCPConnector(limit=self.pool_size, keepalive_timeout=30)
            self._session = aiohttp.ClientSession(
                connector=connector, headers={"User-Agent": self.USER_AGENT}
            )
        return self._session

    async def initialize(self) -> None:
        self._client()

    async def shutdown(self) -> None:
        if self._session is not None and not self._session.closed:
            await self._session.close()

    async def do_request(
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        read_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
        write_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
        connect_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
        pool_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
    ) -> tuple[int, bytes]:
        files = request_data.multipart_data if request_data else None
        body: aiohttp.FormData | bytes | None = None
        headers = None
        if request_data is not None and not files and request_data.parameters:
            body = json.dumps(request_data.parameters).encode()
            headers = JSON_HEADERS
        elif files and request_data is not None:
            fields = request_data.json_parameters
            form = aiohttp.FormData()
            for name, value in fields.items():
                form.add_field(name, value)
            for name, part in files.items():
                if isinstance(part, tuple):
                    filename, content, *rest = part
                    form.add_field(
                        name, content, filename=filename, content_type=rest[0] if rest else None
                    )
                else:
                    form.add_field(name, part)
            body = form
        read = self._read if isinstance(read_timeout, DefaultValue) else read_timeout
        connect = self._connect if isinstance(connect_timeout, DefaultValue) else connect_timeout
        pool = self._pool if isinstance(pool_timeout, DefaultValue) else pool_timeout
        # aiohttp has no write timeout: a body that does not go out ends as a read timeout.
        timeout = aiohttp.ClientTimeout(connect=pool, sock_connect=connect, sock_read=read)
        try:
            async with self._client().request(
                method, url, data=body, headers=headers, timeout=timeout
            ) as answer:
                return answer.status, await answer.read()
        except TimeoutError as exc:
            raise TimedOut from exc
        except aiohttp.ClientError as exc:
            raise NetworkError(f"aiohttp.{type(exc).__name__}: {exc}") from exc


class ServerError(NetworkError):
    """A 5xx answer of the Bot API (retried like a network error)."""

    def __init__(self, code: int, payload: bytes) -> None:
        super().__init__(f"Bot API answered {code}")
        self.code = code
        self.payload = payload


def _retryable(exc: Exception) -> bool:
    # BadRequest is a NetworkError subclass in python-telegram-bot, but retrying cannot help.
    return isinstance(exc, NetworkError) and not isinstance(exc, BadRequest)


class RetryingRequest(BaseRequest):
    """Another request whose calls stamina retries on network errors and 5xx answers.

    A retried sendMessage may rarely arrive twice when the first attempt reached Telegram but
    its answer was lost; that is preferred to losing a reply. Logs name the method only: the
    URL contains the bot token and the body contains what users wrote.
    """

    def __init__(self, inner: BaseRequest, *, attempts: int = RETRY_ATTEMPTS) -> None:
        self.inner = inner
        self.attempts = attempts

    @property
    def read_timeout(self) -> float | None:
        return self.inner.read_timeout

    async def initialize(self) -> None:
        await self.inner.initialize()

    async def shutdown(self) -> None:
        await self.inner.shutdown()

    async def do_request(
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        read_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
        write_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
        connect_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
        pool_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
    ) -> tuple[int, bytes]:
        timeouts = (read_timeout, write_timeout, connect_timeout, pool_timeout)
        api_method = url.rsplit("/", 1)[-1]
        if api_method == "getUpdates":
            # The updater retries getUpdates itself, with its own backoff.
            return await self.inner.do_request(url, method, request_data, *timeouts)

        async def once() -> tuple[int, bytes]:
            code, payload = await self.inner.do_request(url, method, request_data, *timeouts)
            if code >= 500:
                raise ServerError(code, payload)
            return code, payload

        try:
            return await once()
        except Exception as exc:
            if not _retryable(exc):
                raise
            failed: Exception | None = exc
        try:
            async for attempt in stamina.retry_context(
                on=_retryable, attempts=self.attempts, wait_initial=0.5, wait_max=8.0
            ):
                with attempt:
                    if failed is not None:
                        # The first attempt, made above: stamina counts it and waits.
                        error, failed = failed, None
                        raise error
                    log.warning("Telegram %s failed, retry %d", api_method, attempt.num - 1)
                    return await once()
        except ServerError as exc:
            # Out of attempts: python-telegram-bot turns the answer into its own error.
            return exc.code, exc.payload
        raise AssertionError("unreachable")  # pragma: no cover


def make_request(
    client: str = "aiohttp", *, read_timeout: float = 10.0, pool_size: int = 8
) -> RetryingRequest:
    """The Bot's request: aiohttp (or httpx), `pool_size` connections, retried."""
    inner: BaseRequest
    if client == "httpx":
        inner = HTTPXRequest(
            connection_pool_size=pool_size,
            connect_timeout=5.0,
            read_timeout=read_timeout,
            write_timeout=10.0,
            pool_timeout=5.0,
            media_write_timeout=30.0,
        )
    else:
        inner = AiohttpRequest(pool_size=pool_size, read_timeout=read_timeout)
    return RetryingRequest(inner)
