"""Logging set-up with a redaction filter: personal data and secrets never reach a log.

Flows never log message text, but a library's exception message might carry it, so every
record (the web server's access and error logs included) is scrubbed on the way out: the
configured secrets, Telegram bot tokens, e-mail addresses, phone numbers and long digit runs
(NIK, NIP). Each text is cut to a bounded length first and every pattern runs in linear time,
so no input, however long, can make logging stall the event loop.
"""

from __future__ import annotations

import logging
import re
import sys
from collections.abc import Iterable
from typing import Any

# A log line is for an operator, not an archive: longer messages are cut (before masking).
MAX_MESSAGE_CHARS = 4000
# A traceback keeps its end (the exception and the innermost frames) up to this length.
MAX_TRACEBACK_CHARS = 16000
SECRET_MASK = "<secret>"  # noqa: S105 (what a secret is replaced with)

# Every pattern starts with a look-behind that lets a match begin only at the start of a run,
# so the engine scans each run a bounded number of times: linear in the text's length. (The
# old e-mail pattern could start anywhere in a run of letters: 20,000 of them took 1.2 s.)
_PATTERNS = (
    # PostgreSQL's DETAIL line repeats the row's values ("Key (username)=(...) already
    # exists", "Failing row contains (...)"); SQLAlchemy's hide_parameters does not cover it.
    (re.compile(r"(?m)^DETAIL:[^\n]*"), "DETAIL: <hidden>"),
    # A Telegram bot token, alone or inside a Bot API URL (".../bot123456:AAE.../getMe").
    (re.compile(r"(?<!\d)\d{5,12}:[\w-]{30,}"), "<token>"),
    (re.compile(r"(?<![\w.+-])[\w.+-]+@[\w-]+(?:\.[\w-]+)+"), "<email>"),
    (re.compile(r"(?<![\w+])(?:\+?62[\s.-]?|0)8(?:[\s.-]?\d){7,12}(?!\d)"), "<phone>"),
    (re.compile(r"(?<!\d)\d(?:[\s.-]?\d){9,}(?!\d)"), "<number>"),
)
# Characters a personal item (number, e-mail, token) is made of: a cut never leaves a piece
# of one behind, since a piece would be too short to be recognised and masked.
_ITEM_CHARS = frozenset("0123456789+.-_@:")
_MAX_ITEM = 80


def redact(text: str) -> str:
    """Masks database row details, bot tokens, e-mail addresses, phone numbers and long
    digit runs (NIK, NIP)."""
    for pattern, mask in _PATTERNS:
        text = pattern.sub(mask, text)
    return text


def clip(text: str, limit: int) -> str:
    """The start of text, at most limit characters, without a cut-off piece of an item."""
    if len(text) <= limit:
        return text
    end = limit
    # Step back over the word (or the number with its separators) that the cut went through.
    while end > max(0, limit - _MAX_ITEM) and _in_item(text, end - 1, toward=-1):
        end -= 1
    return text[:end] + f"... ({len(text) - end} characters cut)"


def clip_start(text: str, limit: int) -> str:
    """The end of text, at most limit characters, without a cut-off piece of an item."""
    if len(text) <= limit:
        return text
    start = first = len(text) - limit
    while start < min(len(text), first + _MAX_ITEM) and _in_item(text, start, toward=1):
        start += 1
    return f"({start} characters cut) ..." + text[start:]


def _in_item(text: str, i: int, *, toward: int) -> bool:
    """Whether text[i] may belong to the item the cut went through (stepping `toward`)."""
    char = text[i]
    if char.isalnum() or char in _ITEM_CHARS:
        return True
    # A space inside a number written in groups ("0812 3456 7890").
    nxt = i + toward
    return char == " " and 0 <= nxt < len(text) and text[nxt].isdigit()


def scrub(text: str, secrets: Iterable[str] = (), *, limit: int = MAX_MESSAGE_CHARS) -> str:
    """Secrets replaced, then cut to limit, then redacted: what a log line may carry."""
    for secret in secrets:
        text = text.replace(secret, SECRET_MASK)
    return redact(clip(text, limit))


class RedactingFilter(logging.Filter):
    """Rewrites each record's message, traceback and stack with personal data masked.

    secrets: values that must never be printed (bot and API tokens, webhook secrets); each is
    replaced wherever it appears, whatever its format.
    """

    def __init__(self, secrets: Iterable[str] = ()) -> None:
        super().__init__()
        # Longest first, so a secret that contains another is replaced whole.
        self.secrets = sorted({s for s in secrets if len(s) >= 6}, key=len, reverse=True)

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # wrong arguments for the format: keep the format, drop the args
            message = f"{record.msg} (log arguments did not fit)"
        record.msg = scrub(message, self.secrets)
        record.args = None
        if record.exc_info:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
            record.exc_info = None
        if record.exc_text:
            record.exc_text = self._scrub_trace(record.exc_text)
        if record.stack_info:
            record.stack_info = self._scrub_trace(record.stack_info)
        return True

    def _scrub_trace(self, text: str) -> str:
        for secret in self.secrets:
            text = text.replace(secret, SECRET_MASK)
        return redact(clip_start(text, MAX_TRACEBACK_CHARS))


# Webhooks whose accepted deliveries are not logged one by one (refusals still are).
QUIET_PATHS = frozenset({"/telegram/webhook", "/whatsapp/webhook"})


class PathOnlyFilter(logging.Filter):
    """uvicorn's access log with the path only: a query string may carry what a user searched
    for (a NIK in the dashboard's search box) or a token (WhatsApp's hub.verify_token).

    An accepted webhook delivery (POST, 200) is left out: one line per user message says
    nothing an operator needs and costs the worker a write per update; a refused one (401,
    403, 413, 503) is kept."""

    def filter(self, record: logging.LogRecord) -> bool:
        args = record.args
        if isinstance(args, tuple) and len(args) == 5 and isinstance(args[2], str):
            path = args[2].split("?", 1)[0]
            if args[1] == "POST" and args[4] == 200 and path in QUIET_PATHS:
                return False
            record.args = (args[0], args[1], path, args[3], args[4])
        return True


class _StderrHandler(logging.StreamHandler):  # type: ignore[type-arg]
    """Writes to whatever sys.stderr is at the time (a test runner may swap it)."""

    @property
    def stream(self) -> Any:
        return sys.stderr

    @stream.setter
    def stream(self, value: Any) -> None:
        pass


# Libraries whose own handlers would bypass the filter: their records go to the root handler.
_SERVER_LOGGERS = ("uvicorn", "uvicorn.error", "uvicorn.access", "uvicorn.asgi")


def setup_logging(level: str = "INFO", *, secrets: Iterable[str] = ()) -> None:
    """Configures the root logger once, with redaction on its handler; sets the level.

    uvicorn's loggers lose their own handlers and propagate to the root, so the access and
    error logs are redacted too (serve runs uvicorn with log_config=None for that reason).
    """
    root = logging.getLogger()
    root.setLevel(level.upper())
    for name in _SERVER_LOGGERS:
        server_log = logging.getLogger(name)
        server_log.handlers.clear()
        server_log.propagate = True
    access = logging.getLogger("uvicorn.access")
    if not any(isinstance(f, PathOnlyFilter) for f in access.filters):
        access.addFilter(PathOnlyFilter())
    for handler in root.handlers:
        for existing in handler.filters:
            if isinstance(existing, RedactingFilter):
                existing.secrets = RedactingFilter([*existing.secrets, *secrets]).secrets
                return
    handler = _StderrHandler()
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    handler.addFilter(RedactingFilter(secrets))
    root.addHandler(handler)
    # httpx logs every request URL at INFO; a Telegram URL contains the bot token (masked
    # anyway, but one line per API call says nothing an operator needs).
    logging.getLogger("httpx").setLevel(logging.WARNING)
    # Alembic announces its context at every start; only its problems matter here.
    logging.getLogger("alembic").setLevel(logging.WARNING)
    # fpdf2 subsets fonts through fontTools, which logs some 25 INFO lines per PDF (every
    # receipt, form and recap): they buried the lines an operator reads.
    logging.getLogger("fontTools").setLevel(logging.WARNING)
