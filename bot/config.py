"""One Settings class: every setting gratibot reads, from the environment or .env."""

from __future__ import annotations

import base64
import binascii
from datetime import time
from functools import cached_property
from pathlib import Path
from typing import Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import Field, SecretStr, ValidationError, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

# The checkout that holds bot/ (running from source, or `pip install -e .`): knowledge/ ships
# beside it. A wheel installed into site-packages has none there (the Docker image runs from
# /app, where knowledge/ is, and docker-compose sets KNOWLEDGE_DIR).
PROJECT_ROOT = Path(__file__).resolve().parent.parent

# Values that mean "nobody set this yet"; refused in production.
PLACEHOLDERS = {"", "changeme", "change-me", "secret", "xxx", "todo", "placeholder", "test"}


class Settings(BaseSettings):
    """Settings, read from the environment and .env (names as in DESIGN.md)."""

    model_config = SettingsConfigDict(env_file=".env", extra="ignore", frozen=True)

    environment: Literal["development", "production", "test"] = "development"
    # DEBUG prints what users typed (libraries log whole updates); refused in production.
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"] = "INFO"

    # Storage. Unset means the embedded defaults: in-process sessions, SQLite under ./var/.
    database_url: str | None = None
    # The longest one database wait may take (connect, statement, SQLite's busy wait): past
    # it the user is told "gangguan" instead of waiting in silence.
    database_timeout_seconds: float = Field(default=5.0, gt=0, le=300)
    redis_url: str | None = None
    redis_namespace: str = "gratibot"
    var_dir: Path = Path("var")
    # A relative path is looked for in the current directory, then in PROJECT_ROOT, so the
    # shipped files are found from any directory (runtime data such as VAR_DIR stays relative
    # to the current directory). Commands that answer from it refuse to start without it.
    knowledge_dir: Path = Field(default=Path("knowledge"), validate_default=True)
    # How often each process looks for edited knowledge files (hot reload).
    knowledge_check_seconds: float = Field(default=2.0, ge=0)
    attachment_dir: Path | None = None
    timezone: str = "Asia/Jakarta"

    # Conversations.
    session_ttl_seconds: int = Field(default=7 * 24 * 3600, gt=0)
    draft_ttl_days: int = Field(default=7, gt=0)
    lock_timeout_seconds: float = Field(default=10.0, gt=0)
    dedupe_ttl_seconds: int = Field(default=24 * 3600, gt=0)
    flood_max_messages: int = Field(default=20, gt=0)
    flood_window_seconds: int = Field(default=10, gt=0)
    max_attachment_bytes: int = Field(default=10 * 1024 * 1024, gt=0)
    # Durable intake (bot/intake.py, with REDIS_URL): the updates a stopped process held are
    # taken over by another replica after this many seconds (a live process refreshes its
    # own every third of it). Past INTAKE_MAX_LENGTH unhandled updates of one channel the
    # webhooks answer 503 and the chat platform delivers again later.
    intake_claim_seconds: float = Field(default=30.0, gt=0, le=3600)
    intake_max_length: int = Field(default=100_000, gt=0)

    # Legal calendar (handlers/deadlines.py). The UPPG deadline comes from the local Perkada;
    # with the UPPG's own forwarding days it must fit in the law's 30 (checked below).
    uppg_deadline_workdays: int = Field(default=10, gt=0, le=30)
    kpk_deadline_workdays: int = Field(default=30, gt=0, le=30)
    cuti_bersama_is_workday: bool = True
    # Whether the first day of a period (the day received, the day the UPPG got the report,
    # the reporting date) is day one. No source settles it; counting it gives the earlier,
    # safer date.
    count_start_day: bool = True
    # The UPPG's own steps (working days): UPPG -> KPK from receipt by the UPPG (never after
    # the gift's own 30-day date); completing an incomplete report, from the reporting date
    # (20 since PerKPK 1/2026); KPK's decision. The reporter's hand-over deadline for an
    # object that became milik negara is the one in KPK's decision letter (SK).
    uppg_to_kpk_workdays: int = Field(default=10, gt=0, le=30)
    completion_workdays: int = Field(default=20, gt=0, le=30)
    kpk_decision_workdays: int = Field(default=30, gt=0, le=30)
    retention_years: int = Field(default=5, gt=0)
    # Bribery concerns (SNI ISO 37001:2016 8.9): the instansi's own procedure sets these.
    concern_assessment_workdays: int = Field(default=5, gt=0, le=60)
    concern_resolution_workdays: int = Field(default=30, gt=0, le=250)

    # Personal data at rest (Fernet key, urlsafe base64 of 32 bytes). Generated under var/
    # in development when unset; required in production.
    data_encryption_key: SecretStr | None = None
    # During a key rotation (`gratibot keys rotate`): the previous keys, comma-separated, still
    # read but never written. DATA_LOOKUP_KEY: the secrets of the keyed hashes that outlive a
    # rotation (NIP search, WhatsApp pseudonyms, receipt codes); `gratibot keys new` prints it.
    data_encryption_old_keys: SecretStr | None = None
    data_lookup_key: SecretStr | None = None

    # Telegram.
    telegram_bot_token: SecretStr | None = None
    telegram_api_base_url: str = "https://api.telegram.org/bot"
    telegram_webhook_url: str | None = None
    telegram_webhook_secret: SecretStr | None = None
    uppg_telegram_chat_id: str | None = None
    # Telegram's limits, paced for the whole bot: every process and replica draws from the
    # same buckets in Redis (bot/channels/telegram/limiter.py). Messages sent or edited per
    # second for the bot, and how many may go at once before pacing starts (interactive
    # replies only; bulk sends get no burst). 0 turns the pacing off (429 is still honoured).
    telegram_send_rate: float = Field(default=30.0, ge=0)
    telegram_send_burst: int = Field(default=10, ge=1)
    # Per private chat: messages per second after a burst; per group: messages per minute.
    telegram_chat_rate: float = Field(default=1.0, ge=0)
    telegram_chat_burst: int = Field(default=3, ge=1)
    telegram_group_rate_per_minute: float = Field(default=20.0, ge=0)
    # The HTTP client under python-telegram-bot (bot/channels/telegram/request.py).
    telegram_http_client: Literal["aiohttp", "httpx"] = "aiohttp"

    # WhatsApp Cloud API.
    whatsapp_token: SecretStr | None = None
    whatsapp_phone_number_id: str | None = None
    whatsapp_app_secret: SecretStr | None = None
    whatsapp_verify_token: SecretStr | None = None
    whatsapp_api_base_url: str = "https://graph.facebook.com/v21.0"
    # Approved message templates, used outside the 24-hour customer service window
    # (README: "WhatsApp (Meta Cloud API) set-up"). Names as created in WhatsApp Manager.
    whatsapp_template_status_update: str = "gratibot_status_update"
    whatsapp_template_reminder: str = "gratibot_reminder"
    whatsapp_template_uppg_question: str = "gratibot_uppg_question"
    whatsapp_template_language: str = "id"

    # Back office (bot/outbox.py, bot/worker.py): where UPPG cards go, how the worker runs.
    # Officers' WhatsApp numbers for cards and replies, comma-separated (628...).
    uppg_whatsapp_numbers: str = ""
    # Where the compliance function (FKAP) hears of a new concern: only its number, never its
    # content. Not the UPPG's group: officers see concerns only if they hold the FKAP role.
    fkap_telegram_chat_id: str | None = None
    fkap_whatsapp_numbers: str = ""
    # The worker inside serve/telegram/chat; unset means on when REDIS_URL is unset.
    embedded_worker: bool | None = None
    outbox_poll_seconds: float = Field(default=5.0, gt=0)
    outbox_lock_seconds: int = Field(default=300, gt=0)
    outbox_max_backoff_seconds: int = Field(default=900, gt=0)
    # Local time after which the daily digest and draft reminders go out (working days).
    digest_time: time = time(7, 30)
    # A reporter with an unfinished draft is reminded this many working days before the
    # legal deadline (received date + UPPG_DEADLINE_WORKDAYS).
    draft_reminder_workdays: int = Field(default=3, ge=0, le=30)

    # Web dashboard.
    web_secret_key: SecretStr | None = None
    web_host: str = "127.0.0.1"
    web_port: int = 8000
    # Printed documents (declaration form, recaps, receipts): the instansi's letterhead and
    # who signs for the UPPG. Empty values print as a visible "(belum diatur: NAME)".
    letterhead_instansi: str = ""  # PEMERINTAH KABUPATEN ...
    letterhead_unit: str = ""  # INSPEKTORAT DAERAH / UNIT PENGENDALIAN GRATIFIKASI
    letterhead_address: str = ""  # street, telephone, e-mail, website
    # Followed by "Unit Pencegahan dan Pengendalian Gratifikasi" and LETTERHEAD_INSTANSI.
    uppg_head_title: str = "Ketua"
    uppg_head_name: str = ""
    uppg_head_nip: str = ""
    report_place: str = ""  # the town in "Tasikmalaya, 4 Mei 2026"
    regional_head_title: str = "Bupati"  # the addressee of the regional head's recap
    # Where the public pages are reached (https://uppg.example.go.id): printed on receipts
    # so anyone can check one at PUBLIC_BASE_URL/verify.
    public_base_url: str = ""
    # Ed25519 key that signs receipts (urlsafe base64 of the 32-byte private key). Generated
    # under var/ in development; required in production. RECEIPT_VERIFY_KEYS: earlier public
    # keys (comma-separated, base64) whose receipts still verify after a key change.
    receipt_signing_key: SecretStr | None = None
    receipt_verify_keys: str = ""
    # A dashboard session ends after this many minutes without a page view.
    dashboard_idle_minutes: int = Field(default=30, gt=0, le=12 * 60)
    # Failed logins from one client address before its logins pause (an office behind one
    # address shares the count); per account and per browser the limit is 5 (README).
    login_address_max_failures: int = Field(default=20, gt=0)
    # "test" makes dashboard password hashes cheap for test suites; refused in production.
    password_hash_cost: Literal["standard", "test"] = "standard"  # noqa: S105

    @field_validator("log_level", mode="before")
    @classmethod
    def _upper_log_level(cls, value: object) -> object:
        return value.strip().upper() if isinstance(value, str) else value

    @field_validator("data_encryption_old_keys")
    @classmethod
    def _old_fernet_keys(cls, value: SecretStr | None) -> SecretStr | None:
        # Checked at start: a mistyped old key would otherwise show only as values that
        # cannot be read.
        if value is None or not value.get_secret_value().strip():
            return None
        for part in value.get_secret_value().split(","):
            if len(_b64_bytes(part.strip())) != 32:
                raise ValueError(
                    "DATA_ENCRYPTION_OLD_KEYS must list Fernet keys separated by commas "
                    "(each as DATA_ENCRYPTION_KEY was)"
                )
        return value

    @field_validator("data_lookup_key")
    @classmethod
    def _lookup_key(cls, value: SecretStr | None) -> SecretStr | None:
        if value is None or not value.get_secret_value().strip():
            return None
        if not value.get_secret_value().strip().startswith("lk1:"):
            raise ValueError("DATA_LOOKUP_KEY is not a lookup key (`gratibot keys new` prints one)")
        return value

    @field_validator("receipt_signing_key")
    @classmethod
    def _ed25519_key(cls, value: SecretStr | None) -> SecretStr | None:
        # Checked at start, not when the first reporter asks for a receipt.
        if value is None or not value.get_secret_value().strip():
            return None
        if len(_b64_bytes(value.get_secret_value().strip())) != 32:
            raise ValueError(
                "not an Ed25519 private key (urlsafe base64 of 32 bytes; README, Settings)"
            )
        return value

    @field_validator("knowledge_dir")
    @classmethod
    def _find_knowledge_dir(cls, value: Path) -> Path:
        for candidate in knowledge_dir_candidates(value):
            if candidate.is_dir():
                return candidate
        # Not found: kept as given, and knowledge_dir_refusal() says where it was looked for.
        return value

    @field_validator("timezone")
    @classmethod
    def _known_timezone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise ValueError(f"unknown time zone {value!r}") from exc
        return value

    @model_validator(mode="after")
    def _uppg_days_fit_the_30(self) -> Settings:
        # A report that reaches the UPPG on its last day must still reach KPK within the 30
        # working days of Pasal 12C: nothing says a report to the UPPG stops that clock.
        room = self.kpk_deadline_workdays - self.uppg_to_kpk_workdays
        if self.uppg_deadline_workdays > room:
            raise ValueError(
                f"UPPG_DEADLINE_WORKDAYS={self.uppg_deadline_workdays} leaves the UPPG too "
                f"little time: with UPPG_TO_KPK_WORKDAYS={self.uppg_to_kpk_workdays} it must "
                f"be at most {room} (KPK_DEADLINE_WORKDAYS={self.kpk_deadline_workdays})"
            )
        return self

    @model_validator(mode="after")
    def _no_placeholders_in_production(self) -> Settings:
        if self.environment != "production":
            return self
        if self.password_hash_cost != "standard":  # noqa: S105
            raise ValueError("PASSWORD_HASH_COST must be standard in production")
        if self.log_level == "DEBUG":
            raise ValueError(
                "LOG_LEVEL=DEBUG is refused in production: debug logs carry what users typed"
            )
        required = {
            "DATA_ENCRYPTION_KEY": self.data_encryption_key,
            "WEB_SECRET_KEY": self.web_secret_key,
        }
        if self.telegram_webhook_url:
            required["TELEGRAM_WEBHOOK_SECRET"] = self.telegram_webhook_secret
        if self.whatsapp_token:
            required["WHATSAPP_APP_SECRET"] = self.whatsapp_app_secret
            required["WHATSAPP_VERIFY_TOKEN"] = self.whatsapp_verify_token
        for name, secret in required.items():
            if secret is None or secret.get_secret_value().strip().lower() in PLACEHOLDERS:
                raise ValueError(f"{name} must be set to a real secret in production")
        if self.receipt_signing_key is None:
            # A key generated on one replica's disk would sign receipts no other replica (nor
            # a rebuilt volume) can verify.
            raise ValueError(
                "RECEIPT_SIGNING_KEY must be set in production: receipts need one key for "
                "every server (README, Settings: how to make one)"
            )
        return self

    def knowledge_dir_refusal(self) -> str | None:
        """Why a command that answers from knowledge/ must not start, in one line, or None."""
        if self.knowledge_dir.is_dir():
            return None
        looked = [str(path.absolute()) for path in knowledge_dir_candidates(self.knowledge_dir)]
        return (
            f"folder pengetahuan tidak ditemukan: {' atau '.join(looked)}. Silakan atur "
            "KNOWLEDGE_DIR (variabel lingkungan atau berkas .env) ke folder knowledge/ yang "
            "berisi faq/, misalnya KNOWLEDGE_DIR=/lokasi/gratibot/knowledge"
        )

    def secret_values(self) -> list[str]:
        """Every configured secret, for the log filter: none of them is ever printed."""
        secrets = (
            self.telegram_bot_token,
            self.telegram_webhook_secret,
            self.whatsapp_token,
            self.whatsapp_app_secret,
            self.whatsapp_verify_token,
            self.web_secret_key,
            self.data_encryption_key,
            self.data_encryption_old_keys,
            self.data_lookup_key,
            self.receipt_signing_key,
        )
        values = [s.get_secret_value() for s in secrets if s is not None and s.get_secret_value()]
        if self.data_encryption_old_keys is not None:
            # Each previous key on its own too: a log line could hold one alone.
            old = self.data_encryption_old_keys.get_secret_value().split(",")
            values += [key.strip() for key in old if key.strip()]
        return values

    @cached_property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    @property
    def uppg_whatsapp_list(self) -> list[str]:
        return [n.strip() for n in self.uppg_whatsapp_numbers.split(",") if n.strip()]

    @property
    def fkap_whatsapp_list(self) -> list[str]:
        return [n.strip() for n in self.fkap_whatsapp_numbers.split(",") if n.strip()]

    @property
    def worker_embedded(self) -> bool:
        """Whether serve/telegram/chat run the outbox worker in-process."""
        if self.embedded_worker is not None:
            return self.embedded_worker
        return not self.redis_url

    @property
    def effective_database_url(self) -> str:
        if self.database_url:
            return normalise_database_url(self.database_url)
        return f"sqlite+aiosqlite:///{(self.var_dir / 'gratibot.db').as_posix()}"

    @property
    def effective_attachment_dir(self) -> Path:
        return self.attachment_dir or self.var_dir / "attachments"


def knowledge_dir_candidates(path: Path) -> list[Path]:
    """Where KNOWLEDGE_DIR is looked for, in order: as given (a relative path from the current
    directory), then a relative path under PROJECT_ROOT."""
    if path.is_absolute() or (Path.cwd() / path).resolve() == (PROJECT_ROOT / path).resolve():
        return [path]
    return [path, PROJECT_ROOT / path]


def _b64_bytes(text: str) -> bytes:
    """The bytes of a urlsafe-base64 key as typed (padding optional), or b"" when it is not."""
    try:
        return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4)) if text else b""
    except (ValueError, binascii.Error):
        return b""


def normalise_database_url(url: str) -> str:
    """Maps the URLs people paste (postgresql://, sqlite:///) onto the async drivers we ship."""
    for plain, driver in (
        ("postgresql://", "postgresql+asyncpg://"),
        ("postgres://", "postgresql+asyncpg://"),
        ("sqlite://", "sqlite+aiosqlite://"),
    ):
        if url.startswith(plain):
            return driver + url[len(plain) :]
    return url


class SettingsError(Exception):
    """Settings that cannot be used; the message is one line for the operator."""


def load_settings(**overrides: object) -> Settings:
    """Reads settings, turning validation errors into one readable line."""
    try:
        return Settings(**overrides)  # type: ignore[arg-type]
    except ValidationError as exc:
        problems = []
        for err in exc.errors():
            where = ".".join(str(p) for p in err["loc"]).upper()
            # A check across settings names them itself ("Value error, ..." from pydantic).
            message = err["msg"].removeprefix("Value error, ")
            problems.append(f"{where}: {message}" if where else message)
        raise SettingsError("invalid settings: " + "; ".join(problems)) from None
