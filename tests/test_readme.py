"""README.md's settings table lists every setting in bot/config.py, with its default."""

from __future__ import annotations

import re
from datetime import time
from pathlib import Path

from bot.config import Settings

ROOT = Path(__file__).resolve().parents[1]


def settings_table() -> dict[str, str]:
    """Setting name -> its default cell, from the table under "## Settings"."""
    text = (ROOT / "README.md").read_text()
    section = text.split("\n## Settings\n", 1)[1].split("\n## ", 1)[0]
    rows: dict[str, str] = {}
    for line in section.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) < 3 or not cells[0].startswith("`"):
            continue
        for name in re.findall(r"`([A-Z0-9_]+)`", cells[0]):
            rows[name] = cells[1]
    return rows


def shown(value: object) -> str:
    """A default as the README writes it."""
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, time):
        return value.strftime("%H:%M")
    return str(value)


def test_every_setting_is_in_the_readme_and_nothing_else() -> None:
    table = settings_table()
    fields = {name.upper() for name in Settings.model_fields}
    assert sorted(fields - set(table)) == [], "settings missing from README.md"
    assert sorted(set(table) - fields) == [], "README.md lists settings that do not exist"


def test_readme_defaults_match_the_code() -> None:
    table = settings_table()
    for name, field in Settings.model_fields.items():
        if field.default is None or field.default == "":
            continue
        assert shown(field.default) in table[name.upper()], name.upper()
