"""The FAQ port for the flows: the matcher, hot reload of knowledge/, and logs for admins.

Hot reload: every process looks at the knowledge files' modification times at most once per
`check_interval` seconds and swaps in a changed knowledge base only when it passes the same
checks as `gratibot kb check`; a broken edit is logged (file:line) and the working knowledge
base stays in use. No restart and no signal needed, so every replica picks up the change.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import SQLAlchemyError

from bot.crypto import Cipher
from bot.knowledge.files import Problem, load, signature, uppg_contact
from bot.knowledge.matcher import KnowledgeBase, Thresholds, _today
from bot.knowledge.templates import DayCounts
from bot.logs import scrub
from bot.store.database import Database
from bot.store.models import FaqFeedback, FaqQuestion
from handlers.exemptions import RuleSet
from handlers.ports import FaqAnswer

log = logging.getLogger(__name__)

# A pressed suggestion is linked to one of the user's latest suggestion lists.
RECENT_SUGGESTIONS = 3
MAX_LOGGED_CHARS = 1000


# Knowledge bases that loaded cleanly, by everything they were built from: every runtime in a
# process shares one instead of building the matcher again (about 0.4 s; the tests build
# hundreds of runtimes). A changed file changes the signature, so an edit is never served from
# here; the day is in the key because review dates are checked against it.
_BUILT: dict[tuple[Any, ...], tuple[KnowledgeBase, list[Problem]]] = {}
_BUILT_MAX = 8


def _load(
    directory: Path, *, days: DayCounts, thresholds: Thresholds | None, production: bool
) -> tuple[KnowledgeBase | None, list[Problem]]:
    """load(), or the same result already built in this process from the same files."""
    key = (
        str(directory.resolve()),
        signature(directory),
        days,
        thresholds,
        production,
        _today(),
    )
    built = _BUILT.get(key)
    if built is not None:
        return built[0], list(built[1])
    kb, problems = load(
        directory,
        days=days,
        thresholds=thresholds,
        production=production,
    )
    if kb is not None and kb.signature == key[1]:  # no file changed while it was read
        while len(_BUILT) >= _BUILT_MAX:
            del _BUILT[next(iter(_BUILT))]
        _BUILT[key] = (kb, list(problems))
    return kb, problems


class KnowledgeSource:
    """Holds the working knowledge base and swaps in a changed one that passes the checks."""

    def __init__(
        self,
        directory: Path,
        *,
        days: DayCounts | None = None,
        check_interval: float = 2.0,
        thresholds: Thresholds | None = None,
        clock: Callable[[], float] = time.monotonic,
        production: bool = False,
    ) -> None:
        self.directory = directory
        # In production an edit that empties the UPPG contact is rejected like any error.
        self.production = production
        # The deadline settings the answers quote ({batas_uppg}, {batas_kpk}, ...).
        self.days = days or DayCounts()
        self.check_interval = check_interval
        self.thresholds = thresholds
        self.clock = clock
        self.kb: KnowledgeBase | None = None
        self.problems: list[Problem] = []
        self._failed: tuple[Any, ...] | None = None
        self._checked = clock()
        self.reload()

    def reload(self) -> list[Problem]:
        """Loads the files now; keeps the working knowledge base if they have errors."""
        kb, problems = _load(
            self.directory,
            days=self.days,
            thresholds=self.thresholds,
            production=self.production,
        )
        self.problems = problems
        self._checked = self.clock()
        if kb is None:
            self._failed = signature(self.directory)
            errors = [str(p) for p in problems if p.level == "error"]
            kept = "keeping the previous knowledge base" if self.kb else "no knowledge base"
            log.error(
                "knowledge files in %s rejected (%d errors; %s): %s",
                self.directory,
                len(errors),
                kept,
                "; ".join(errors[:5]),
            )
            return problems
        first = self.kb is None
        if self.kb is not None:
            vanished = sorted(set(self.kb.entries) - set(kb.entries))
            if vanished:
                # Allowed (an admin may retire an entry), but never silent.
                log.warning(
                    "knowledge reload: %d entries no longer answered: %s",
                    len(vanished),
                    ", ".join(vanished[:10]),
                )
        self.kb = kb
        self._failed = None
        log.info(
            "knowledge base %s: %d entries from %s",
            "loaded" if first else "reloaded",
            len(kb.entries),
            self.directory,
        )
        return problems

    def current(self) -> KnowledgeBase | None:
        """The working knowledge base, reloaded first if a file changed since the last look."""
        now = self.clock()
        if now - self._checked >= self.check_interval:
            self._checked = now
            sig = signature(self.directory)
            working = self.kb.signature if self.kb else None
            if sig != working and sig != self._failed:
                self.reload()
        return self.kb

    def rules(self) -> RuleSet | None:
        """The exemption rules in use (for the "Cek wajib lapor" flow)."""
        kb = self.current()
        return kb.rules if kb else None

    def uppg(self) -> tuple[str, str]:
        """The UPPG's name and contact text from uppg.yaml (the form's privacy notice)."""
        kb = self.current()
        variables = kb.variables if kb else {}
        name = variables.get("uppg_nama") or "UPPG Inspektorat"
        return name, variables.get("uppg_kontak") or ""


# The purpose of the secret the FAQ log's user hashes are keyed with (bot.crypto.Cipher.derive).
USER_HASH_PURPOSE = "gratibot faq user v1"


def user_hash(cipher: Cipher, user_key: str) -> str:
    """A keyed hash (HMAC-SHA256) of a user key, linking a pressed suggestion to its question.

    Keyed with a lookup secret (bot.crypto), so a key rotation does not unlink a question from
    the suggestion pressed under it: a plain hash of "telegram:<id>" or of a WhatsApp
    pseudonym could be reversed by hashing every possible id."""
    secret = cipher.lookup(USER_HASH_PURPOSE)
    return hmac.new(secret, user_key.encode(), hashlib.sha256).hexdigest()


class DatabaseFaq:
    """FaqPort: answers from the knowledge base; fallbacks and suggestions logged in the DB."""

    def __init__(
        self, source: KnowledgeSource, db: Database | None, cipher: Cipher | None = None
    ) -> None:
        """cipher: the data key the user hashes are keyed with (the database's by default);
        without a key nothing that names a user is logged."""
        self.source = source
        self.db = db
        self.cipher = cipher or (db.cipher if db is not None else None)

    def _user(self, user_key: str | None) -> str | None:
        return user_hash(self.cipher, user_key) if user_key and self.cipher else None

    async def ask(self, question: str, *, user_key: str | None = None) -> FaqAnswer:
        kb = self.source.current()
        if kb is None:
            return FaqAnswer(matched=False, id=None, score=0.0, answer=None)
        result = kb.match(question)
        answer = kb.to_answer(result)
        # Only questions asked as questions are logged (the caller passes user_key). Text
        # typed in the middle of a form may be an answer with personal data in it.
        if result.outcome != "answered" and user_key:
            await self._log(
                FaqQuestion(
                    text=scrub(question, limit=MAX_LOGGED_CHARS),
                    normalised=scrub(result.normalised, limit=MAX_LOGGED_CHARS),
                    outcome=result.outcome,
                    best_id=answer.id,
                    score=answer.score,
                    suggestions=[s.id for s in answer.suggestions],
                    user_hash=self._user(user_key),
                )
            )
        return answer

    async def get(self, entry_id: str, *, user_key: str | None = None) -> FaqAnswer | None:
        kb = self.source.current()
        found = kb.get(entry_id) if kb else None
        hashed = self._user(user_key)
        if found is not None and hashed and self.db is not None:
            await self._taken(entry_id, hashed)
        return found

    async def contact(self) -> str:
        kb = self.source.current()
        if kb is None:
            return uppg_contact({})[1]
        return kb.variables["uppg_kontak"]

    async def feedback(self, entry_id: str, helpful: bool) -> None:
        kb = self.source.current()
        if kb is None or entry_id not in kb.entries:
            return
        await self._log(FaqFeedback(entry_id=entry_id, helpful=helpful))

    async def _log(self, row: FaqQuestion | FaqFeedback) -> None:
        """Best effort: a database hiccup must not cost the user the answer."""
        if self.db is None:
            return
        try:
            async with self.db.transaction() as session:
                session.add(row)
        except (SQLAlchemyError, OSError) as exc:
            log.warning("could not log a FAQ event: %s", type(exc).__name__, exc_info=exc)

    async def _taken(self, entry_id: str, hashed: str) -> None:
        """Marks the user's latest suggestion list that offered this entry as taken."""
        assert self.db is not None
        try:
            async with self.db.transaction() as session:
                rows = await session.scalars(
                    select(FaqQuestion)
                    .where(
                        FaqQuestion.user_hash == hashed,
                        FaqQuestion.outcome == "suggested",
                        FaqQuestion.taken_id.is_(None),
                    )
                    .order_by(FaqQuestion.id.desc())
                    .limit(RECENT_SUGGESTIONS)
                )
                for row in rows:
                    if entry_id in (row.suggestions or []):
                        row.taken_id = entry_id
                        break
        except (SQLAlchemyError, OSError) as exc:
            log.warning("could not record a taken suggestion: %s", type(exc).__name__, exc_info=exc)
