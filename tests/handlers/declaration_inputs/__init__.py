"""Realistic inputs per field of the declaration, run through the real dispatcher.

Each case of tuned.yaml and heldout.yaml names a step, what the person typed, and what must
come of it:
  want: {field: value}  the answers stored (null: asked and left empty); strings compare
                        without case, spaces or a trailing dot
  shows: "text"         a part of the replies (a date echoed with its day name, ...)
  reask: true | "text"  the step is asked again, in one message (with that text)
  question: true        answered (field help, privacy, FAQ), then the same step again
                        ("unknown": an honest "belum bisa menjawab" is the right answer)
  submitted: true       the declaration went out (the summary step)
  next: step            the question asked next (a "bukan" to a confirmation asks again)
  today: 2026-12-05     the reporter's day (default: Wednesday 2 December 2026)
  now: "2026-12-03T00:30"  the reporter's local time (Asia/Jakarta), when the hour matters

The case starts with a draft whose answers before the step are filled in, reopened with
/lapor and "Lanjutkan draf" so the step is asked (with its buttons) as a person would see it.

`python -m tests.handlers.declaration_inputs` prints the refusal rate per field of both sets.
"""

from __future__ import annotations

import sys
import tempfile
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time
from pathlib import Path
from typing import Any

import yaml

from bot.sessions import MemorySessionStore, SessionStore
from bot.store.database import Database
from handlers import declaration_steps as ds
from handlers.context import Services
from handlers.session import Session
from tests.driver import ChatDriver
from tests.handlers.declaration_script import (
    JAKARTA,
    Clock,
    declaration_dispatcher,
    declaration_services,
)

HERE = Path(__file__).parent
TODAY = date(2026, 12, 2)  # a Wednesday

# A complete draft: a case keeps the answers of the steps before its own.
FULL: dict[str, Any] = {
    "consent": "2026-12-02T09:00:00+07:00",
    "story": False,
    "report_type": "penerimaan",
    "giver_name": "Andi Wijaya",
    "giver_position": "Direktur",
    "giver_institution": "PT Maju Jaya",
    "giver_address": None,
    "giver_relation": "rekanan",
    "occasion": "hari_raya",
    "object_type": "barang",
    "description": "Batik tulis",
    "value_rp": 1_500_000,
    "value_ok": True,
    "received_date": "2026-11-30",
    "date_ok": True,
    "received_place": "Kantor",
    "chronology": "Pak Andi datang ke kantor membawa batik.",
    "object_location": "disimpan_pelapor",
    "compensation": False,
    "name": "Budi Santoso",
    "nik": "3201011505900001",
    "nip": "199005152015031001",
    "jabatan": "Analis Keuangan",
    "unit_kerja": "Dinas Pendidikan",
    "address": "Jl. Merdeka No. 5, Sukamaju",
    "phone": "+6281234567890",
    "email": "budi@contoh.go.id",
    "confidential": False,
    "attachments": [],
}
# What a confirmation step needs before it (the value or the date to confirm).
BEFORE_CONFIRM = {"value_ok": {"value_rp": 750_000}, "date_ok": {"received_date": "2026-12-01"}}


@dataclass
class Outcome:
    """What one case did: passed, and if not, why."""

    case: dict[str, Any]
    passed: bool
    why: str = ""
    replies: list[str] = field(default_factory=list)


def load(name: str) -> list[dict[str, Any]]:
    cases = yaml.safe_load((HERE / name).read_text(encoding="utf-8"))
    return [c for c in cases if isinstance(c, dict)]


def case_id(case: dict[str, Any]) -> str:
    return f"{case['step']}:{case['say'][:40]}"


def _preset(step: str) -> tuple[dict[str, Any], str]:
    if step == "summary":
        return dict(FULL), "summary"
    keys = [s.key for s in ds.STEPS]
    before = keys[: keys.index(step)]
    answers = {k: v for k, v in FULL.items() if k in before and k != step}
    if step == "story":
        answers = {"consent": FULL["consent"]}
    answers.update(BEFORE_CONFIRM.get(step, {}))
    return answers, step


def _norm(value: Any) -> Any:
    if isinstance(value, str):
        return " ".join(value.casefold().split()).rstrip(".")
    if isinstance(value, date):
        return value.isoformat()
    return value


async def run_case(
    case: dict[str, Any], store: SessionStore, services: Services, user: str
) -> Outcome:
    """Types one case into a fresh draft at its step and checks what came of it."""
    day = case.get("today") or TODAY
    clock = Clock(datetime.combine(day, time(10), tzinfo=JAKARTA))
    if case.get("now"):
        # The reporter's clock in Asia/Jakarta ("2026-12-03T00:30"), given to the bot in UTC:
        # the day boundaries must be Jakarta's whatever zone the clock reports in.
        local = datetime.fromisoformat(str(case["now"])).replace(tzinfo=JAKARTA)
        clock = Clock(local.astimezone(UTC))
    chat = ChatDriver(declaration_dispatcher(store, services, clock), user_id=user)
    answers, state = _preset(case["step"])
    session = Session(
        flow="lapor",
        state=state,
        data={"id": f"d-{user}", "a": answers, "t": clock.now.isoformat()},
    )
    if "consent" in answers:
        session.memo["consent_at"] = answers["consent"]
    async with store.conversation(f"test:{user}") as conv:
        conv.save(session)
    await chat.send("/lapor")  # a draft with answers: "Lanjutkan draf"; none: a fresh start
    if "lapor:resume" in chat.choice_ids:
        await chat.press("lapor:resume")
    replies = [r.text for r in await chat.send(str(case["say"]))]
    async with store.conversation(f"test:{user}") as conv:
        after = conv.session or Session()
    stored = after.data.get("a") or {}
    text = "\n".join(replies)
    outcome = Outcome(case, True, replies=replies)
    step = case["step"]

    def fail(why: str) -> Outcome:
        outcome.passed, outcome.why = False, why
        return outcome

    if "want" in case:
        for key, value in case["want"].items():
            if key not in stored:
                return fail(f"{key} not stored")
            if _norm(stored[key]) != _norm(value):
                return fail(f"{key}={stored[key]!r}, want {value!r}")
    if "shows" in case and str(case["shows"]) not in text:
        return fail(f"replies do not show {case['shows']!r}")
    if "reask" in case:
        if step in stored and step not in answers:
            return fail(f"{step} stored as {stored[step]!r}")
        if after.state != step:
            return fail(f"moved on to {after.state}")
        if len(replies) != 1:
            return fail(f"{len(replies)} messages, not one")
        if case["reask"] is not True and str(case["reask"]) not in text:
            return fail(f"no {case['reask']!r} in the re-ask")
    if case.get("question"):
        if step in stored and step not in answers:
            return fail(f"the question was stored as {step}")
        if after.state != step or len(replies) < 2:
            return fail("not answered and asked again")
        if "belum bisa menjawab" in replies[0] and case["question"] != "unknown":
            return fail("answered with 'belum bisa menjawab'")
    if case.get("submitted") and "Nomor laporan" not in text:
        return fail("not submitted")
    if "next" in case and after.state != case["next"]:
        return fail(f"asked {after.state}, not {case['next']}")
    return outcome


@dataclass
class Corpus:
    """One database and store for a whole run (each case has its own conversation)."""

    database: Database
    services: Services
    store: SessionStore = field(default_factory=MemorySessionStore)
    counter: int = 0

    async def run(self, case: dict[str, Any]) -> Outcome:
        self.counter += 1
        return await run_case(case, self.store, self.services, f"c{self.counter}")


async def open_corpus(tmp: Path) -> Corpus:
    database = Database(f"sqlite+aiosqlite:///{tmp / 'inputs.db'}")
    await database.migrate()
    return Corpus(database, declaration_services(database, tmp / "files"))


def field_of(case: dict[str, Any]) -> str:
    return "question" if case.get("question") else str(case["step"])


def refusal_table(outcomes: list[Outcome]) -> Iterator[str]:
    """Refused or misread, per field: the cases that did not give what they must."""
    totals: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for outcome in outcomes:
        counts = totals[field_of(outcome.case)]
        counts[1] += 1
        counts[0] += 0 if outcome.passed else 1
    for name in sorted(totals):
        bad, total = totals[name]
        yield f"  {name:18} {bad:3}/{total:<3} {100 * bad / total:5.1f}%"
    bad = sum(0 if o.passed else 1 for o in outcomes)
    yield f"  {'all':18} {bad:3}/{len(outcomes):<3} {100 * bad / len(outcomes):5.1f}%"


async def report() -> None:
    """Prints the refusal rate per field of both sets (-v: the cases that failed)."""
    with tempfile.TemporaryDirectory() as tmp:
        corpus = await open_corpus(Path(tmp))
        for name in ("tuned.yaml", "heldout.yaml", "heldout_form.yaml"):
            outcomes = [await corpus.run(case) for case in load(name)]
            print(f"{name}: refused or misread, per field")
            for line in refusal_table(outcomes):
                print(line)
            if "-v" in sys.argv:
                for o in outcomes:
                    if not o.passed:
                        shown = " | ".join(o.replies)[:160].replace("\n", " / ")
                        print(f"    FAIL {case_id(o.case)!r}: {o.why} -- {shown}")
        await corpus.database.dispose()
