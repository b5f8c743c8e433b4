"""The knowledge files read well on a phone, in Telegram and in WhatsApp (QA regressions)."""

from __future__ import annotations

from pathlib import Path

import yaml

from bot.channels.whatsapp.render import ROW_DESCRIPTION_LIMIT

KNOWLEDGE = Path(__file__).resolve().parents[3] / "knowledge"


def entries() -> list[dict[str, object]]:
    found: list[dict[str, object]] = []
    for path in sorted((KNOWLEDGE / "faq").glob("*.yaml")):
        found += yaml.safe_load(path.read_text(encoding="utf-8"))["entries"]
    return found


def test_every_suggestion_label_fits_a_whatsapp_list_row() -> None:
    # The first phrasing is the "Maksud Anda:" button; longer labels turn the list into text.
    too_long = [
        str(e["questions"][0])  # type: ignore[index]
        for e in entries()
        if len(str(e["questions"][0])) > ROW_DESCRIPTION_LIMIT  # type: ignore[index]
    ]
    assert too_long == []


def test_no_answer_paragraph_is_a_wall_of_text() -> None:
    walls = [
        f"{e['id']}: {line[:40]}"
        for e in entries()
        for line in str(e["answer"]).splitlines()
        if len(line) > 200
    ]
    assert walls == []
