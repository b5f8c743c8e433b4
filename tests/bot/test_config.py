"""Settings: defaults, validation, and refusing placeholder secrets in production."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.config import Settings, SettingsError, load_settings, normalise_database_url


def test_defaults_are_embedded(settings: Settings) -> None:
    assert settings.redis_url is None
    assert settings.effective_database_url.startswith("sqlite+aiosqlite:///")
    assert settings.timezone == "Asia/Jakarta"
    assert settings.telegram_api_base_url == "https://api.telegram.org/bot"
    assert settings.uppg_deadline_workdays == 10
    assert settings.cuti_bersama_is_workday is True
    assert settings.count_start_day is True  # the earlier, safer deadline


def test_database_urls_map_to_async_drivers() -> None:
    assert normalise_database_url("postgresql://postgres@127.0.0.1:5432/test") == (
        "postgresql+asyncpg://postgres@127.0.0.1:5432/test"
    )
    assert normalise_database_url("sqlite:///var/x.db") == "sqlite+aiosqlite:///var/x.db"


def test_invalid_setting_is_one_clear_line(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("UPPG_DEADLINE_WORKDAYS", "45")
    with pytest.raises(SettingsError) as info:
        load_settings(_env_file=None)
    message = str(info.value)
    assert "UPPG_DEADLINE_WORKDAYS" in message and "\n" not in message


def test_unknown_timezone_is_refused() -> None:
    with pytest.raises(SettingsError, match="TIMEZONE"):
        load_settings(_env_file=None, timezone="Asia/Atlantis")


def test_production_refuses_placeholder_secrets() -> None:
    with pytest.raises(SettingsError, match="DATA_ENCRYPTION_KEY"):
        load_settings(
            _env_file=None,
            environment="production",
            web_secret_key="x" * 40,
            data_encryption_key="changeme",
        )


@pytest.mark.parametrize(
    ("uppg_days", "to_kpk", "ok"),
    [(20, 10, True), (21, 10, False), (30, 10, False), (16, 14, True), (17, 14, False)],
)
def test_the_uppg_deadline_leaves_room_for_forwarding_within_30_days(
    uppg_days: int, to_kpk: int, ok: bool
) -> None:
    overrides = {"uppg_deadline_workdays": uppg_days, "uppg_to_kpk_workdays": to_kpk}
    if ok:
        assert load_settings(_env_file=None, **overrides).uppg_deadline_workdays == uppg_days
        return
    with pytest.raises(SettingsError) as info:
        load_settings(_env_file=None, **overrides)
    message = str(info.value)
    assert "\n" not in message and "Value error" not in message
    assert f"UPPG_DEADLINE_WORKDAYS={uppg_days}" in message
    assert f"at most {30 - to_kpk}" in message


def _production(**overrides: object) -> Settings:
    values: dict[str, object] = {
        "_env_file": None,
        "environment": "production",
        "web_secret_key": "k" * 40,
        "data_encryption_key": "Zm9vYmFyYmF6cXV4cXV1eHF1dXhxdXV4cXV1eHF1dXg=",
        "receipt_signing_key": RECEIPT_KEY,
    }
    values.update(overrides)
    return load_settings(**values)


RECEIPT_KEY = "Q1qkFv0iJ3b1m2h5ZkT0cI8yW9xUuV7aPq3sR6dN4eo"


def test_production_requires_the_receipt_signing_key() -> None:
    with pytest.raises(SettingsError) as info:
        _production(receipt_signing_key=None)
    message = str(info.value)
    assert "\n" not in message
    assert "RECEIPT_SIGNING_KEY must be set in production" in message
    with pytest.raises(SettingsError, match="RECEIPT_SIGNING_KEY must be set in production"):
        _production(receipt_signing_key="  ")
    assert _production().receipt_signing_key is not None
    # Development generates one under var/ on first use.
    assert load_settings(_env_file=None).receipt_signing_key is None


@pytest.mark.parametrize("typed", ["changeme", "Q1qkFv0iJ3b1m2h5", "bukan kunci!"])
def test_a_receipt_key_that_is_not_ed25519_is_refused_at_start(typed: str) -> None:
    with pytest.raises(SettingsError) as info:
        load_settings(_env_file=None, receipt_signing_key=typed)
    message = str(info.value)
    assert "RECEIPT_SIGNING_KEY: not an Ed25519 private key" in message and "\n" not in message


def test_production_refuses_debug_logging() -> None:
    with pytest.raises(SettingsError, match="LOG_LEVEL"):
        _production(log_level="debug")
    assert _production(log_level="warning").log_level == "WARNING"


def test_log_level_must_be_a_level() -> None:
    with pytest.raises(SettingsError, match="LOG_LEVEL"):
        load_settings(_env_file=None, log_level="verbose")


def test_every_configured_secret_is_known_to_the_log_filter() -> None:
    settings = load_settings(
        _env_file=None,
        telegram_bot_token="123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw",
        whatsapp_verify_token="verify-me-please",
        whatsapp_app_secret="app-secret-value",
        receipt_signing_key=RECEIPT_KEY,
    )
    values = settings.secret_values()
    assert RECEIPT_KEY in values
    for secret in ("123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw", "verify-me-please"):
        assert secret in values
    assert "app-secret-value" in values


ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def elsewhere(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A current directory outside the project, as for `cd /tmp && gratibot chat`."""
    monkeypatch.delenv("KNOWLEDGE_DIR", raising=False)
    monkeypatch.delenv("VAR_DIR", raising=False)
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_the_shipped_knowledge_is_found_from_another_directory(elsewhere: Path) -> None:
    settings = load_settings(_env_file=None)
    assert settings.knowledge_dir == ROOT / "knowledge"
    assert (settings.knowledge_dir / "faq").is_dir()
    assert settings.knowledge_dir_refusal() is None
    # Runtime data is not shipped: it stays in the directory the command runs in.
    assert settings.var_dir == Path("var")
    assert settings.effective_attachment_dir == Path("var") / "attachments"


def test_a_knowledge_folder_in_the_current_directory_comes_first(elsewhere: Path) -> None:
    (elsewhere / "knowledge").mkdir()
    settings = load_settings(_env_file=None)
    assert settings.knowledge_dir.resolve() == (elsewhere / "knowledge").resolve()
    assert settings.knowledge_dir_refusal() is None


def test_a_relative_knowledge_dir_under_the_project_is_found(elsewhere: Path) -> None:
    settings = load_settings(_env_file=None, knowledge_dir="knowledge/faq")
    assert settings.knowledge_dir == ROOT / "knowledge" / "faq"


def test_a_missing_knowledge_dir_names_every_place_looked(elsewhere: Path) -> None:
    settings = load_settings(_env_file=None, knowledge_dir="hilang")
    assert settings.knowledge_dir == Path("hilang")
    refusal = settings.knowledge_dir_refusal()
    assert refusal is not None and "\n" not in refusal
    assert f"tidak ditemukan: {elsewhere / 'hilang'} atau {ROOT / 'hilang'}." in refusal
    assert "KNOWLEDGE_DIR" in refusal


def test_an_absolute_knowledge_dir_is_taken_as_given(elsewhere: Path) -> None:
    missing = elsewhere / "tidak-ada"
    settings = load_settings(_env_file=None, knowledge_dir=str(missing))
    assert settings.knowledge_dir == missing
    refusal = settings.knowledge_dir_refusal()
    assert refusal is not None
    assert f"tidak ditemukan: {missing}. Silakan atur KNOWLEDGE_DIR" in refusal
    assert str(ROOT) not in refusal
