"""Logging set-up with a redaction filter: personal data never reaches a log.

Flows never log message text, but a library's exception message might carry it, so every
record is scrubbed of NIK-like numbers, phone numbers and e-mail addresses on the way out.
"""

from __future__ import annotations

import logging
import re
import sys
from typing import Any

_PATTERNS = (
    (re.compile(r"[\w.+-]+@[\w-]+\.[\w.-]+"), "<email>"),
    (re.compile(r"(?<!\d)(?:\+?62|0)8[\d\s-]{7,14}\d(?!\d)"), "<phone>"),
    (re.compile(r"(?<!\d)\d(?:[\s.]?\d){9,}(?!\d)"), "<number>"),
)


def redact(text: str) -> str:
    """Masks e-mail addresses, phone numbers and long digit runs (NIK, NIP, phone)."""
    for pattern, mask in _PATTERNS:
        text = pattern.sub(mask, text)
    return text


class RedactingFilter(logging.Filter):
    """Rewrites each record's message (and exception text) with personal data masked."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.msg = redact(record.getMessage())
        record.args = None
        if record.exc_info:
            formatter = logging.Formatter()
            record.exc_text = redact(formatter.formatException(record.exc_info))
            record.exc_info = None
        return True


class _StderrHandler(logging.StreamHandler):  # type: ignore[type-arg]
    """Writes to whatever sys.stderr is at the time (a test runner may swap it)."""

    @property
    def stream(self) -> Any:
        return sys.stderr

    @stream.setter
    def stream(self, value: Any) -> None:
        pass


def setup_logging(level: str = "INFO") -> None:
    """Configures the root logger once, with redaction on every handler; sets the level."""
    root = logging.getLogger()
    root.setLevel(level.upper())
    if any(isinstance(f, RedactingFilter) for h in root.handlers for f in h.filters):
        return
    handler = _StderrHandler()
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    handler.addFilter(RedactingFilter())
    root.addHandler(handler)
    root.setLevel(level.upper())
    # httpx logs every request URL at INFO; a Telegram URL contains the bot token.
    logging.getLogger("httpx").setLevel(logging.WARNING)
    # Alembic announces its context at every start; only its problems matter here.
    logging.getLogger("alembic").setLevel(logging.WARNING)
