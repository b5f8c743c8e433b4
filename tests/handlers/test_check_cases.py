"""The "Cek wajib lapor" check, case by case through the dispatcher on the real rules file.

Every letter a-q of Pasal 2 ayat (3) PerKPK 2/2019, both sides of every threshold, before and
after PerKPK 1/2026 (20 Jan 2026), every giver type, cash versus goods versus vouchers, with
and without a conflict of interest. Each case states the verdict, the letter it rests on (or
none) and words of the reason the user must read. A case also says whether the conflict and
year-total questions are asked: answering one the case did not expect fails it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from bot.dispatcher import Dispatcher
from bot.holidays_id import work_calendar
from bot.knowledge.source import DatabaseFaq, KnowledgeSource
from bot.sessions import MemorySessionStore
from handlers import vocab
from handlers.context import Services
from handlers.ports import Policy
from tests.driver import ChatDriver

ROOT = Path(__file__).resolve().parents[2]
TZ = ZoneInfo("Asia/Jakarta")
NOW = datetime(2026, 11, 24, 10, 0, tzinfo=TZ)
HEADERS = {
    "must_report": "Hasil: WAJIB LAPOR.",
    "exempt": "Hasil: TIDAK WAJIB LAPOR",
    "consult": "Hasil: KONSULTASIKAN KE UPPG.",
}
ONLY = "ini"  # the year-total answer "Hanya yang ini"


CASES_FILE = Path(__file__).with_name("check_cases.txt")
LAST_OLD = date(2026, 1, 19)
FIRST_NEW = date(2026, 1, 20)


@dataclass(frozen=True)
class Case:
    name: str
    giver: str
    occasion: str
    obj: str
    value: int | None
    received: date
    coi: str | None  # "ya" / "tidak" / "ragu" when the question must come
    total: int | str | None  # when the year-total question must come
    kind: str
    letter: str | None
    confirm: bool
    says: str


def _cell(text: str) -> str | None:
    return None if text == "-" else text


def load_cases() -> list[Case]:
    lines = CASES_FILE.read_text(encoding="utf-8").splitlines()
    rows = [line for line in lines if line.strip() and not line.startswith("#")]
    found = []
    for row in rows[1:]:  # the first row names the columns
        cells = [c.strip() for c in row.split("|")]
        name, giver, occasion, obj, value, received, coi, total, kind, letter, confirm = cells[:11]
        says = "|".join(cells[11:])
        found.append(
            Case(
                name=name,
                giver=giver,
                occasion=occasion,
                obj=obj,
                value=None if value == "-" else int(value),
                received=date.fromisoformat(received),
                coi=_cell(coi),
                total=None if total == "-" else (ONLY if total == ONLY else int(total)),
                kind=kind,
                letter=_cell(letter),
                confirm=confirm == "yes",
                says=says,
            )
        )
    return found


CASES = load_cases()


def test_the_table_covers_what_the_issue_asks() -> None:
    assert len(CASES) >= 80
    assert len({c.name for c in CASES}) == len(CASES)
    assert {c.kind for c in CASES} == set(HEADERS)
    assert {c.occasion for c in CASES} == set(vocab.OCCASIONS)
    letters = {c.letter for c in CASES}
    assert set("abcdefghijklmnopq") <= letters
    assert {c.giver for c in CASES} == set(vocab.GIVER_RELATIONS)
    assert {"uang", "barang", "voucher_tiket"} <= {c.obj for c in CASES}
    assert {c.coi for c in CASES} >= {"ya", "tidak", "ragu"}
    assert any(c.received < FIRST_NEW for c in CASES) and any(
        c.received >= FIRST_NEW for c in CASES
    )


@pytest.fixture(scope="module")
def source() -> KnowledgeSource:
    return KnowledgeSource(ROOT / "knowledge")


def new_chat(source: KnowledgeSource) -> ChatDriver:
    services = Services(
        policy=Policy(timezone=TZ, calendar=work_calendar()),
        faq=DatabaseFaq(source, None),
        rules=source.rules,
    )
    store = MemorySessionStore(ttl_seconds=60, lock_timeout=10, lock_wait=10)
    return ChatDriver(Dispatcher(store, services, clock=lambda: NOW))


async def run_case(chat: ChatDriver, case: Case) -> str:
    await chat.send("/cek")
    await chat.press(f"cek:giver:{case.giver}")
    if f"cek:occasion:{case.occasion}" not in chat.choice_ids:
        await chat.press("cek:occasion:more")
    await chat.press(f"cek:occasion:{case.occasion}")
    await chat.press(f"cek:object:{case.obj}")
    if case.value is None:
        await chat.press("cek:value:unknown")
    else:
        await chat.send(f"Rp{case.value:,}".replace(",", "."))
    await chat.send(case.received.strftime("%d/%m/%Y"))
    asked_coi = asked_total = False
    for _ in range(3):
        if "cek:coi:ya" in chat.choice_ids:
            assert case.coi is not None, f"{case.name}: the conflict question was not expected"
            asked_coi = True
            await chat.press(f"cek:coi:{case.coi}")
        elif "total semua pemberian" in chat.text:
            assert case.total is not None, f"{case.name}: the year total was not expected"
            asked_total = True
            if case.total == ONLY:
                await chat.press("cek:total:ini")
            else:
                await chat.send(f"Rp{case.total:,}".replace(",", "."))
        else:
            break
    assert asked_coi == (case.coi is not None), f"{case.name}: conflict question asked?"
    assert asked_total == (case.total is not None), f"{case.name}: year total asked?"
    return chat.text


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
async def test_the_check_verdict(source: KnowledgeSource, case: Case) -> None:
    chat = new_chat(source)
    text = await run_case(chat, case)
    assert text.startswith(HEADERS[case.kind]), text
    assert case.says in text, text
    letters = re.findall(r"huruf ([a-q]) \(", text)  # "huruf o (Hadiah antar rekan kerja)"
    if case.letter is None:
        assert not letters, text
    else:
        assert case.letter in letters, text
    # One dated basis line, for the version of the rules of the day received.
    basis = [line for line in text.splitlines() if line.startswith("Dasar: ")]
    assert len(basis) == 1, text
    if case.received >= FIRST_NEW:
        assert "sejak 20 Jan 2026" in basis[0]
    elif case.kind != "consult" or case.letter:
        assert "sebelum 20 Jan 2026" in basis[0]
    # "Konfirmasi ke UPPG" only for points the reference marks unverified: the case's own,
    # or the 2026 lettering (shown the first time a 2026 letter is named).
    lettering = case.received >= FIRST_NEW and case.letter is not None
    assert ("konfirmasi ke uppg" in text.casefold()) == (case.confirm or lettering), text
    assert "Yang dinilai: " in text
