"""No personal data reaches a log, even inside an exception message."""

from __future__ import annotations

import io
import logging

from bot.logs import RedactingFilter, redact


def test_redact_masks_nik_phone_and_email() -> None:
    text = "NIK 3404011234567890, HP 0812-3456-7890 / +6281234567890, ani@example.go.id"
    out = redact(text)
    for secret in ("3404011234567890", "0812-3456-7890", "6281234567890", "ani@example.go.id"):
        assert secret not in out


def test_filter_scrubs_messages_and_tracebacks() -> None:
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.addFilter(RedactingFilter())
    logger = logging.getLogger("test.redaction")
    logger.addHandler(handler)
    try:
        try:
            raise ValueError("bad NIK 3404011234567890")
        except ValueError:
            logger.exception("failed for %s", "081234567890")
    finally:
        logger.removeHandler(handler)
    output = stream.getvalue()
    assert "3404011234567890" not in output and "081234567890" not in output
    assert "ValueError" in output
