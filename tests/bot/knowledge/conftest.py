"""The shipped knowledge base, loaded once per test module that asks for it (a module may
define its own `kb` with other day counts)."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.knowledge.files import load
from bot.knowledge.matcher import KnowledgeBase

KNOWLEDGE = Path(__file__).resolve().parents[3] / "knowledge"


@pytest.fixture(scope="module")
def kb() -> KnowledgeBase:
    loaded, problems = load(KNOWLEDGE)
    assert loaded is not None, [str(p) for p in problems]
    return loaded
