"""No personal data or secret reaches a log, even inside an exception message, and masking
takes linear time whatever the input."""

from __future__ import annotations

import io
import logging
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.channels.telegram.bot import build_bot
from bot.channels.telegram.limiter import rate_limiter
from bot.config import Settings
from bot.logs import (
    MAX_MESSAGE_CHARS,
    PathOnlyFilter,
    RedactingFilter,
    clip,
    clip_start,
    redact,
    scrub,
    setup_logging,
)
from tests.bot.channels.telegram.stub import running_stub

NIK = "3404011234567890"
TOKEN = "123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw"


def test_redact_masks_nik_phone_and_email() -> None:
    text = f"NIK {NIK}, HP 0812-3456-7890 / +6281234567890, ani@example.go.id"
    out = redact(text)
    for secret in (NIK, "0812-3456-7890", "6281234567890", "ani@example.go.id"):
        assert secret not in out


@pytest.mark.parametrize(
    "typed",
    [
        "+62 812-3456-7890",
        "+62 812 3456 7890",
        "0812.3456.7890",
        "62812345678901",
        "3404 0112 3456 7890",
        "3404-0112-3456-7890",
        "19850101 201001 1 001",  # a NIP as it is printed
        "628123456789@s.whatsapp.net",
        "ani.rahma+uppg@dinkes.kab.go.id",
    ],
)
def test_redact_masks_the_ways_people_write_numbers(typed: str) -> None:
    out = redact(f"dari {typed} tadi")
    assert out.startswith("dari <") and out.endswith("> tadi"), out
    assert not any(c.isdigit() for c in out), out


def test_redact_masks_a_bot_token_alone_and_inside_an_api_url() -> None:
    for text in (TOKEN, f"POST https://api.telegram.org/bot{TOKEN}/getMe failed"):
        out = redact(text)
        assert TOKEN.split(":")[1] not in out and "<token>" in out


def test_redact_leaves_ordinary_lines_alone() -> None:
    line = "outbox 12 (card) delivered; digest for 2026-05-04 at 07.30; Rp 750.000"
    assert redact(line) == line


@pytest.mark.parametrize(
    "text",
    [
        "a" * 65_536,
        "1" * 65_536,
        "08" * 32_768,
        "a." * 32_768,
        "ab.cd-" * 10_923,
        "a@" * 32_768,
        "x@" + "b" * 65_534,
        "1 " * 32_768,
        "1-" * 32_768,
        "+62 8" * 13_107,
    ],
    ids=["letters", "digits", "08", "dots", "mixed", "at", "long-domain", "spaced", "dashed", "62"],
)
def test_redact_takes_linear_time(text: str) -> None:
    # The old e-mail pattern was quadratic: 65,536 letters took 13 s (a WhatsApp text of that
    # length blocked the bot for 21 s). Linear masking does it in a few milliseconds; the
    # bound leaves a hundredfold margin for a busy machine.
    started = time.perf_counter()
    redact(text)
    assert time.perf_counter() - started < 0.5


def test_clip_never_leaves_a_piece_of_a_number_or_address() -> None:
    for item in (NIK, "0812-3456-7890", "ani@example.go.id"):
        text = "x" * 100 + " " + item + " selesai"
        for limit in range(101, 101 + len(item)):
            head = clip(text, limit)
            kept = head.split("...")[0]
            assert not any(c.isdigit() for c in kept), (limit, head)
            assert "@" not in kept and "characters cut" in head
        tail = clip_start("awal " + item + " " + "y" * 100, 100 + len(item) // 2)
        assert not any(c.isdigit() for c in tail.split("...", 1)[1]), tail


def test_scrub_cuts_before_it_masks() -> None:
    out = scrub("kado " * 10_000 + NIK, limit=1000)
    assert len(out) < 1100 and "characters cut" in out
    assert scrub(f"tanya {NIK}", limit=1000) == "tanya <number>"


@pytest.fixture
def captured() -> Iterator[tuple[logging.Logger, io.StringIO]]:
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.addFilter(RedactingFilter(secrets=["wa-verify-token-77", TOKEN]))
    logger = logging.getLogger("test.redaction")
    logger.addHandler(handler)
    logger.setLevel(logging.DEBUG)
    try:
        yield logger, stream
    finally:
        logger.removeHandler(handler)


def test_filter_scrubs_messages_and_tracebacks(
    captured: tuple[logging.Logger, io.StringIO],
) -> None:
    logger, stream = captured
    try:
        raise ValueError(f"bad NIK {NIK}, token {TOKEN}")
    except ValueError:
        logger.exception("failed for %s", "081234567890")
    output = stream.getvalue()
    assert NIK not in output and "081234567890" not in output and TOKEN not in output
    assert "ValueError" in output and "Traceback" in output


def test_filter_masks_configured_secrets_in_any_form(
    captured: tuple[logging.Logger, io.StringIO],
) -> None:
    logger, stream = captured
    logger.info("GET /whatsapp/webhook?hub.verify_token=wa-verify-token-77&hub.challenge=1")
    logger.debug("calling %s", f"https://api.telegram.org/bot{TOKEN}/getUpdates")
    output = stream.getvalue()
    assert "wa-verify-token-77" not in output and TOKEN not in output
    assert "<secret>" in output


def test_filter_cuts_a_huge_message_and_keeps_the_end_of_a_traceback(
    captured: tuple[logging.Logger, io.StringIO],
) -> None:
    logger, stream = captured
    logger.debug("update %s", "kata " * 200_000)
    first = stream.getvalue()
    assert MAX_MESSAGE_CHARS <= len(first) < MAX_MESSAGE_CHARS + 200
    try:
        raise RuntimeError("inner " * 10_000 + "the real cause")
    except RuntimeError:
        logger.warning("boundary", exc_info=True)
    assert stream.getvalue().rstrip().endswith("the real cause")


def test_filter_survives_arguments_that_do_not_fit_the_format(
    captured: tuple[logging.Logger, io.StringIO],
) -> None:
    logger, stream = captured
    logger.info("two %s %s", "only-one")
    assert "did not fit" in stream.getvalue()


def test_access_log_keeps_the_path_without_the_query() -> None:
    record = logging.LogRecord(
        "uvicorn.access",
        logging.INFO,
        __file__,
        1,
        '%s - "%s %s HTTP/%s" %d',
        ("10.0.0.5:5100", "GET", f"/dashboard?q={NIK}", "1.1", 200),
        None,
    )
    assert PathOnlyFilter().filter(record)
    assert record.getMessage() == '10.0.0.5:5100 - "GET /dashboard HTTP/1.1" 200'


def _access(method: str, path: str, status: int) -> logging.LogRecord:
    return logging.LogRecord(
        "uvicorn.access", logging.INFO, __file__, 1, '%s - "%s %s HTTP/%s" %d',
        ("149.154.167.220:443", method, path, "1.1", status), None,
    )  # fmt: skip


def test_accepted_webhook_deliveries_are_not_logged_one_by_one() -> None:
    quiet = PathOnlyFilter()
    assert not quiet.filter(_access("POST", "/telegram/webhook", 200))
    assert not quiet.filter(_access("POST", "/whatsapp/webhook", 200))
    # Refusals and everything else still are.
    assert quiet.filter(_access("POST", "/telegram/webhook", 403))
    assert quiet.filter(_access("POST", "/whatsapp/webhook", 503))
    assert quiet.filter(_access("GET", "/whatsapp/webhook?hub.mode=subscribe", 200))
    assert quiet.filter(_access("POST", "/dashboard/login", 200))


async def test_the_bot_token_is_never_printed_at_debug(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """Development at DEBUG: python-telegram-bot, httpx and httpcore log every call."""
    settings = Settings(
        _env_file=None,  # type: ignore[call-arg]
        environment="development",
        var_dir=tmp_path,
        log_level="DEBUG",
        telegram_bot_token=TOKEN,
    )
    root = logging.getLogger()
    level, handlers = root.level, list(root.handlers)
    quiet = {name: logging.getLogger(name).level for name in ("httpx", "httpcore", "telegram")}
    try:
        setup_logging(settings.log_level, secrets=settings.secret_values())
        for name in quiet:  # every library at DEBUG, the worst case
            logging.getLogger(name).setLevel(logging.DEBUG)
        async with running_stub() as stub:
            settings = settings.model_copy(update={"telegram_api_base_url": stub.base_url})
            bot = build_bot(settings, rate_limiter(settings, None))
            async with bot:
                await bot.send_message(chat_id=42, text=f"NIK {NIK}")
        printed = capsys.readouterr().err
    finally:
        root.setLevel(level)
        root.handlers[:] = handlers
        for name, old in quiet.items():
            logging.getLogger(name).setLevel(old)
    assert "sendMessage" in printed  # the libraries did log the call
    assert TOKEN not in printed and TOKEN.split(":")[1] not in printed
    assert NIK not in printed


def test_a_pdf_adds_no_font_subsetting_lines_to_the_log(
    capsys: pytest.CaptureFixture[str],
) -> None:
    # fpdf2 subsets fonts through fontTools, which wrote some 25 INFO lines per PDF.
    from datetime import UTC, datetime

    from bot.documents.layout import FONT, Document

    root = logging.getLogger()
    level, handlers = root.level, list(root.handlers)
    try:
        setup_logging("INFO", secrets=[])
        pdf = Document(["Tanda terima"], "gratibot", created=datetime(2026, 12, 2, tzinfo=UTC))
        pdf.add_page()
        pdf.set_font(FONT, "", 11)
        pdf.cell(0, 6, "Tanda terima laporan GRT-2026-000001")
        assert bytes(pdf.output()).startswith(b"%PDF")
        logging.getLogger("bot.documents").info("receipt made")
        printed = capsys.readouterr().err
    finally:
        root.setLevel(level)
        root.handlers[:] = handlers
    assert "receipt made" in printed  # INFO lines of the bot still print
    assert "fontTools" not in printed
