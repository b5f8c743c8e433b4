"""Builds the running parts from Settings: the composition root of every process.

Session store, database, the flows' services, the dispatcher, the intake the webhooks store
updates in, a sender per configured channel, the UPPG's Telegram chat and (with
EMBEDDED_WORKER) the outbox worker. The web app and the commands build one Runtime at start;
nothing below this module knows how the parts are joined.
With a bot token there is one Telegram Bot per process, with the bot-wide rate limiter, shared
by the webhook or poller, the reply and notification sender, the UPPG chat and the worker.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any

from bot.backoffice.deadlines import policy_for
from bot.backoffice.digest import DailyJobs
from bot.backoffice.notify import ChannelSender, UppgChat
from bot.backoffice.outbox import OutboxWorker
from bot.backoffice.threads import DbThreads
from bot.backoffice.worker import build_worker, run_in_background
from bot.config import Settings
from bot.crypto import Cipher, cipher_from_settings
from bot.dispatcher import Dispatcher
from bot.documents.receipt import ReceiptFiles
from bot.holidays_id import work_calendar
from bot.intake import Intake, LocalIntake, RedisIntake
from bot.knowledge.source import DatabaseFaq, KnowledgeSource
from bot.knowledge.templates import DayCounts
from bot.sessions import MemorySessionStore, RedisSessionStore, SessionStore
from bot.store.attachments import LocalAttachmentStore, LocalBlobStore
from bot.store.concerns import SqlConcerns
from bot.store.database import Database
from bot.store.declarations import SqlDeclarations
from handlers.context import Services
from handlers.ports import Policy

if TYPE_CHECKING:
    from bot.channels.telegram.channel import TelegramChannel

log = logging.getLogger(__name__)


def policy_from_settings(settings: Settings) -> Policy:
    calendar = work_calendar(
        cuti_bersama_is_workday=settings.cuti_bersama_is_workday,
        knowledge_dir=settings.knowledge_dir,
        check_seconds=settings.knowledge_check_seconds,
    )
    return policy_for(settings, calendar)


def store_from_settings(settings: Settings, cipher: Cipher | None = None) -> SessionStore:
    """Redis when REDIS_URL is set; otherwise sessions live in this process only."""
    options: dict[str, Any] = {
        "ttl_seconds": settings.session_ttl_seconds,
        "lock_timeout": settings.lock_timeout_seconds,
        "lock_wait": settings.lock_timeout_seconds,
    }
    if settings.redis_url:
        return RedisSessionStore.from_url(
            settings.redis_url, namespace=settings.redis_namespace, cipher=cipher, **options
        )
    log.warning(
        "REDIS_URL is not set: sessions are kept in memory, single process only; webhook "
        "updates are handled from memory (one that this process has not handled when it "
        "stops is lost)"
    )
    return MemorySessionStore(**options)


def intake_from_settings(settings: Settings, store: SessionStore, cipher: Cipher) -> Intake:
    """A Redis stream per channel beside Redis sessions; with memory sessions (one process)
    updates are handled from memory and nothing is stored."""
    if isinstance(store, RedisSessionStore):
        return RedisIntake(
            store.redis,
            namespace=store.namespace,
            cipher=cipher,
            claim_seconds=settings.intake_claim_seconds,
            max_length=settings.intake_max_length,
        )
    return LocalIntake()


@dataclass
class Runtime:
    """Everything a process needs to handle messages, built once at start."""

    settings: Settings
    store: SessionStore
    db: Database
    cipher: Cipher
    services: Services
    dispatcher: Dispatcher
    # Bribery concerns: the flows' port, and the compliance function's pages read files with it.
    concerns: SqlConcerns
    # Where the webhooks store updates before answering (bot/intake.py).
    intake: Intake = field(default_factory=LocalIntake)
    # Channel name -> sender for notifications outside a conversation turn (backoffice/notify).
    senders: dict[str, ChannelSender] = field(default_factory=dict)
    # The UPPG's Telegram chat (cards out; officers' buttons and replies in, through the
    # Telegram channel).
    uppg_chat: UppgChat | None = None
    # The Telegram channel around the process's one Bot (webhook or polling feed it).
    telegram: TelegramChannel | None = None
    closers: list[Callable[[], Awaitable[None]]] = field(default_factory=list)

    def worker(self) -> tuple[OutboxWorker, DailyJobs]:
        """The outbox worker and the daily jobs over this runtime's database and channels."""
        return build_worker(self.db, self.settings, self.senders, self.uppg_chat, self.cipher)

    async def close(self) -> None:
        for closer in reversed(self.closers):
            await closer()
        await self.store.close()
        await self.db.dispose()


async def build_runtime(settings: Settings, *, store: SessionStore | None = None) -> Runtime:
    """Connects the store and database (migrating it) and wires the flows' services."""
    db = Database.from_settings(settings)
    await db.migrate()
    cipher = db.cipher or cipher_from_settings(settings)
    store = store or store_from_settings(settings, cipher)
    knowledge = KnowledgeSource(
        settings.knowledge_dir,
        days=DayCounts.of(settings),
        check_interval=settings.knowledge_check_seconds,
        production=settings.environment == "production",
    )
    services = Services(
        policy=policy_from_settings(settings),
        faq=DatabaseFaq(knowledge, db, cipher),
        rules=knowledge.rules,
        uppg=knowledge.uppg,
    )
    services.declarations = SqlDeclarations(db, cipher, services.policy)
    services.attachments = LocalAttachmentStore(
        settings.effective_attachment_dir, max_bytes=settings.max_attachment_bytes, cipher=cipher
    )
    concerns = SqlConcerns(
        db,
        cipher,
        LocalBlobStore(settings.effective_attachment_dir),
        max_bytes=settings.max_attachment_bytes,
    )
    services.concerns = concerns
    dispatcher = Dispatcher(
        store,
        services,
        flood_max_messages=settings.flood_max_messages,
        flood_window_seconds=settings.flood_window_seconds,
        dedupe_ttl_seconds=settings.dedupe_ttl_seconds,
    )
    runtime = Runtime(
        settings=settings,
        store=store,
        db=db,
        cipher=cipher,
        services=services,
        dispatcher=dispatcher,
        intake=intake_from_settings(settings, store, cipher),
        concerns=concerns,
    )
    _add_telegram(runtime)
    _add_whatsapp(runtime)
    # Closed first (closers run in reverse): updates in hand finish while the channels and
    # Redis are still open.
    runtime.closers.append(runtime.intake.close)
    if "whatsapp" in runtime.senders and isinstance(store, RedisSessionStore):
        from bot.channels.whatsapp.ids import WhatsAppIds
        from bot.channels.whatsapp.rekey import rekey

        await rekey(store, WhatsAppIds(cipher))
    services.threads = DbThreads(db)
    services.receipts = ReceiptFiles(db, settings, cipher)
    if settings.worker_embedded:
        runtime.closers.append(run_in_background(*runtime.worker()))
    return runtime


def _add_telegram(runtime: Runtime) -> None:
    """The one Bot, its sender, the channel and (with UPPG_TELEGRAM_CHAT_ID) the UPPG chat."""
    from bot.channels.telegram.bot import build_bot, close_bot, configured_token
    from bot.channels.telegram.channel import TelegramChannel
    from bot.channels.telegram.limiter import rate_limiter
    from bot.channels.telegram.sender import TelegramSender
    from bot.channels.telegram.uppg import UppgTelegram

    settings, store = runtime.settings, runtime.store
    if configured_token(settings) is None:
        return
    redis = store.redis if isinstance(store, RedisSessionStore) else None
    bot = build_bot(settings, rate_limiter(settings, redis))
    runtime.closers.append(lambda: close_bot(bot))
    sender = TelegramSender(bot, store, settings.session_ttl_seconds)
    runtime.senders["telegram"] = sender
    uppg = None
    if settings.uppg_telegram_chat_id:
        today = lambda: datetime.now(settings.tz)  # noqa: E731
        uppg = UppgTelegram(
            sender, settings.uppg_telegram_chat_id, runtime.db, today=today, settings=settings
        )
        runtime.uppg_chat = uppg
    runtime.telegram = TelegramChannel(
        bot,
        settings=settings,
        store=store,
        dispatcher=runtime.dispatcher,
        sender=sender,
        uppg=uppg.handle if uppg is not None else None,
    )


def _add_whatsapp(runtime: Runtime) -> None:
    """Registers the WhatsApp channel when WHATSAPP_TOKEN is set."""
    settings = runtime.settings
    # A blank WHATSAPP_TOKEN= (as in .env.example) means WhatsApp is not used.
    if settings.whatsapp_token is None or not settings.whatsapp_token.get_secret_value().strip():
        return
    if not settings.whatsapp_phone_number_id:
        log.error("WHATSAPP_TOKEN is set but WHATSAPP_PHONE_NUMBER_ID is not: WhatsApp is off")
        return
    from bot.channels.whatsapp.channel import make_sender

    channel = make_sender(settings, runtime.store, runtime.cipher)
    runtime.senders["whatsapp"] = channel
    runtime.closers.append(channel.close)
