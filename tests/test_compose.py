"""docker-compose.yml: valid for docker-compose, healthchecks everywhere, known settings only."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path
from typing import Any

import yaml

from bot.config import Settings
from tests.conftest import need_binary

ROOT = Path(__file__).resolve().parents[1]
# Variables read by the images themselves (or by uvicorn), not by gratibot.
NOT_OURS = {"POSTGRES_USER", "POSTGRES_DB", "POSTGRES_PASSWORD", "FORWARDED_ALLOW_IPS"}


def compose() -> dict[str, Any]:
    doc: dict[str, Any] = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    return doc


def test_compose_config_validates_offline(tmp_path: Path) -> None:
    binary = need_binary("docker-compose")
    shutil.copy(ROOT / "docker-compose.yml", tmp_path / "docker-compose.yml")
    (tmp_path / ".env").write_text((ROOT / ".env.example").read_text() + "POSTGRES_PASSWORD=x\n")
    result = subprocess.run(
        [binary, "config", "--quiet"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env=dict(os.environ, POSTGRES_PASSWORD="x"),
    )
    assert result.returncode == 0, result.stderr


def test_every_service_has_a_healthcheck() -> None:
    services = compose()["services"]
    assert {"redis", "postgres", "web", "worker"} <= set(services)
    for name, service in services.items():
        assert "healthcheck" in service or "<<" in service, name


def test_every_setting_the_services_read_exists() -> None:
    fields = {name.upper() for name in Settings.model_fields}
    doc = compose()
    env_names: set[str] = set(doc["x-app"]["environment"])
    for line in (ROOT / ".env.example").read_text().splitlines():
        if line and not line.startswith("#"):
            env_names.add(line.split("=", 1)[0])
    unknown = env_names - fields - NOT_OURS
    assert not unknown, f"settings not in Settings: {sorted(unknown)}"


def test_redis_persists_data() -> None:
    command = compose()["services"]["redis"]["command"]
    assert "--appendonly" in command and command[command.index("--appendonly") + 1] == "yes"
