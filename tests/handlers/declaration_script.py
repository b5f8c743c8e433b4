"""Completes a whole "Lapor gratifikasi" declaration through a chat driver, like a user would.

Reusable by channel tests: anything with `send(text, attachments=...)`, `press(choice_id)` and
`last` (the latest replies) works, e.g. tests/driver.py ChatDriver. The script reads each
question, answers it from a `Declarant`, and returns the receipt number.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any, Protocol
from zoneinfo import ZoneInfo

from cryptography.fernet import Fernet

from bot.crypto import Cipher
from bot.dispatcher import Dispatcher
from bot.holidays_id import work_calendar
from bot.messages import Attachment, Reply
from bot.sessions import SessionStore
from bot.store.attachments import LocalAttachmentStore
from bot.store.database import Database
from bot.store.declarations import SqlDeclarations
from handlers.ask import NoFaq
from handlers.context import Services
from handlers.ports import FaqPort, Policy


class Chat(Protocol):
    last: list[Reply]

    async def send(self, text: str, *, attachments: tuple[Attachment, ...] = ()) -> list[Reply]: ...

    async def press(self, choice_id: str) -> list[Reply]: ...


@dataclass
class Declarant:
    """The answers the script gives; None on an optional field means "Lewati" (or "Tidak
    tahu" where that is offered). With a `story`, the form starts from it and the script
    confirms what was understood; without one it goes step by step."""

    story: str | None = None
    report_type: str = "penerimaan"
    name: str = "Budi Santoso"
    nik: str = "3201011505900001"
    nip: str | None = "199005152015031001"
    jabatan: str = "Analis Keuangan"
    unit_kerja: str = "Dinas Pendidikan"
    address: str = "Jl. Merdeka No. 5, Sukamaju"
    phone: str = "0812 3456 7890"
    email: str | None = "budi@contoh.go.id"
    confidential: bool = False
    giver_name: str = "Andi Wijaya"
    giver_position: str | None = "Direktur"
    giver_institution: str | None = "PT Maju Jaya"
    giver_address: str | None = None
    giver_relation: str = "rekanan"
    occasion: str = "hari_raya"
    reason: str | None = "Ucapan terima kasih setelah proyek selesai"
    object_type: str = "makanan"
    description: str = "Parsel berisi kue kering dan sirup"
    value: str = "1,5 jt"
    received: str = "kemarin"
    place: str = "Kantor Dinas Pendidikan"
    chronology: str = "Pak Andi datang ke kantor membawa parsel setelah rapat proyek."
    object_location: str = "dititipkan_uppg"
    compensation: bool = False
    attachments: list[Attachment] = field(default_factory=list)
    use_profile: bool = True


RECEIPT_NUMBER = re.compile(r"Nomor laporan: (GRT-\d{4}-\d{6})")


def _question(chat: Chat) -> str:
    return chat.last[-1].text if chat.last else ""


async def _answer(chat: Chat, who: Declarant, question: str) -> None:
    """Gives one answer to the question on screen."""
    yes_no = {True: "ya", False: "tidak"}
    buttons: list[tuple[str, str | None]] = [
        ("Apa jenis laporan Anda", f"lapor:report_type:{who.report_type}"),
        ("pemberitahuan data pribadi", "lapor:consent:ya"),
        ("Yang saya tangkap dari cerita", "lapor:understood:ok"),
        ("identitas Anda dirahasiakan", f"lapor:confidential:{yes_no[who.confidential]}"),
        ("Apa hubungan", f"lapor:giver_relation:{who.giver_relation}"),
        ("Dalam rangka apa", f"lapor:occasion:{who.occasion}"),
        ("Apa jenis pemberiannya", f"lapor:object_type:{who.object_type}"),
        ("rupiah), benar?", "lapor:value_ok:ya"),
        (", benar?", "lapor:date_ok:ya"),
        ("objek pemberian itu sekarang", f"lapor:object_location:{who.object_location}"),
        ("(kompensasi)", f"lapor:compensation:{yes_no[who.compensation]}"),
    ]
    for phrase, choice in buttons:
        if phrase in question and choice:
            await chat.press(choice)
            return
    if "Ceritakan singkat pemberiannya" in question:
        if who.story is None:
            await chat.press("lapor:steps")
        else:
            await chat.send(who.story)
        return
    if "Kirim foto pemberian" in question:
        if not who.attachments or "Berkas diterima" in question:
            await chat.press("lapor:files_done" if who.attachments else "lapor:skip")
            return
        for attachment in who.attachments:
            await chat.send("", attachments=(attachment,))
        return
    typed: list[tuple[str, str | None]] = [
        ("nama lengkap Anda", who.name),
        ("NIK Anda", who.nik),
        ("NIP Anda", who.nip),
        ("jabatan Anda", who.jabatan),
        ("unit kerja", who.unit_kerja),
        ("alamat tempat tinggal", who.address),
        ("nomor HP", who.phone),
        ("alamat e-mail", who.email),
        ("Siapa yang memberi", who.giver_name),
        ("jabatan atau pekerjaan", who.giver_position),
        ("instansi atau perusahaan", who.giver_institution),
        ("(kantor atau rumah)", who.giver_address),
        ("alasan pemberian", who.reason),
        ("Jelaskan pemberiannya", who.description),
        ("perkiraan nilainya", who.value),
        ("Kapan pemberian", who.received),
        ("Di mana pemberian", who.place),
        ("kronologinya", who.chronology),
    ]
    for phrase, text in typed:
        if phrase in question:
            if text is None:
                offered = [c.id for r in chat.last for c in r.choices]
                await chat.press("lapor:unknown" if "lapor:unknown" in offered else "lapor:skip")
            else:
                await chat.send(text)
            return
    raise AssertionError(f"the script does not know this question: {question!r}")


async def answer_until(
    chat: Chat, who: Declarant, phrase: str, *, start: str | None = "/lapor", max_turns: int = 60
) -> None:
    """Answers questions until the one containing `phrase` is on screen (not answered)."""
    if start is not None:
        await chat.send(start)
    for _turn in range(max_turns):
        if phrase in _question(chat):
            return
        if "Ringkasan laporan" in _question(chat):
            break
        await _answer(chat, who, _question(chat))
    raise AssertionError(f"no question with {phrase!r}; last: {_question(chat)!r}")


async def complete_declaration(
    chat: Chat, who: Declarant | None = None, *, start: str = "/lapor", max_turns: int = 60
) -> str:
    """Runs a declaration from `start` to the receipt and returns the receipt number."""
    who = who or Declarant()
    await chat.send(start)
    files = list(who.attachments)
    for _turn in range(max_turns):
        everything = "\n".join(r.text for r in chat.last)
        found = RECEIPT_NUMBER.search(everything)
        if found:
            return found[1]
        question = _question(chat)
        if "Ringkasan laporan" in question and files and "Lampiran: -" in question:
            # The summary asks for photos when the form did not: sent there, one by one.
            for attachment in files:
                await chat.send("", attachments=(attachment,))
            files = []
            continue
        if "Ringkasan laporan" in question:
            await chat.press("lapor:submit")
            continue
        await _answer(chat, who, question)
    raise AssertionError("the declaration did not finish")


class Clock:
    """A settable clock for the dispatcher (draft expiry, deadlines on known dates)."""

    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


JAKARTA = ZoneInfo("Asia/Jakarta")


def declaration_services(
    database: Database,
    attachment_dir: Path,
    *,
    faq: FaqPort | None = None,
    cipher: Cipher | None = None,
    **policy: Any,
) -> Services:
    """Services with the real database and attachment store, as build_runtime wires them.

    cuti_bersama_is_workday (default True) goes to the calendar, the rest to the Policy."""
    cuti = bool(policy.pop("cuti_bersama_is_workday", True))
    calendar = work_calendar(cuti_bersama_is_workday=cuti)
    chosen = Policy(timezone=JAKARTA, calendar=calendar, **policy)
    key = cipher or Cipher(Fernet.generate_key())
    return Services(
        policy=chosen,
        faq=faq or NoFaq(),
        declarations=SqlDeclarations(database, key, chosen),
        attachments=LocalAttachmentStore(
            attachment_dir, max_bytes=chosen.max_attachment_bytes, cipher=key
        ),
    )


def declaration_dispatcher(
    store: SessionStore, services: Services, clock: Clock | None = None
) -> Dispatcher:
    # A script answers faster than any person: lift the flood limit for it.
    return Dispatcher(
        store,
        services,
        clock=clock or Clock(datetime(2026, 11, 24, 10, tzinfo=JAKARTA)),
        flood_max_messages=10_000,
    )
