"""A small Graph API client for the WhatsApp Cloud API: send messages, fetch and upload media.

Uses httpx with the documented payloads (pywa hard-codes graph.facebook.com and brings its own
webhook handling, so it cannot be pointed at a stub nor share our dispatcher). Nothing here
logs a phone number, a token or a URL.
"""

from __future__ import annotations

import logging
from typing import Any

import httpx
import stamina

from bot.backoffice.notify import DeliveryFailed
from handlers.ports import AttachmentRejected

log = logging.getLogger(__name__)

# What users may send into a declaration: photos and PDF documents (as the attachment store).
ALLOWED_MIME_TYPES = frozenset(
    {"image/jpeg", "image/png", "image/webp", "image/heic", "image/heif", "application/pdf"}
)

# Graph error codes that mean "try again later" (rate limits, temporary outages).
TRANSIENT_CODES = frozenset({1, 2, 4, 17, 341, 80007, 130429, 131000, 131016, 131056, 133004})
# "More than 24 hours have passed since the recipient last replied."
OUTSIDE_WINDOW_CODE = 131047
POOL_SIZE = 8


class GraphError(DeliveryFailed):
    """The Graph API refused a request; `code` is Meta's error code when it gave one."""

    def __init__(self, status: int, code: int | None, title: str) -> None:
        transient = status >= 500 or status == 429 or code in TRANSIENT_CODES
        super().__init__(f"graph api {status} code {code}: {title}", permanent=not transient)
        self.status = status
        self.code = code


def _transient(exc: Exception) -> bool:
    """Worth another attempt: the network failed, or Meta said "later"."""
    return isinstance(exc, httpx.TransportError) or (
        isinstance(exc, GraphError) and not exc.permanent
    )


def _error_of(response: httpx.Response) -> GraphError:
    code: int | None = None
    title = response.reason_phrase
    try:
        err = response.json().get("error", {})
        code = int(err["code"]) if "code" in err else None
        # Meta's message can quote the recipient's number; keep only its type.
        title = str(err.get("type") or title)
    except (ValueError, AttributeError, TypeError):
        pass
    return GraphError(response.status_code, code, title)


# Rejections are sentence ends: the flow says "Berkas X tidak dapat diterima: <reason>".
def too_large_message(max_bytes: int) -> str:
    return f"ukurannya lebih dari {max_bytes / (1024 * 1024):g} MB."


WRONG_TYPE_MESSAGE = "jenisnya tidak didukung. Kirim foto (jpg, png, webp, heic) atau PDF."
NOT_DOWNLOADED_MESSAGE = "berkasnya tidak dapat diunduh. Silakan kirim ulang."


class GraphClient:
    """Calls the Graph API at `base_url` (Meta's, or a stub on loopback in tests)."""

    def __init__(
        self,
        base_url: str,
        token: str,
        phone_number_id: str,
        *,
        timeout: float = 8.0,
        attempts: int = 3,
    ) -> None:
        self.phone_number_id = phone_number_id
        self.attempts = attempts
        self._token = token
        self._http = httpx.AsyncClient(
            base_url=base_url.rstrip("/") + "/",
            headers={"Authorization": f"Bearer {token}"},
            # Replies are sent while the conversation is locked: fail fast rather than hang.
            timeout=httpx.Timeout(timeout, connect=3.0),
            # A few busy keep-alive connections: httpcore's pool bookkeeping grows with the
            # square of the open ones (as for the Bot API, bot/channels/telegram/bot.py).
            limits=httpx.Limits(max_connections=POOL_SIZE, max_keepalive_connections=POOL_SIZE),
        )

    async def close(self) -> None:
        await self._http.aclose()

    async def _request(self, method: str, path: str, **kwargs: Any) -> dict[str, Any]:
        """One Graph call, retried by stamina on network errors and transient refusals."""
        try:
            async for attempt in stamina.retry_context(
                on=_transient, attempts=self.attempts, wait_initial=0.5, wait_max=4.0
            ):
                with attempt:
                    response = await self._http.request(method, path.lstrip("/"), **kwargs)
                    if not response.is_success:
                        raise _error_of(response)
        except httpx.TransportError as exc:
            raise DeliveryFailed(f"graph api unreachable: {type(exc).__name__}") from None
        try:
            body = response.json()
        except ValueError:
            raise DeliveryFailed("graph api answered without JSON") from None
        return body if isinstance(body, dict) else {}

    async def send(self, to: str, message: dict[str, Any]) -> str:
        """Sends one message object (see whatsapp_render) and returns its wamid."""
        body = {"messaging_product": "whatsapp", "recipient_type": "individual", "to": to}
        body.update(message)
        result = await self._request("POST", f"{self.phone_number_id}/messages", json=body)
        messages = result.get("messages") or [{}]
        return str(messages[0].get("id", ""))

    async def upload(self, data: bytes, mime_type: str, filename: str) -> str:
        """Uploads a file the bot sends and returns its media id."""
        result = await self._request(
            "POST",
            f"{self.phone_number_id}/media",
            data={"messaging_product": "whatsapp", "type": mime_type},
            files={"file": (filename, data, mime_type)},
        )
        return str(result["id"])

    async def download(self, media_id: str, *, max_bytes: int) -> tuple[bytes, str]:
        """Fetches a user's media by id: its URL first, then the bytes, within the limits."""
        info = await self._request("GET", media_id)
        mime = str(info.get("mime_type") or "").split(";")[0].strip().lower()
        if mime not in ALLOWED_MIME_TYPES:
            raise AttachmentRejected(WRONG_TYPE_MESSAGE)
        declared = info.get("file_size")
        if isinstance(declared, int) and declared > max_bytes:
            raise AttachmentRejected(too_large_message(max_bytes))
        url = info.get("url")
        if not isinstance(url, str) or not url:
            raise DeliveryFailed("graph api gave no media url")
        chunks: list[bytes] = []
        size = 0
        # The media URL needs the same token; a declared size is checked while streaming too.
        async with self._http.stream("GET", url, follow_redirects=True) as response:
            if not response.is_success:
                await response.aread()
                raise _error_of(response)
            async for chunk in response.aiter_bytes():
                size += len(chunk)
                if size > max_bytes:
                    raise AttachmentRejected(too_large_message(max_bytes))
                chunks.append(chunk)
        return b"".join(chunks), mime
