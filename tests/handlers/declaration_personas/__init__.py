"""Whole declarations typed by the held-out personas of personas.yaml, and what they cost.

Each persona is a new user of the real dispatcher (real SQLite database, the real knowledge
base for questions typed in the middle). After every message the runner reads which question
the form is asking (the session's state) and types the persona's line for it, as described at
the top of personas.yaml. It counts, per persona:
  answers     messages typed from the first one to the receipt
  reasks      an answer after which the same question was asked again
  refusals    re-asks that said the answer could not be used ("Maaf, ...", "Mohon pilih ...")
  unanswered  questions typed mid-form that got no answer, or lost the question asked
  counter     a "Langkah N/M" that advanced while the same question was asked again
  wrong       expected answers missing or different in the summary (lost or misplaced)
  unscripted  questions the persona had no line for: it answers from its `expect` (the facts
              it knows, typed as a person would: "barang", "2.500.000", "27 November 2026"),
              else it types "ga tau" once and then takes the first button offered

`python -m tests.handlers.declaration_personas [-v] [FILE]` prints the table and the totals
(FILE: personas.yaml by default, heldout_form.yaml for the form wave's held-out personas).
"""

from __future__ import annotations

import re
import statistics
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

import yaml
from cryptography.fernet import Fernet

from bot.crypto import Cipher
from bot.knowledge.source import DatabaseFaq, KnowledgeSource
from bot.sessions import MemorySessionStore, SessionStore
from bot.store.database import Database
from handlers import vocab
from handlers.context import Services
from tests.driver import ChatDriver
from tests.handlers.declaration_script import (
    JAKARTA,
    Clock,
    declaration_dispatcher,
    declaration_services,
)

HERE = Path(__file__).parent
ROOT = HERE.parents[2]
NOW = datetime(2026, 12, 2, 10, tzinfo=JAKARTA)  # a Wednesday
RECEIPT = re.compile(r"Nomor laporan: GRT-\d{4}-\d{6}")
COUNTER = re.compile(r"Langkah (\d+)/(\d+)")
# What a re-ask says when it could not use the answer (not a help text or a show-back).
REFUSED = (
    "Maaf",
    "belum bisa saya baca",
    "tidak dimengerti",
    "belum saya pahami",
    "Mohon pilih",
    "terlalu pendek",
    "tidak dikenali",
    "saya simpan untuk kronologi",
)
NO_ANSWER = "belum bisa menjawab"
MAX_TURNS = 90


def load(name: str = "personas.yaml") -> list[dict[str, Any]]:
    """The personas of a file here: personas.yaml, or heldout_form.yaml (the form wave's)."""
    return list(yaml.safe_load((HERE / name).read_text(encoding="utf-8")))


@dataclass
class Run:
    """What one persona's conversation cost and where it went wrong."""

    persona: str
    submitted: bool = False
    answers: int = 0
    reasks: list[str] = field(default_factory=list)
    refusals: list[str] = field(default_factory=list)
    unanswered: list[str] = field(default_factory=list)
    counter: list[str] = field(default_factory=list)
    wrong: list[str] = field(default_factory=list)
    unscripted: list[str] = field(default_factory=list)
    typed: int = 0  # messages typed as answers (not questions), for refusals per 100 inputs
    transcript: list[str] = field(default_factory=list)

    @property
    def passed(self) -> bool:
        return self.submitted and not (self.unanswered or self.wrong or self.counter)


def _norm(value: Any) -> Any:
    if isinstance(value, str):
        return " ".join(value.casefold().split()).rstrip(".")
    if isinstance(value, date):
        return value.isoformat()
    return value


def compare(expect: dict[str, Any], stored: dict[str, Any]) -> Iterator[str]:
    """The expected answers that the stored ones lost or put elsewhere."""
    for key, want in expect.items():
        got = stored.get(key)
        if want is None:
            if got is not None:
                yield f"{key}={got!r}, want empty"
        elif isinstance(want, str) and want.startswith("~"):
            if not isinstance(got, str) or _norm(want[1:]) not in _norm(got):
                yield f"{key}={got!r}, want it to contain {want[1:]!r}"
        elif _norm(got) != _norm(want):
            yield f"{key}={got!r}, want {want!r}"


LABELS: dict[str, dict[str, str]] = {
    "report_type": {"penerimaan": "terima", "penolakan": "saya tolak"},
    "giver_relation": vocab.GIVER_RELATIONS,
    "occasion": vocab.OCCASIONS,
    "object_type": vocab.OBJECT_TYPES,
    "object_location": vocab.OBJECT_LOCATIONS,
}
MONTHS = "Januari Februari Maret April Mei Juni Juli Agustus September Oktober November Desember"


def typed_fact(key: str, value: Any) -> str:
    """An expected answer as a person would type it when asked for it."""
    if value is None:
        return "ga ada"
    if isinstance(value, bool):
        return "ya" if value else "tidak"
    if isinstance(value, int):
        return f"{value:,}".replace(",", ".")
    text = str(value).removeprefix("~")
    if key in LABELS:
        label = LABELS[key].get(text, text)
        return label.split("(")[0].split("/")[0].strip().casefold()
    if key == "received_date":
        day = date.fromisoformat(text)
        return f"{day.day} {MONTHS.split()[day.month - 1]} {day.year}"
    return text


async def _state(store: SessionStore, user: str) -> tuple[str | None, dict[str, Any]]:
    async with store.conversation(f"test:{user}") as conv:
        session = conv.session
    if session is None or session.flow != "lapor":
        return None, {}
    return session.state, dict(session.data.get("a") or {})


def _counter(text: str) -> int | None:
    found = COUNTER.search(text)
    return int(found[1]) if found else None


async def run_persona(
    persona: dict[str, Any], store: SessionStore, services: Services, user: str
) -> Run:
    """Types one persona's declaration from its first message to the receipt."""
    chat = ChatDriver(declaration_dispatcher(store, services, Clock(NOW)), user_id=user)
    run = Run(persona["id"])
    say: dict[str, Any] = persona.get("say") or {}
    mid: dict[str, str] = dict(persona.get("mid") or {})
    fix: dict[str, str] = dict(persona.get("fix") or {})
    asked: dict[str, int] = {}
    shown_counter: dict[str, int] = {}
    summary: dict[str, Any] = {}
    replies = await chat.send(str(persona["start"]))
    run.answers += 1
    run.transcript += [f"> {persona['start']}", *(f"< {r.text}" for r in replies)]
    for _turn in range(MAX_TURNS):
        text = "\n".join(r.text for r in chat.last)
        if RECEIPT.search(text):
            run.submitted = True
            break
        state, stored = await _state(store, user)
        if state is None:
            run.transcript.append("! the form is no longer open")
            break
        if state == "summary":
            summary = stored
        step_counter = _counter(chat.last[-1].text if chat.last else "")
        if step_counter is not None:
            before = shown_counter.get(state)
            if before is not None and step_counter != before:
                run.counter.append(f"{state}: Langkah {before} then {step_counter}")
            shown_counter[state] = step_counter
        kind = "say"
        if state in mid:
            typed, kind = mid.pop(state), "mid"
        elif state in fix:
            typed, kind = fix.pop(state), "fix"
        elif state in say:
            lines = say[state] if isinstance(say[state], list) else [say[state]]
            typed = str(lines[min(asked.get(state, 0), len(lines) - 1)])
            asked[state] = asked.get(state, 0) + 1
            if asked[state] > 4:
                run.transcript.append(f"! stuck at {state}")
                break
        else:
            kind = "unscripted"
            run.unscripted.append(state)
            asked[state] = asked.get(state, 0) + 1
            expect = persona.get("expect") or {}
            offered = [c.id for r in chat.last for c in r.choices if c.id.startswith("lapor:")]
            if state in expect:
                typed = typed_fact(state, expect[state])
            elif asked[state] == 1 or not offered:
                typed = "ga tau"
            else:
                typed = ""
            if asked[state] > 3:
                run.transcript.append(f"! stuck at {state}")
                break
            if not typed:
                replies = await chat.press(offered[0])
                run.answers += 1
                run.typed += 1
                run.transcript += [f"> [{state}] (button {offered[0]})"]
                run.transcript += [f"< {r.text}" for r in replies]
                continue
        replies = await chat.send(typed)
        run.answers += 1
        if kind != "mid":
            run.typed += 1
        run.transcript += [f"> [{state}] {typed}", *(f"< {r.text}" for r in replies)]
        after, _ = await _state(store, user)
        said = "\n".join(r.text for r in replies)
        if kind == "mid":
            if after != state or len(replies) < 2 or NO_ANSWER in said:
                run.unanswered.append(f"{state}: {typed}")
        elif kind in ("say", "unscripted") and after == state and not RECEIPT.search(said):
            note = f"{state}: {typed!r} -> {replies[-1].text[:90]!r}" if replies else state
            run.reasks.append(note)
            if any(word in said for word in REFUSED):
                run.refusals.append(note)
    run.wrong = list(compare(persona.get("expect") or {}, summary))
    return run


@dataclass
class Bench:
    """One database, knowledge base and store for a whole run (a user per persona)."""

    services: Services
    store: SessionStore = field(default_factory=MemorySessionStore)
    counter: int = 0

    async def run(self, persona: dict[str, Any]) -> Run:
        self.counter += 1
        return await run_persona(persona, self.store, self.services, f"p{self.counter}")


async def open_bench(tmp: Path, database: Database | None = None) -> Bench:
    if database is None:
        database = Database(
            f"sqlite+aiosqlite:///{tmp / 'personas.db'}", cipher=Cipher(Fernet.generate_key())
        )
        await database.migrate()
    faq = DatabaseFaq(KnowledgeSource(ROOT / "knowledge"), database)
    return Bench(declaration_services(database, tmp / "files", faq=faq))


def table(runs: list[Run]) -> Iterator[str]:
    """One line per persona, then the medians and totals."""
    yield f"{'persona':26} sent ans reask refus unans cnt wrong"
    for r in runs:
        yield (
            f"{r.persona:26} {'yes' if r.submitted else 'NO ':4} {r.answers:3} "
            f"{len(r.reasks):5} {len(r.refusals):5} {len(r.unanswered):5} "
            f"{len(r.counter):3} {len(r.wrong):5}"
        )
    done = [r.answers for r in runs if r.submitted]
    typed = sum(r.typed for r in runs) or 1
    refusals = sum(len(r.refusals) for r in runs)
    yield (
        f"submitted {len(done)}/{len(runs)}; answers per declaration median "
        f"{statistics.median(done) if done else 0} max {max(done, default=0)}; "
        f"re-asks {sum(len(r.reasks) for r in runs)}; refusals {refusals} "
        f"({100 * refusals / typed:.1f} per 100 inputs); unanswered questions "
        f"{sum(len(r.unanswered) for r in runs)}; counter jumps "
        f"{sum(len(r.counter) for r in runs)}; fields lost/misplaced "
        f"{sum(len(r.wrong) for r in runs)} "
        f"({sum(len(r.wrong) for r in runs if r.submitted)} in submitted ones)"
    )


async def report(verbose: bool, name: str = "personas.yaml") -> None:
    with tempfile.TemporaryDirectory() as tmp:
        bench = await open_bench(Path(tmp))
        runs = [await bench.run(p) for p in load(name)]
    for line in table(runs):
        print(line)
    for r in runs:
        problems = r.reasks + r.unanswered + r.counter + r.wrong
        if not problems and r.submitted:
            continue
        print(f"\n== {r.persona}")
        for p in r.reasks:
            print(f"  re-ask  {p}")
        for p in r.unanswered:
            print(f"  unans   {p}")
        for p in r.counter:
            print(f"  counter {p}")
        for p in r.wrong:
            print(f"  wrong   {p}")
        if r.unscripted:
            print(f"  unscripted {r.unscripted}")
        if verbose or not r.submitted:
            print("\n".join("    " + line.replace("\n", "\n      ") for line in r.transcript))
