"""Whether the UPPG's messages get through: each notice's state, in words, and what is wrong.

The outbox (bot/backoffice/outbox.py) keeps every message with its status and last error. This
module reads it for people: the state of the notice behind a status change or a question
("menunggu", "terkirim", "gagal", with the reason in Indonesian) for the declaration's timeline,
and the problems that hold messages back for the banner on every dashboard page (no UPPG
channel, no reporter channel, messages failing or waiting too long).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.config import Settings
from bot.store.models import DEAD, PENDING, SENT, OutboxMessage

# A message still waiting after this long (with an error) means something is wrong.
STUCK_AFTER = timedelta(minutes=15)
# Failed messages stay on the banner for a week (then the timeline still shows them).
FAILED_WINDOW = timedelta(days=7)

# What the channels put into last_error, and what it means for an officer (first match wins).
REASONS: tuple[tuple[str, str], ...] = (
    ("no sender for channel console", "pelapor memakai chat uji coba yang sedang tertutup"),
    ("that console user is not in this chat", "pelapor memakai chat uji coba yang sedang tertutup"),
    ("no sender for channel telegram", "Telegram belum diatur di server (TELEGRAM_BOT_TOKEN)"),
    ("no sender for channel whatsapp", "WhatsApp belum diatur di server (WHATSAPP_TOKEN)"),
    ("no sender for channel", "kanal pelapor belum diatur di server"),
    ("no uppg destination", "kanal UPPG belum diatur (UPPG_TELEGRAM_CHAT_ID)"),
    ("uppg telegram chat is not configured", "grup Telegram UPPG belum diatur"),
    ("whatsapp is not configured", "WhatsApp belum diatur di server (WHATSAPP_TOKEN)"),
    ("forbidden", "pelapor memblokir bot atau belum pernah memulai percakapan dengannya"),
    ("chat not found", "chat tujuan tidak ditemukan di Telegram"),
    ("flood limit", "Telegram membatasi pengiriman sementara; dicoba lagi otomatis"),
    ("retryafter", "Telegram membatasi pengiriman sementara; dicoba lagi otomatis"),
    ("invalidtoken", "token bot Telegram salah"),
    ("badrequest", "Telegram menolak pesan ini"),
    ("telegram refused", "Telegram menolak pesan ini"),
    ("outside the 24-hour window", "di luar 24 jam WhatsApp dan templat pesan belum diatur"),
    ("no whatsapp template", "templat pesan WhatsApp belum diatur"),
    ("code 131047", "di luar 24 jam WhatsApp dan templat pesan ditolak"),
    ("graph api unreachable", "server WhatsApp tidak dapat dihubungi; dicoba lagi otomatis"),
    ("graph api 5", "server WhatsApp sedang bermasalah; dicoba lagi otomatis"),
    ("graph api", "WhatsApp menolak pesan ini"),
    ("not found", "data laporan atau pesannya sudah tidak ada"),
    ("timedout", "server kanal tidak menjawab; dicoba lagi otomatis"),
    ("networkerror", "server kanal tidak dapat dihubungi; dicoba lagi otomatis"),
)
UNKNOWN_REASON = "gangguan teknis (admin: lihat `gratibot outbox list`)"


def explain(last_error: str | None) -> str:
    """The reason a delivery failed, in words an officer understands."""
    text = (last_error or "").casefold()
    return next((words for key, words in REASONS if key in text), UNKNOWN_REASON)


@dataclass(frozen=True)
class NoticeState:
    """How far one message to the reporter got."""

    state: str  # menunggu | terkirim | gagal
    at: datetime | None = None  # when it was sent
    reason: str | None = None  # why it has not gone yet, or failed
    attempts: int = 0

    @property
    def css(self) -> str:
        return {"terkirim": "ok", "gagal": "error"}.get(self.state, "warn")


def state_of(row: OutboxMessage) -> NoticeState:
    if row.status == SENT:
        return NoticeState("terkirim", at=row.sent_at, attempts=row.attempts)
    if row.status == DEAD:
        return NoticeState("gagal", reason=explain(row.last_error), attempts=row.attempts)
    reason = explain(row.last_error) if row.last_error else None
    return NoticeState("menunggu", reason=reason, attempts=row.attempts)


def status_key(change_id: int) -> str:
    """The outbox dedupe key of the notice a status change sends (bot.backoffice.workflow)."""
    return f"status:{change_id}"


def question_key(message_id: int) -> str:
    """The dedupe key of a further question (bot.backoffice.threads)."""
    return f"question:{message_id}"


async def notice_states(session: AsyncSession, keys: Iterable[str]) -> dict[str, NoticeState]:
    """The state of each notice by its outbox key (keys without a message are left out)."""
    wanted = list(keys)
    if not wanted:
        return {}
    rows = await session.execute(select(OutboxMessage).where(OutboxMessage.dedupe_key.in_(wanted)))
    return {row.dedupe_key: state_of(row) for row in rows.scalars()}


def reporter_channels(settings: Settings) -> list[str]:
    """The reporter channels this installation can send on."""
    found = []
    if settings.telegram_bot_token and settings.telegram_bot_token.get_secret_value().strip():
        found.append("telegram")
    token = settings.whatsapp_token
    if token and token.get_secret_value().strip() and settings.whatsapp_phone_number_id:
        found.append("whatsapp")
    return found


def uppg_channels(settings: Settings) -> list[str]:
    """Where UPPG cards can go: the Telegram group (with a bot token), officers' WhatsApp."""
    reporters = reporter_channels(settings)
    found = []
    if settings.uppg_telegram_chat_id and "telegram" in reporters:
        found.append("telegram")
    if settings.uppg_whatsapp_list and "whatsapp" in reporters:
        found.append("whatsapp")
    return found


@dataclass(frozen=True)
class Health:
    """What holds the UPPG's messages back right now (empty: nothing)."""

    problems: tuple[str, ...]
    failed: int = 0
    stuck: int = 0


async def delivery_health(session: AsyncSession, settings: Settings, now: datetime) -> Health:
    """The problems for the dashboard banner, in Indonesian."""
    problems = []
    if not uppg_channels(settings):
        problems.append(
            "Belum ada kanal UPPG (grup Telegram UPPG_TELEGRAM_CHAT_ID atau "
            "UPPG_WHATSAPP_NUMBERS): laporan baru tidak dikirim ke petugas, hanya ada di dasbor."
        )
    if not reporter_channels(settings):
        problems.append(
            "Belum ada kanal pelapor (TELEGRAM_BOT_TOKEN atau WHATSAPP_TOKEN): pemberitahuan "
            "dan pertanyaan ke pelapor tertahan sampai kanal diatur."
        )
    failed = (
        await session.execute(
            select(func.count())
            .select_from(OutboxMessage)
            .where(OutboxMessage.status == DEAD, OutboxMessage.created_at >= now - FAILED_WINDOW)
        )
    ).scalar_one()
    stuck = (
        await session.execute(
            select(func.count())
            .select_from(OutboxMessage)
            .where(
                OutboxMessage.status == PENDING,
                OutboxMessage.created_at <= now - STUCK_AFTER,
                or_(OutboxMessage.last_error.is_not(None), OutboxMessage.attempts > 0),
            )
        )
    ).scalar_one()
    if failed:
        problems.append(
            f"{failed} pesan gagal terkirim dalam 7 hari terakhir. Alasannya ada di riwayat "
            "tiap laporan; admin dapat mengirim ulang (gratibot outbox retry)."
        )
    if stuck:
        problems.append(
            f"{stuck} pesan tertahan lebih dari 15 menit dan terus dicoba ulang. "
            "Admin: periksa `gratibot outbox list`."
        )
    return Health(tuple(problems), failed=int(failed), stuck=int(stuck))
